import { Histogram, register } from 'prom-client';

/** Seconds spent per pipeline stage (decode, detect, embed, search, liveness), to see where identify's time goes. */
const stageSeconds =
  (register.getSingleMetric('fleet_face_stage_duration_seconds') as Histogram<'stage'> | undefined) ??
  new Histogram({
    name: 'fleet_face_stage_duration_seconds',
    help: 'Face pipeline stages, by stage',
    labelNames: ['stage'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28],
  });

/** Runs one stage and records its duration. */
export async function stage<T>(name: 'decode' | 'detect' | 'embed' | 'search' | 'liveness', work: () => Promise<T>): Promise<T> {
  const stop = stageSeconds.startTimer({ stage: name });
  try {
    return await work();
  } finally {
    stop();
  }
}
