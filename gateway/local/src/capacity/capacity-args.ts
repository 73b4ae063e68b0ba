import { parseArgs } from 'node:util';
import { ASSUMPTION_NOTES, Assumptions, flagOf, Network } from './capacity-model';

export interface CapacityRequest {
  network: Network;
  overrides: Partial<Assumptions>;
  /** bench/results.json unless --results names another file. */
  resultsFile?: string;
  json: boolean;
}

export const CAPACITY_USAGE = `Usage: npm run capacity -- --stations N --robots-per-station R [--drones D] [--translation-hours-per-day H]
         [--results FILE] [--json] [any assumption flag the report lists, e.g. --peak-factor 2]`;

const NETWORK_FLAGS: Record<keyof Network, { required: boolean }> = {
  stations: { required: true },
  robotsPerStation: { required: true },
  drones: { required: false },
  translationHoursPerDay: { required: false },
};

function numberOf(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) throw new RangeError(`${flag} wants a number (got "${raw}")`);
  return value;
}

/** `--stations 50 --robots-per-station 20 ...` into the network and the assumptions given. */
export function parseCapacityArgs(argv: string[]): CapacityRequest {
  const numeric = [...Object.keys(NETWORK_FLAGS), ...Object.keys(ASSUMPTION_NOTES)];
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...Object.fromEntries(numeric.map((name) => [flagOf(name).slice(2), { type: 'string' as const }])),
      results: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const given = values as Record<string, string | boolean | undefined>;
  const read = (name: string): number | undefined => {
    const raw = given[flagOf(name).slice(2)];
    return typeof raw === 'string' ? numberOf(flagOf(name), raw) : undefined;
  };
  const missing = Object.entries(NETWORK_FLAGS).filter(([name, { required }]) => required && read(name) === undefined);
  if (missing.length) throw new RangeError(`${missing.map(([name]) => flagOf(name)).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} required`);
  const network: Network = {
    stations: read('stations') as number,
    robotsPerStation: read('robotsPerStation') as number,
    drones: read('drones') ?? 0,
    translationHoursPerDay: read('translationHoursPerDay') ?? 0,
  };
  const overrides = Object.fromEntries(Object.keys(ASSUMPTION_NOTES).flatMap((name) => (read(name) === undefined ? [] : [[name, read(name)]]))) as Partial<Assumptions>;
  return { network, overrides, resultsFile: typeof given.results === 'string' ? given.results : undefined, json: given.json === true };
}
