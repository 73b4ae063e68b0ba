import { ApiProperty } from '@nestjs/swagger';
import {
  DubMisfit,
  TRANSLATOR_JOB_STATUSES,
  TRANSLATOR_OUTPUTS,
  TRANSLATOR_STAGES,
  TranslatorJobStatus,
  TranslatorJobView,
  TranslatorOutput,
  TranslatorStage,
  TranslatorStageStatus,
  TranslatorStageView,
} from '@fleet/contracts';

const STAGE_STATUSES: TranslatorStageStatus[] = ['pending', 'running', 'done', 'failed', 'skipped'];

/** A dub cue whose speech did not fit its time slot. */
export class DubMisfitView implements DubMisfit {
  /** Index of the cue in the subtitles. */
  cue!: number;
  /** Seconds from the start of the media. */
  start!: number;
  slot_sec!: number;
  speech_sec!: number;
  /** The tempo the cue would need; above the limit it is played at the limit and overruns. */
  needed_tempo!: number;
}

/** One stage of a job's pipeline (`translate:es`: the stage, then its target language if it has one). */
export class JobStageView implements TranslatorStageView {
  name!: string;
  @ApiProperty({ enum: TRANSLATOR_STAGES })
  stage!: TranslatorStage;
  /** The target language of a per-language stage; null for the shared ones (extract_audio, transcribe). */
  target!: string | null;
  @ApiProperty({ enum: STAGE_STATUSES })
  status!: TranslatorStageStatus;
  /** 0 to 1; a running stage's is estimated from its elapsed time. */
  progress!: number;
  /** The output came from the stage cache (the same input was processed before). */
  cached!: boolean;
  /** Instance id of the worker that ran it. */
  worker!: string | null;
  attempts!: number;
  /** The worker's processing time (queue wait excluded); 0-ish for a cache hit. */
  elapsed_ms!: number | null;
  /** ISO 8601 date-time. */
  started_at!: string | null;
  /** ISO 8601 date-time. */
  finished_at!: string | null;
  error!: string | null;
}

/** Download paths of one target language's results, by output; an output is listed once it is ready. */
const RESULT_LINKS = {
  type: 'object',
  properties: Object.fromEntries(TRANSLATOR_OUTPUTS.map((output) => [output, { type: 'string', description: `Path of the ${output} download (under the gateway root)` }])),
};

/** A translation job: its pipeline's stages, overall progress, and the results ready so far. */
export class JobView implements TranslatorJobView {
  id!: string;
  /** The uploaded file it translates. */
  file_id!: string;
  /** ISO 639-1 code of the spoken language. */
  source_language!: string;
  /** ISO 639-1 codes to translate to. */
  target_languages!: string[];
  @ApiProperty({ enum: TRANSLATOR_OUTPUTS, isArray: true })
  outputs!: TranslatorOutput[];
  /** The subtitles are burned into the picture of the output video instead of a subtitle stream. */
  burn_subtitles!: boolean;
  @ApiProperty({ enum: TRANSLATOR_JOB_STATUSES })
  status!: TranslatorJobStatus;
  /** 0 to 1 over every stage; 1 once completed. */
  progress!: number;
  error!: string | null;
  stages!: JobStageView[];
  @ApiProperty({ type: 'object', additionalProperties: RESULT_LINKS, description: 'Download paths (under /translator_api) per target language and output: `results.es.vtt`.' })
  results!: Record<string, Partial<Record<TranslatorOutput, string>>>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/DubMisfitView' } },
    description: 'Dub cues that could not be fitted to their time, per target language.',
  })
  dub_misfits!: Record<string, DubMisfitView[]>;
  /** ISO 8601 date-time. */
  created_at!: string;
  /** ISO 8601 date-time. */
  updated_at!: string;
}
