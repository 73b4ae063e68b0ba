import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ExtractAudio,
  ExtractAudioResult,
  Mux,
  RpcErrorCode,
  StageResult,
  Synthesize,
  SynthesizeResult,
  Transcribe,
  TranscribeResult,
  Translate,
  TranslateResult,
} from '@fleet/contracts';
import { RpcClient, RpcError } from '@fleet/messaging';
import { PollingWorker } from '@fleet/platform';
import { TRANSLATOR_CONFIG, TranslatorConfig } from '../config/translator.config';
import { FileRecord } from '../files/file.types';
import { FilesRepository } from '../files/files.repository';
import { uploadKey } from '../storage/storage';
import { JobRecord, StageState } from './job.types';
import { JobsRepository } from './jobs.repository';
import { resultOf } from './pipeline-plan';

const POLL_MS = 1000;

/**
 * The orchestrator. Each API instance claims runnable jobs (leased in Postgres, renewed while
 * it works, TRANSLATOR_JOB_LEASE_SEC) and drives them stage by stage through the worker pool over RabbitMQ, storing the
 * stage list after every stage. A job whose orchestrator died is picked up again when its lease
 * runs out and continues from its first unfinished stage; stages already done are not called
 * again, and a stage redone after a crash is a cache hit on the worker if it had finished.
 *
 * Stages are RPC calls with a deadline scaled to the input's length (TRANSLATOR_STAGE_DEADLINE_MS
 * + TRANSLATOR_STAGE_MS_PER_INPUT_SEC per second): the messaging layer then gives, for free,
 * redelivery to another worker when one dies, bounded retries with backoff and the dead-letter
 * queue, and the error reply the job's `failed` reason is made of.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(JobRunner.name);
  private readonly owner: string;
  private readonly running = new Map<string, Promise<void>>();
  // Claiming: every POLL_MS and right after a job is created; a failed claim is retried at the next round.
  private readonly claimer = new PollingWorker({
    name: JobRunner.name,
    intervalMs: POLL_MS,
    maxBackoffMs: POLL_MS,
    tick: () => this.claimWhileRoom(),
    failing: (reason) => `Cannot claim jobs: ${reason}`,
  });
  private renewTimer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    @Inject(TRANSLATOR_CONFIG) private readonly config: TranslatorConfig,
    private readonly jobs: JobsRepository,
    private readonly files: FilesRepository,
    private readonly rpc: RpcClient,
  ) {
    // Unique per process: a restarted instance must not mistake its predecessor's leases for its own.
    this.owner = `${config.instanceId}:${randomUUID().slice(0, 8)}`;
  }

  onApplicationBootstrap(): void {
    this.renewTimer = setInterval(() => void this.renew(), (this.config.jobLeaseSec * 1000) / 3);
    this.claimer.start(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.renewTimer);
    await this.claimer.stop();
    // Hand running jobs back at once instead of making another instance wait out the lease.
    await Promise.allSettled([...this.running.keys()].map((id) => this.jobs.releaseLease(this.owner, id)));
  }

  /** Claim soon: a job was just created. */
  fill(): void {
    this.claimer.poke();
  }

  /** Claims jobs while this instance has room. */
  private async claimWhileRoom(): Promise<void> {
    while (!this.stopping && this.running.size < this.config.maxRunningJobs) {
      const job = await this.jobs.claimNext(this.owner, this.config.jobLeaseSec, [...this.running.keys()]);
      if (!job) break;
      const run = this.drive(job)
        .catch((error: Error) => this.log.error(`Job ${job.id} stopped on an unexpected error: ${error.stack ?? error.message}`))
        .finally(() => this.running.delete(job.id));
      this.running.set(job.id, run);
    }
  }

  private async renew(): Promise<void> {
    await this.jobs.renewLeases(this.owner, [...this.running.keys()], this.config.jobLeaseSec).catch((error: Error) => this.log.warn(`Cannot renew leases: ${error.message}`));
  }

  private async drive(job: JobRecord): Promise<void> {
    const file = await this.files.getById(job.file_id);
    if (!file) throw new Error(`file ${job.file_id} of job ${job.id} is gone`);
    const resumed = job.stages.filter((s) => s.status === 'done').length;
    this.log.log({ msg: `job ${job.id} ${resumed > 0 ? `resumed after ${resumed} finished stage(s)` : 'started'}`, job_id: job.id });
    const started = Date.now();
    for (const stage of job.stages) {
      if (stage.status === 'done' || stage.status === 'skipped') continue;
      if (this.stopping) return;
      Object.assign(stage, { status: 'running', attempts: stage.attempts + 1, started_at: new Date().toISOString(), finished_at: null, error: null });
      if (!(await this.save(job, 'running'))) return;
      let result: StageResult & Record<string, unknown>;
      try {
        result = (await this.callStage(job, file, stage)) as StageResult & Record<string, unknown>;
      } catch (error) {
        await this.stageFailed(job, stage, error);
        return;
      }
      Object.assign(stage, { status: 'done', result, cached: result.cached, worker: result.worker, finished_at: new Date().toISOString() });
      if (!(await this.save(job, 'running'))) return;
    }
    if (await this.save(job, 'completed')) this.log.log({ msg: `job ${job.id} completed in ${Date.now() - started} ms`, job_id: job.id });
  }

  private async stageFailed(job: JobRecord, stage: StageState, error: unknown): Promise<void> {
    if (this.stopping) return;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RpcError && error.code === RpcErrorCode.Unavailable) {
      // Broker or pool away: not the job's fault. Keep it running; the lease runs out and it is retried.
      this.log.warn({ msg: `job ${job.id}: ${stage.name} could not be sent (${message}); retried once the lease expires`, job_id: job.id });
      stage.status = 'pending';
      await this.save(job, 'running');
      return;
    }
    Object.assign(stage, { status: 'failed', error: message, finished_at: new Date().toISOString() });
    await this.save(job, 'failed', `${stage.name} failed: ${message}`);
    this.log.warn({ msg: `job ${job.id} failed at ${stage.name}: ${message}`, job_id: job.id });
  }

  private save(job: JobRecord, status: JobRecord['status'], error: string | null = null): Promise<boolean> {
    return this.jobs.saveProgress(job.id, this.owner, job.stages, status, error);
  }

  private callStage(job: JobRecord, file: FileRecord, stage: StageState): Promise<StageResult> {
    const options = {
      deadlineMs: this.config.stageDeadline.baseMs + Math.ceil(file.duration_sec * this.config.stageDeadline.msPerInputSec),
      messageId: `${job.id}:${stage.name}:${stage.attempts}`,
    };
    const input = uploadKey(file.sha256);
    const base = { job_id: job.id };
    const target = stage.target ?? job.source_language;
    switch (stage.stage) {
      case 'extract_audio':
        return this.rpc.call(ExtractAudio, { ...base, input }, options);
      case 'transcribe':
        return this.rpc.call(Transcribe, { ...base, audio: resultOf<ExtractAudioResult>(job.stages, 'extract_audio').audio, language: job.source_language }, options);
      case 'translate':
        return this.rpc.call(Translate, { ...base, cues: resultOf<TranscribeResult>(job.stages, 'transcribe').cues, source: job.source_language, target }, options);
      case 'synthesize':
        return this.rpc.call(
          Synthesize,
          { ...base, cues: resultOf<TranslateResult>(job.stages, `translate:${target}`).cues, language: target, duration_sec: resultOf<ExtractAudioResult>(job.stages, 'extract_audio').duration_sec },
          options,
        );
      case 'mux': {
        const dub = job.stages.some((s) => s.name === `synthesize:${target}`) ? resultOf<SynthesizeResult>(job.stages, `synthesize:${target}`).audio : undefined;
        const subtitles = resultOf<TranslateResult>(job.stages, `translate:${target}`).srt;
        return this.rpc.call(Mux, { ...base, video: input, audio: dub, subtitles, language: target, burn: job.burn_subtitles }, options);
      }
    }
  }
}
