/** One instance of a fleet service as its last roll-call report shows it. */
export class InstanceStatusView {
  /** The service (`base`, `vision-worker`, ...). */
  service!: string;
  /** The instance's id (`base-1` locally, `<service>-<container>` in compose). */
  instance!: string;
  pid!: number;
  started_at!: string;
  reported_at!: string;
  /** `silent`: no report for 15 s (crashed, frozen, or cut off from Redis). */
  state!: 'reporting' | 'silent';
  last_report_age_ms!: number;
  /** Its own /health verdict at its last report. */
  status!: 'healthy' | 'unhealthy';
  /** Each dependency's state (`postgres`, `redis`, `rabbitmq`, `chromadb`, ...). */
  dependencies!: Record<string, 'up' | 'down'>;
  /** Why each failing dependency is down. */
  errors?: Record<string, string>;
  rss_bytes!: number;
}

export class InstanceRosterView {
  items!: InstanceStatusView[];
  /** When base read the roll call. */
  read_at!: string;
}
