/**
 * The services the local launcher starts. Adding a service to the local fleet is one entry here
 * (its gateway route lives in the top-level nginx.conf, whose `{{UPSTREAM name}}` line picks up
 * the instances started from this table).
 */
export interface FleetServiceSpec {
  /** Folder under services/, the upstream name in nginx.conf, and the Postgres role `svc_<name>`. */
  name: string;
  /** Gateway path prefix, or null for an internal-only service (face). */
  publicPath: string | null;
  /** How many instances the launcher starts. */
  instances: number;
  /** Port of the first instance; instance n (1-based) listens on firstPort + n - 1. */
  firstPort: number;
}

export const FLEET_SERVICES: readonly FleetServiceSpec[] = [
  { name: 'base', publicPath: '/base_api', instances: 2, firstPort: 3011 },
];
