import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { TICKET_CODE_PATTERN, TICKET_NONCE_PATTERN, TicketDecision, TicketDirection, TicketStatus } from '@fleet/contracts';
import { PageQueryDto } from '../paging/paging.dto';

/** One ticket, as an operator creates it or as one row of an import. */
export class CreateTicketDto {
  @IsString() @Matches(TICKET_CODE_PATTERN, { message: 'code must be 3-64 letters, digits, "-" or "_", starting with a letter or digit' })
  code!: string;

  @IsString() @Length(1, 200)
  passenger_name!: string;

  @IsString() @Length(1, 32)
  train!: string;

  @IsString() @Length(1, 16)
  car!: string;

  @IsString() @Length(1, 16)
  seat!: string;

  @IsString() @Length(1, 100)
  departure_station!: string;

  @IsISO8601({ strict: true }, { message: 'valid_from must be an ISO 8601 date-time' })
  valid_from!: string;

  @IsISO8601({ strict: true }, { message: 'valid_until must be an ISO 8601 date-time' })
  valid_until!: string;
}

export class TicketListQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @Length(1, 64)
  code?: string;

  @IsOptional() @IsString() @Length(1, 32)
  train?: string;

  @IsOptional() @IsEnum(TicketStatus)
  status?: TicketStatus;

  @IsOptional() @IsString() @Length(1, 100)
  departure_station?: string;

  /** Case-insensitive substring of the passenger's name. */
  @IsOptional() @IsString() @Length(1, 200)
  passenger?: string;

  /** Tickets whose validity window contains this instant. */
  @IsOptional() @Type(() => Date) @IsDate({ message: 'valid_at must be a date-time' })
  valid_at?: Date;
}

export class CancelTicketDto {
  @IsOptional() @IsString() @MaxLength(500)
  reason?: string;
}

export class TicketCheckDto {
  @IsString() @Length(1, 64)
  code!: string;

  @IsString() @Matches(TICKET_NONCE_PATTERN, { message: 'nonce must be 8-128 characters of letters, digits, "_", ":", "." or "-"' })
  nonce!: string;

  @IsEnum(TicketDirection)
  direction!: TicketDirection;
}

export class TicketCheckListQueryDto extends PageQueryDto {
  @IsOptional() @IsUUID()
  robot_id?: string;

  @IsOptional() @IsString() @Length(1, 64)
  ticket_code?: string;

  @IsOptional() @IsEnum(TicketDecision)
  decision?: TicketDecision;

  @IsOptional() @IsEnum(TicketDirection)
  direction?: TicketDirection;

  @IsOptional() @Type(() => Date) @IsDate({ message: 'from must be a date-time' })
  from?: Date;

  @IsOptional() @Type(() => Date) @IsDate({ message: 'to must be a date-time' })
  to?: Date;
}
