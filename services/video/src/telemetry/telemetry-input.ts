import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { TelemetryBatchDto, TelemetrySampleDto } from './telemetry.dto';

/** A sample may be at most this far ahead of the server's clock (drone clock skew). */
export const MAX_FUTURE_SKEW_MS = 60_000;
/** Samples older than this are refused: drones buffer offline, but not for months. */
export const MAX_AGE_MS = 30 * 24 * 3600_000;

/**
 * Reads a POST body that is either one sample or `{ samples: [...] }`, strictly: every problem
 * of every sample in one 400, and timestamps checked against the server's clock.
 */
export function parseTelemetryBody(body: unknown, nowMs = Date.now()): TelemetrySampleDto[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequestException('Send one sample object or { "samples": [ ... ] } as JSON');
  }
  const batch = 'samples' in body;
  const target = batch ? plainToInstance(TelemetryBatchDto, body) : plainToInstance(TelemetrySampleDto, body);
  const errors = validateSync(target, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new BadRequestException(describe(errors));
  const samples = batch ? (target as TelemetryBatchDto).samples : [target as TelemetrySampleDto];
  const problems: string[] = [];
  samples.forEach((sample, index) => {
    const at = batch ? `samples.${index}.ts` : 'ts';
    const ts = Date.parse(sample.ts);
    if (ts > nowMs + MAX_FUTURE_SKEW_MS) problems.push(`${at} is ${Math.round((ts - nowMs) / 1000)} s in the future`);
    if (ts < nowMs - MAX_AGE_MS) problems.push(`${at} is older than 30 days`);
  });
  if (problems.length > 0) throw new BadRequestException(problems);
  return samples;
}

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => (message.startsWith(error.property) ? `${prefix}${message}` : `${path}: ${message}`));
    return [...own, ...describe(error.children ?? [], `${path}.`)];
  });
}
