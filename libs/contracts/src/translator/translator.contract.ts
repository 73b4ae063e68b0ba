import { IsBoolean, IsNumber, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { defineMethod } from '../rpc';

/**
 * The translator's pipeline stages: RPC methods served by its worker pool (queue
 * `fleet.translator`, consumed by `services/translator/dist/src/worker.js`). Every method takes
 * storage-relative paths (files live in the shared storage directory, addressed by content
 * hash; only paths and small numbers cross RabbitMQ) and answers with the cache key its output
 * is stored under, so a repeated stage is a lookup.
 */

/** A path inside the translator's storage directory: no absolute paths, no `..`. */
export const STORAGE_PATH = /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]{1,300}$/;
/** ISO 639-1 language code (`en`, `es`). */
export const LANGUAGE_CODE = /^[a-z]{2}$/;

export const TRANSLATOR_STAGES = ['extract_audio', 'transcribe', 'translate', 'synthesize', 'mux'] as const;
export type TranslatorStage = (typeof TRANSLATOR_STAGES)[number];

/** What a job can produce, per target language. */
export const TRANSLATOR_OUTPUTS = ['srt', 'vtt', 'transcript', 'dub', 'video'] as const;
export type TranslatorOutput = (typeof TRANSLATOR_OUTPUTS)[number];

export const TRANSLATOR_JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TranslatorJobStatus = (typeof TRANSLATOR_JOB_STATUSES)[number];
export type TranslatorStageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

abstract class StageParams {
  /** For logs and the worker's progress lines only; the output depends on the inputs alone. */
  @IsString() @MaxLength(64)
  job_id!: string;
}

/** Every stage result: where the output is cached, and whether this call did the work. */
export class StageResult {
  key!: string;
  cached!: boolean;
  /** Instance id of the worker that answered. */
  worker!: string;
  elapsed_ms!: number;
}

export class ExtractAudioParams extends StageParams {
  @IsString() @Matches(STORAGE_PATH)
  input!: string;
}
export class ExtractAudioResult extends StageResult {
  /** 16 kHz mono PCM WAV. */
  audio!: string;
  duration_sec!: number;
  has_video!: boolean;
}

export class TranscribeParams extends StageParams {
  @IsString() @Matches(STORAGE_PATH)
  audio!: string;

  @IsString() @Matches(LANGUAGE_CODE)
  language!: string;
}
export class TranscribeResult extends StageResult {
  /** JSON array of {@link TimedCue}, split for reading. */
  cues!: string;
  cue_count!: number;
  engine!: string;
}

export class TranslateParams extends StageParams {
  @IsString() @Matches(STORAGE_PATH)
  cues!: string;

  @IsString() @Matches(LANGUAGE_CODE)
  source!: string;

  @IsString() @Matches(LANGUAGE_CODE)
  target!: string;
}
export class TranslateResult extends StageResult {
  cues!: string;
  srt!: string;
  vtt!: string;
  transcript!: string;
  /** Cues whose reading speed stays above the bound even after using the gap that follows. */
  too_fast!: number;
  engine!: string;
}

export class SynthesizeParams extends StageParams {
  @IsString() @Matches(STORAGE_PATH)
  cues!: string;

  @IsString() @Matches(LANGUAGE_CODE)
  language!: string;

  /** Length of the track to produce (the input's duration). */
  @IsNumber() @Min(0)
  duration_sec!: number;
}
export interface DubMisfit {
  cue: number;
  start: number;
  slot_sec: number;
  speech_sec: number;
  /** The tempo the cue would need; above the limit it is played at the limit and overruns. */
  needed_tempo: number;
}
export class SynthesizeResult extends StageResult {
  audio!: string;
  duration_sec!: number;
  misfits!: DubMisfit[];
  engine!: string;
}

export class MuxParams extends StageParams {
  @IsString() @Matches(STORAGE_PATH)
  video!: string;

  @IsOptional() @IsString() @Matches(STORAGE_PATH)
  audio?: string;

  @IsOptional() @IsString() @Matches(STORAGE_PATH)
  subtitles?: string;

  @IsString() @Matches(LANGUAGE_CODE)
  language!: string;

  /** Burn the subtitles into the picture instead of adding a subtitle stream. */
  @IsOptional() @IsBoolean()
  burn?: boolean;
}
export class MuxResult extends StageResult {
  video!: string;
}

/** One subtitle cue: times in seconds, text possibly with one line break. */
export interface TimedCue {
  start: number;
  end: number;
  text: string;
}

export const ExtractAudio = defineMethod('translator.media.extract_audio.v1', ExtractAudioParams, ExtractAudioResult);
export const Transcribe = defineMethod('translator.speech.transcribe.v1', TranscribeParams, TranscribeResult);
export const Translate = defineMethod('translator.text.translate.v1', TranslateParams, TranslateResult);
export const Synthesize = defineMethod('translator.speech.synthesize.v1', SynthesizeParams, SynthesizeResult);
export const Mux = defineMethod('translator.media.mux.v1', MuxParams, MuxResult);

/** The HTTP envelope of every `/translator_api` route (success and error share it). */
export interface TranslatorEnvelope<T> {
  status: 'success' | 'error';
  message: string;
  data?: T;
  error?: string;
  /** Errors: field -> messages of a refused request body or query. */
  details?: Record<string, string[]>;
  /** Errors: the request's X-Request-ID. */
  request_id?: string | null;
}

export interface UploadedFileData {
  filename: string;
  content_type: string;
  size: number;
  upload_time: string;
  file_id: string;
}

export interface TranslatorStageView {
  name: string;
  stage: TranslatorStage;
  target: string | null;
  status: TranslatorStageStatus;
  progress: number;
  cached: boolean;
  worker: string | null;
  attempts: number;
  /** The worker's processing time (queue wait excluded); 0-ish for a cache hit. */
  elapsed_ms: number | null;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

export interface TranslatorJobView {
  id: string;
  file_id: string;
  source_language: string;
  target_languages: string[];
  outputs: TranslatorOutput[];
  burn_subtitles: boolean;
  status: TranslatorJobStatus;
  progress: number;
  error: string | null;
  stages: TranslatorStageView[];
  /** Download paths (under /translator_api) per target and output. */
  results: Record<string, Partial<Record<TranslatorOutput, string>>>;
  /** Dub cues that could not be fitted to their time, per target. */
  dub_misfits: Record<string, DubMisfit[]>;
  created_at: string;
  updated_at: string;
}
