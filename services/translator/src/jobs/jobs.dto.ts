import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import {
  LANGUAGE_CODE,
  TRANSLATOR_JOB_STATUSES,
  TRANSLATOR_OUTPUTS,
  TranslatorJobStatus,
  TranslatorJobView,
  TranslatorOutput,
} from '@fleet/contracts';
import { JobRecord } from './job.types';
import { jobProgress, stageProgress } from './pipeline-plan';

const toArray = ({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value);

export class CreateJobDto {
  @IsUUID()
  file_id!: string;

  @IsString() @Matches(LANGUAGE_CODE, { message: 'source_language must be an ISO 639-1 code such as "en"' })
  source_language!: string;

  /** One code or a list (`"es"` or `["es", "fr"]`). */
  @Transform(toArray)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5) @ArrayUnique()
  @Matches(LANGUAGE_CODE, { each: true, message: 'target_languages must be ISO 639-1 codes such as "es"' })
  target_languages!: string[];

  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayUnique()
  @IsIn(TRANSLATOR_OUTPUTS, { each: true })
  outputs?: TranslatorOutput[];

  /** Burn the subtitles into the picture of the output video instead of adding a subtitle stream. */
  @IsOptional() @IsBoolean()
  burn_subtitles?: boolean;
}

export class ListJobsQuery {
  // Explicit because the swagger plugin cannot see that a property with an initializer is optional.
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  offset: number = 0;

  @IsOptional() @IsIn(TRANSLATOR_JOB_STATUSES)
  status?: TranslatorJobStatus;
}

export const DEFAULT_OUTPUTS: TranslatorOutput[] = ['srt', 'vtt', 'transcript', 'dub', 'video'];

/** Which stage result field holds each output. */
const OUTPUT_SOURCE: Record<TranslatorOutput, { stage: string; field: string }> = {
  srt: { stage: 'translate', field: 'srt' },
  vtt: { stage: 'translate', field: 'vtt' },
  transcript: { stage: 'translate', field: 'transcript' },
  dub: { stage: 'synthesize', field: 'audio' },
  video: { stage: 'mux', field: 'video' },
};

/** Storage path of one result of a job, if that stage is done. */
export function resultPath(job: JobRecord, target: string, output: TranslatorOutput): string | undefined {
  if (!job.outputs.includes(output)) return undefined;
  const source = OUTPUT_SOURCE[output];
  const stage = job.stages.find((s) => s.name === `${source.stage}:${target}`);
  const value = stage?.status === 'done' ? stage.result?.[source.field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function mapJob(job: JobRecord, now = Date.now()): TranslatorJobView {
  const results: TranslatorJobView['results'] = {};
  const misfits: TranslatorJobView['dub_misfits'] = {};
  for (const target of job.target_languages) {
    results[target] = {};
    for (const output of job.outputs) {
      if (resultPath(job, target, output)) results[target][output] = `/translator_api/jobs/${job.id}/results/${target}/${output}`;
    }
    const synth = job.stages.find((s) => s.name === `synthesize:${target}`);
    if (synth?.result && Array.isArray(synth.result.misfits)) misfits[target] = synth.result.misfits as TranslatorJobView['dub_misfits'][string];
  }
  return {
    id: job.id,
    file_id: job.file_id,
    source_language: job.source_language,
    target_languages: job.target_languages,
    outputs: job.outputs,
    burn_subtitles: job.burn_subtitles,
    status: job.status,
    progress: job.status === 'completed' ? 1 : jobProgress(job.stages, now),
    error: job.error,
    stages: job.stages.map((s) => ({
      name: s.name,
      stage: s.stage,
      target: s.target,
      status: s.status,
      progress: stageProgress(s, now),
      cached: s.cached,
      worker: s.worker,
      attempts: s.attempts,
      elapsed_ms: s.result?.elapsed_ms ?? null,
      started_at: s.started_at,
      finished_at: s.finished_at,
      error: s.error,
    })),
    results,
    dub_misfits: misfits,
    created_at: new Date(job.created_at).toISOString(),
    updated_at: new Date(job.updated_at).toISOString(),
  };
}
