import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parse } from 'csv-parse/sync';
import type { Request } from 'express';
import { CreateTicketDto } from './tickets.dto';

export const IMPORT_MAX_ROWS = 10_000;
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024;
export const TICKET_FIELDS = ['code', 'passenger_name', 'train', 'car', 'seat', 'departure_station', 'valid_from', 'valid_until'] as const;

/** One input row before validation; `row` is 1-based (CSV: the header is row 0). */
export interface ImportRow {
  row: number;
  value: unknown;
  /** A problem found while reading the row (wrong field count), before validation. */
  problem?: string;
}

function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => Object.values(error.constraints ?? { invalid: `${error.property} is invalid` }));
}

/** Validates one row: the ticket, or the list of what is wrong with it. */
export function validateRow(value: unknown): { ticket?: CreateTicketDto; errors: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { errors: ['row must be an object with the ticket fields'] };
  const ticket = plainToInstance(CreateTicketDto, value);
  const errors = messages(validateSync(ticket, { whitelist: true, forbidNonWhitelisted: true }));
  if (errors.length === 0) errors.push(...windowErrors(ticket));
  return errors.length ? { errors } : { ticket, errors };
}

/** What class-validator cannot see field by field: the validity window must not be empty. */
export function windowErrors(ticket: Pick<CreateTicketDto, 'valid_from' | 'valid_until'>): string[] {
  return Date.parse(ticket.valid_until) <= Date.parse(ticket.valid_from) ? ['valid_until must be after valid_from'] : [];
}

export function codeOf(value: unknown): string | null {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0 ? code.slice(0, 64) : null;
}

/** JSON import: an array of tickets, or `{ "tickets": [...] }`. */
export function rowsFromJson(body: unknown): ImportRow[] {
  const list = Array.isArray(body) ? body : (body as { tickets?: unknown } | null)?.tickets;
  if (!Array.isArray(list)) throw new BadRequestException('A JSON import is an array of tickets or an object { "tickets": [...] }');
  return checkCount(list.map((value, i) => ({ row: i + 1, value })));
}

/** CSV import: a header row naming the ticket fields (any order), then one ticket per row. */
export function rowsFromCsv(text: string): ImportRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new BadRequestException(`The CSV could not be read: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) throw new BadRequestException('The CSV is empty; its first line must name the columns');
  const missing = TICKET_FIELDS.filter((field) => !header.includes(field));
  if (missing.length) throw new BadRequestException(`The CSV header lacks the columns: ${missing.join(', ')}`);
  return checkCount(
    data.map((fields, i) => {
      const value = Object.fromEntries(header.map((name, j) => [name, fields[j]]).filter(([, v]) => v !== undefined && v !== ''));
      const problem = fields.length !== header.length ? `row has ${fields.length} fields, the header has ${header.length}` : undefined;
      return { row: i + 1, value, problem };
    }),
  );
}

function checkCount(rows: ImportRow[]): ImportRow[] {
  if (rows.length === 0) throw new BadRequestException('The import holds no ticket');
  if (rows.length > IMPORT_MAX_ROWS) throw new PayloadTooLargeException(`An import holds at most ${IMPORT_MAX_ROWS} tickets; this one has ${rows.length}`);
  return rows;
}

/** Reads a request body the JSON parser left alone (text/csv), up to IMPORT_MAX_BYTES. */
export async function readTextBody(request: Request): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > IMPORT_MAX_BYTES) throw new PayloadTooLargeException(`A CSV import is at most ${IMPORT_MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
