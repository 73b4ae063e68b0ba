import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

const CLASS_NAME = /^[A-Za-z0-9_ -]{1,100}$/;

export class CreateToolDto {
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @IsString() @MinLength(1) @MaxLength(64)
  serial_number!: string;

  @IsString() @MinLength(1) @MaxLength(100)
  category!: string;

  /** The detector's label for this tool; defaults to the category. */
  @IsOptional() @IsString() @Matches(CLASS_NAME)
  class_name?: string;
}

export class UpdateToolDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @IsOptional() @IsString() @MinLength(1) @MaxLength(64)
  serial_number?: string;

  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  category?: string;

  @IsOptional() @IsString() @Matches(CLASS_NAME)
  class_name?: string;
}

export class ToolkitItemDto {
  @IsUUID()
  tool_id!: string;

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  quantity?: number;
}

export class CreateToolkitDto {
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @IsOptional() @IsString() @MaxLength(2000)
  description?: string;

  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => ToolkitItemDto)
  items?: ToolkitItemDto[];
}

export class UpdateToolkitDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @IsOptional() @IsString() @MaxLength(2000)
  description?: string;
}

export class UpdateItemDto {
  @IsInt() @Min(1) @Max(1000)
  quantity!: number;
}
