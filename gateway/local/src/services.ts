/**
 * The services the local launcher starts. Adding a service to the local fleet is one entry here
 * (its gateway route lives in the top-level nginx.conf, whose `{{UPSTREAM name}}` line picks up
 * the instances started from this table).
 */
export interface FleetServiceSpec {
  /** Process group name: instance ids are `<name>-<n>`; the upstream name in nginx.conf when public. */
  name: string;
  /**
   * Folder under services/ and the Postgres role `svc_<service>`; defaults to `name`. A worker pool
   * of a service is its own entry with the same `service` and another `entry`.
   */
  service?: string;
  /** Script under the service's dist/ to run; defaults to `src/main.js`. Must serve `/health` on PORT. */
  entry?: string;
  /** Gateway path prefix, or null for an internal-only service (face). */
  publicPath: string | null;
  /** How many instances the launcher starts. */
  instances: number;
  /** Port of the first instance; instance n (1-based) listens on firstPort + n - 1. */
  firstPort: number;
}

export const FLEET_SERVICES: readonly FleetServiceSpec[] = [
  { name: 'base', publicPath: '/base_api', instances: 2, firstPort: 3011 },
  { name: 'face', publicPath: null, instances: 2, firstPort: 3061 },
  { name: 'store', publicPath: '/store_api', instances: 2, firstPort: 3021 },
  // video-1 owns the RTMP ingest (RTMP_PORT, default 1935; VIDEO_INGEST_INSTANCE=video-1).
  { name: 'video', publicPath: '/video_api', instances: 2, firstPort: 3041 },
  { name: 'translator', publicPath: '/translator_api', instances: 1, firstPort: 3051 },
  { name: 'translator-worker', service: 'translator', entry: 'src/worker.js', publicPath: null, instances: 2, firstPort: 3055 },
  { name: 'vision', publicPath: '/vision_api', instances: 2, firstPort: 3031 },
  { name: 'vision-worker', service: 'vision', entry: 'src/worker.js', publicPath: null, instances: 2, firstPort: 3035 },
];

/** Folder under services/ (and database role) of a table entry. */
export const serviceFolderOf = (spec: FleetServiceSpec): string => spec.service ?? spec.name;

/** The script a table entry runs, relative to the repository root. */
export const entryOf = (spec: FleetServiceSpec): string[] => ['services', serviceFolderOf(spec), 'dist', ...(spec.entry ?? 'src/main.js').split('/')];
