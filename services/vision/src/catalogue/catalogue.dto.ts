import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import type { ToolEntity } from './tool.entity';
import type { ToolkitEntity, ToolkitItemEntity } from './toolkit.entity';

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

export interface ToolResponseDto {
  id: string;
  name: string;
  serial_number: string;
  category: string;
  class_name: string;
  created_at: string;
  updated_at: string;
}

export interface ToolkitItemResponseDto {
  id: string;
  tool: ToolResponseDto;
  quantity: number;
}

export interface ToolkitResponseDto {
  id: string;
  name: string;
  description: string;
  items: ToolkitItemResponseDto[];
  created_at: string;
  updated_at: string;
}

export function mapTool(tool: ToolEntity): ToolResponseDto {
  return {
    id: tool.id,
    name: tool.name,
    serial_number: tool.serialNumber,
    category: tool.category,
    class_name: tool.className,
    created_at: tool.createdAt.toISOString(),
    updated_at: tool.updatedAt.toISOString(),
  };
}

export function mapItem(item: ToolkitItemEntity): ToolkitItemResponseDto {
  return { id: item.id, tool: mapTool(item.tool!), quantity: item.quantity };
}

export function mapToolkit(toolkit: ToolkitEntity): ToolkitResponseDto {
  return {
    id: toolkit.id,
    name: toolkit.name,
    description: toolkit.description,
    items: (toolkit.items ?? []).map(mapItem).sort((a, b) => a.tool.name.localeCompare(b.tool.name)),
    created_at: toolkit.createdAt.toISOString(),
    updated_at: toolkit.updatedAt.toISOString(),
  };
}
