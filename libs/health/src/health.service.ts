import { Inject, Injectable, Logger } from '@nestjs/common';
import { HEALTH_PROBES, HealthProbe, HealthReport } from './health.types';

const PROBE_TIMEOUT_MS = 1500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Asks every dependency at once, each with a deadline, so /health answers quickly even when one hangs. */
@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(@Inject(HEALTH_PROBES) private readonly probes: Record<string, HealthProbe>) {}

  async check(): Promise<HealthReport> {
    const names = Object.keys(this.probes);
    const outcomes = await Promise.allSettled(names.map((name) => withTimeout(Promise.resolve().then(this.probes[name]), PROBE_TIMEOUT_MS)));
    const report: HealthReport = { status: 'healthy', services: {} };
    outcomes.forEach((outcome, index) => {
      const name = names[index];
      report.services[name] = outcome.status === 'fulfilled' ? 'up' : 'down';
      if (outcome.status === 'rejected') {
        report.status = 'unhealthy';
        const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
        (report.errors ??= {})[name] = reason;
        this.logger.warn(`dependency ${name} is down: ${reason}`);
      }
    });
    return report;
  }
}
