import { Counter, Gauge, register } from 'prom-client';

function counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
  return (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames });
}

function gauge(name: string, help: string): Gauge {
  return (register.getSingleMetric(name) as Gauge | undefined) ?? new Gauge({ name, help });
}

/** Video series on /metrics (per instance; the ingest series only move on the ingest owner). */
export const videoMetrics = {
  liveStreams: gauge('fleet_video_live_streams', 'Streams published to this instance\'s RTMP ingest'),
  viewers: gauge('fleet_video_viewers', 'HTTP-FLV viewers attached to this instance\'s streams'),
  publishRefused: counter('fleet_video_publish_refused_total', 'RTMP publishers refused, by reason', ['reason']),
  telemetrySamples: counter('fleet_video_telemetry_samples_total', 'Telemetry samples stored through this instance'),
  feedConnections: gauge('fleet_video_feed_connections', 'Open live-feed sockets on this instance'),
  feedSampled: counter('fleet_video_feed_sampled_total', 'Telemetry frames replaced by a newer one for a lagging feed socket'),
  feedDropped: counter('fleet_video_feed_dropped_total', 'Feed sockets closed for being too slow'),
};
