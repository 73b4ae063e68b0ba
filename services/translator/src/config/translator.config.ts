import path from 'node:path';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';
import { StorageSettings, storageSettingsOf, WithStorageEnv } from '@fleet/storage';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const urlOptions = { require_tld: false, require_protocol: true };

export type SttEngineName = 'pocketsphinx' | 'openai';
export type MtEngineName = 'apertium' | 'libretranslate' | 'openai';
export type TtsEngineName = 'espeak' | 'openai';

/** The translator's variables (API and worker read the same class; each uses its part), STORAGE_BACKEND and S3_* included. */
export class TranslatorEnv extends WithStorageEnv(CommonEnv) {
  override DATABASE_URL: string = 'postgres://svc_translator:svc_translator@127.0.0.1:5432/fleet';

  /**
   * Shared by the API and every worker (a volume in compose): uploads, stage cache, results. With
   * STORAGE_BACKEND=s3 those live in the bucket, and this directory holds only each process's
   * work in progress (uploads being received, stage inputs downloaded for ffmpeg and the engines).
   */
  @IsString()
  TRANSLATOR_STORAGE_DIR: string = path.join(REPO_ROOT, '.dev', 'translator-storage');

  @IsInt() @Min(1024)
  TRANSLATOR_MAX_UPLOAD_BYTES: number = 500 * 1024 * 1024;

  /** Stage deadline: this much plus TRANSLATOR_STAGE_MS_PER_INPUT_SEC per second of input. */
  @IsInt() @Min(1000)
  TRANSLATOR_STAGE_DEADLINE_MS: number = 120_000;

  @IsInt() @Min(0)
  TRANSLATOR_STAGE_MS_PER_INPUT_SEC: number = 5_000;

  /**
   * Longest input accepted, seconds of media. It bounds the longest stage deadline, which the
   * broker's consumer_timeout must exceed (gateway/rabbitmq/fleet.conf, checked by a test).
   */
  @IsInt() @Min(1) @Max(86_400)
  TRANSLATOR_MAX_INPUT_SEC: number = 4 * 3600;

  /** Jobs one API instance runs at once (each waits on workers; the pool does the work). */
  @IsInt() @Min(1) @Max(64)
  TRANSLATOR_MAX_RUNNING_JOBS: number = 8;

  /** How long a job stays with an orchestrator that stopped renewing it (crashed) before another takes it over. */
  @IsInt() @Min(3) @Max(600)
  TRANSLATOR_JOB_LEASE_SEC: number = 30;

  /** Stages one worker runs at once (its prefetch). */
  @IsInt() @Min(1) @Max(16)
  TRANSLATOR_WORKER_CONCURRENCY: number = 1;

  @IsIn(['pocketsphinx', 'openai'])
  TRANSLATOR_STT_ENGINE: SttEngineName = 'pocketsphinx';

  @IsIn(['apertium', 'libretranslate', 'openai'])
  TRANSLATOR_MT_ENGINE: MtEngineName = 'apertium';

  @IsIn(['espeak', 'openai'])
  TRANSLATOR_TTS_ENGINE: TtsEngineName = 'espeak';

  @IsOptional() @IsUrl(urlOptions)
  OPENAI_BASE_URL?: string;

  @IsOptional() @IsString()
  OPENAI_API_KEY?: string;

  @IsString()
  OPENAI_STT_MODEL: string = 'whisper-1';

  @IsString()
  OPENAI_CHAT_MODEL: string = 'gpt-4o-mini';

  @IsString()
  OPENAI_TTS_MODEL: string = 'tts-1';

  @IsString()
  OPENAI_TTS_VOICE: string = 'alloy';

  @IsOptional() @IsUrl(urlOptions)
  LIBRETRANSLATE_URL?: string;

  @IsOptional() @IsString()
  LIBRETRANSLATE_API_KEY?: string;

  /** Reading-speed bound of subtitles, characters per second. */
  @IsNumber() @Min(5) @Max(40)
  TRANSLATOR_MAX_CPS: number = 17;

  /** Fastest tempo the dub may be played at to fit its slot (ffmpeg atempo). */
  @IsNumber() @Min(1) @Max(4)
  TRANSLATOR_MAX_TEMPO: number = 1.5;
}

export interface EngineSettings {
  stt: SttEngineName;
  mt: MtEngineName;
  tts: TtsEngineName;
  openai: { baseUrl?: string; apiKey?: string; sttModel: string; chatModel: string; ttsModel: string; ttsVoice: string };
  libretranslate: { url?: string; apiKey?: string };
  maxCps: number;
  maxTempo: number;
}

export interface TranslatorConfig extends FleetConfig {
  storageDir: string;
  storage: StorageSettings;
  maxUploadBytes: number;
  maxInputSec: number;
  stageDeadline: { baseMs: number; msPerInputSec: number };
  maxRunningJobs: number;
  jobLeaseSec: number;
  workerConcurrency: number;
  engines: EngineSettings;
}

export const TRANSLATOR_CONFIG = Symbol('TRANSLATOR_CONFIG');

function toTranslatorConfig(env: TranslatorEnv): TranslatorConfig {
  return {
    ...toFleetConfig('translator', env),
    storageDir: path.resolve(env.TRANSLATOR_STORAGE_DIR),
    storage: storageSettingsOf(env),
    maxUploadBytes: env.TRANSLATOR_MAX_UPLOAD_BYTES,
    maxInputSec: env.TRANSLATOR_MAX_INPUT_SEC,
    stageDeadline: { baseMs: env.TRANSLATOR_STAGE_DEADLINE_MS, msPerInputSec: env.TRANSLATOR_STAGE_MS_PER_INPUT_SEC },
    maxRunningJobs: env.TRANSLATOR_MAX_RUNNING_JOBS,
    jobLeaseSec: env.TRANSLATOR_JOB_LEASE_SEC,
    workerConcurrency: env.TRANSLATOR_WORKER_CONCURRENCY,
    engines: {
      stt: env.TRANSLATOR_STT_ENGINE,
      mt: env.TRANSLATOR_MT_ENGINE,
      tts: env.TRANSLATOR_TTS_ENGINE,
      openai: {
        baseUrl: env.OPENAI_BASE_URL,
        apiKey: env.OPENAI_API_KEY,
        sttModel: env.OPENAI_STT_MODEL,
        chatModel: env.OPENAI_CHAT_MODEL,
        ttsModel: env.OPENAI_TTS_MODEL,
        ttsVoice: env.OPENAI_TTS_VOICE,
      },
      libretranslate: { url: env.LIBRETRANSLATE_URL, apiKey: env.LIBRETRANSLATE_API_KEY },
      maxCps: env.TRANSLATOR_MAX_CPS,
      maxTempo: env.TRANSLATOR_MAX_TEMPO,
    },
  };
}

const loader = cachedLoader(() => toTranslatorConfig(validateEnv(TranslatorEnv)));
export const loadTranslatorConfig = loader.get;
export const clearTranslatorConfigCache = loader.clear;
