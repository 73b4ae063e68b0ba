import { Logger } from '@nestjs/common';

export interface PollingWorkerOptions {
  /** Logger context, e.g. the owning class's name. */
  name: string;
  /** Pause between rounds while all is well (and before the first one). */
  intervalMs: number;
  /** Longest pause after failed rounds; the pause doubles per failure from `intervalMs` up to it. Equal to `intervalMs`: no backoff. */
  maxBackoffMs: number;
  /** One round. Throwing marks the round failed: the next one waits longer. */
  tick: () => Promise<void>;
  /** The warning logged once per distinct failure (not once per retry). */
  failing?: (reason: string) => string;
  /** Logged when a round succeeds after failed ones. */
  recovered?: string;
}

/**
 * Runs `tick()` again and again, one round at a time: every `intervalMs`, soon after `poke()`,
 * and with exponential backoff while rounds fail. `stop()` cancels the next round and waits for
 * the running one, so a shutdown never cuts a round in half.
 */
export class PollingWorker {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private pokedWhileRunning = false;
  private failures = 0;
  private lastFailure?: string;
  private stopped = false;

  constructor(private readonly options: PollingWorkerOptions) {
    this.logger = new Logger(options.name);
  }

  /** Consecutive failed rounds (0 while all is well). */
  get failureCount(): number {
    return this.failures;
  }

  /** True once `stop()` was called: a long round checks it between batches. */
  get stopping(): boolean {
    return this.stopped;
  }

  start(delayMs = this.options.intervalMs): void {
    this.stopped = false;
    this.schedule(delayMs);
  }

  /** Run a round soon (new work arrived), unless rounds are failing and backing off. */
  poke(): void {
    if (this.failures > 0 || this.stopped) return;
    if (this.running) this.pokedWhileRunning = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), ms);
  }

  private async round(): Promise<void> {
    if (this.running) return;
    this.pokedWhileRunning = false;
    this.running = this.runTick().finally(() => (this.running = undefined));
    await this.running;
    this.schedule(this.pokedWhileRunning && this.failures === 0 ? 0 : this.nextDelay());
  }

  private async runTick(): Promise<void> {
    try {
      await this.options.tick();
    } catch (error) {
      this.failed(error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.failures > 0 && this.options.recovered) this.logger.log(this.options.recovered);
    this.failures = 0;
    this.lastFailure = undefined;
  }

  private failed(reason: string): void {
    this.failures += 1;
    if (reason !== this.lastFailure) this.logger.warn(this.options.failing ? this.options.failing(reason) : `Round failed: ${reason}`);
    this.lastFailure = reason;
  }

  private nextDelay(): number {
    const { intervalMs, maxBackoffMs } = this.options;
    if (this.failures === 0) return intervalMs;
    return Math.min(intervalMs * 2 ** Math.min(this.failures, 10), Math.max(maxBackoffMs, intervalMs));
  }
}
