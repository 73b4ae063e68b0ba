import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '../common/paging.dto';
import { TransactionStatus } from './transaction.entity';

export class IssueToolkitDto {
  @IsUUID()
  toolkit_id!: string;

  @IsUUID()
  engineer_id!: string;
}

export class ReturnFieldsDto {
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  confidence?: number;
}

export class ResolveReviewDto {
  /** The status the operator decides on after looking at the photos. */
  @ApiProperty({ enum: [TransactionStatus.Complete, TransactionStatus.Incomplete] })
  @IsIn([TransactionStatus.Complete, TransactionStatus.Incomplete])
  status!: TransactionStatus.Complete | TransactionStatus.Incomplete;

  @IsString() @MinLength(3) @MaxLength(2000)
  reason!: string;
}

export class ListTransactionsDto extends PageQueryDto {
  @IsOptional() @IsIn(Object.values(TransactionStatus))
  status?: TransactionStatus;

  @IsOptional() @IsUUID()
  toolkit_id?: string;

  @IsOptional() @IsUUID()
  engineer_id?: string;
}
