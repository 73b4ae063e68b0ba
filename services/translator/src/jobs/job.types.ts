import type { StageResult, TranslatorJobStatus, TranslatorJobView, TranslatorStageView } from '@fleet/contracts';

/** One stage of a job as stored (jsonb): its view without the computed progress, plus the worker's answer once done. */
export interface StageState extends Omit<TranslatorStageView, 'progress' | 'elapsed_ms'> {
  result: (StageResult & Record<string, unknown>) | null;
}

export interface JobRecord extends Pick<TranslatorJobView, 'id' | 'file_id' | 'source_language' | 'target_languages' | 'outputs' | 'burn_subtitles' | 'status' | 'error'> {
  stages: StageState[];
  created_by: string;
  lease_owner: string | null;
  lease_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const TERMINAL_STATUSES: readonly TranslatorJobStatus[] = ['completed', 'failed', 'cancelled'];
