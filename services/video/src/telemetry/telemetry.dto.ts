import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsISO8601, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';

const FINITE = { allowNaN: false, allowInfinity: false };

/** Samples per POST; a drone with more buffered sends several batches. */
export const TELEMETRY_MAX_BATCH = 500;

/** One measurement from a drone. Types are strict: "12.5" is not a number. */
export class TelemetrySampleDto {
  /** When the drone measured it (ISO 8601 with a zone). */
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'ts must be an ISO 8601 timestamp' })
  ts!: string;

  @IsNumber(FINITE) @Min(-90) @Max(90)
  lat!: number;

  @IsNumber(FINITE) @Min(-180) @Max(180)
  lon!: number;

  /** Metres above sea level. */
  @IsOptional() @IsNumber(FINITE) @Min(-500) @Max(20_000)
  alt_m?: number;

  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(200)
  speed_mps?: number;

  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(360)
  heading_deg?: number;

  @IsOptional() @IsNumber(FINITE) @Min(0) @Max(100)
  battery_pct?: number;

  @IsOptional() @IsNumber(FINITE) @Min(-150) @Max(0)
  signal_dbm?: number;

  /** The presentation time (ms) of the video frame the drone was sending when it measured this. */
  @IsOptional() @IsInt() @Min(0) @Max(2 ** 47)
  stream_ms?: number;
}

export class TelemetryBatchDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(TELEMETRY_MAX_BATCH) @ValidateNested({ each: true }) @Type(() => TelemetrySampleDto)
  samples!: TelemetrySampleDto[];
}

export class TelemetryQueryDto {
  @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 timestamp' })
  from?: string;

  @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 timestamp' })
  to?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  /** `next_cursor` of the previous page. */
  @IsOptional()
  cursor?: string;
}

export class TrackQueryDto {
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 timestamp' })
  from!: string;

  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 timestamp' })
  to!: string;

  /** Most points to return; the range is cut into this many equal time buckets. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(2) @Max(5000)
  points?: number;
}
