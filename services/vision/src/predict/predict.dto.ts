import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';

/** Multipart text fields of every predict route (the original service's names). */
export class PredictFieldsDto {
  @IsOptional() @IsUUID()
  toolkit_id?: string;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  confidence?: number;
}
