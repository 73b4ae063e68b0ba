import type { ValueTransformer } from 'typeorm';

/**
 * pg returns bigint as a string so that no precision is lost; seqs stay far below 2^53
 * (a million messages a day for 24 billion years), so a JS number is exact.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
