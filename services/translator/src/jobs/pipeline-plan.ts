import type { TranslatorOutput, TranslatorStage } from '@fleet/contracts';
import { StageState } from './job.types';

function stage(name: TranslatorStage, target: string | null): StageState {
  return {
    name: target ? `${name}:${target}` : name,
    stage: name,
    target,
    status: 'pending',
    cached: false,
    worker: null,
    attempts: 0,
    started_at: null,
    finished_at: null,
    error: null,
    result: null,
  };
}

/**
 * The stages a job needs, in the order they run: audio and transcript once, then per target
 * language the translation (subtitles and transcript), the dub when a dub or a video is wanted,
 * and the mux when a video is wanted.
 */
export function planStages(targets: string[], outputs: TranslatorOutput[]): StageState[] {
  const stages = [stage('extract_audio', null), stage('transcribe', null)];
  const wants = new Set(outputs);
  for (const target of targets) {
    stages.push(stage('translate', target));
    if (wants.has('dub') || wants.has('video')) stages.push(stage('synthesize', target));
    if (wants.has('video')) stages.push(stage('mux', target));
  }
  return stages;
}

/** The finished result of `name` (e.g. `translate:es`) in a stage list. */
export function resultOf<T>(stages: StageState[], name: string): T {
  const found = stages.find((s) => s.name === name);
  if (!found?.result || found.status !== 'done') throw new Error(`Stage ${name} has no result yet`);
  return found.result as unknown as T;
}

/** A job's progress: finished stages count fully, a running one by how far it probably is. */
export function jobProgress(stages: StageState[], now = Date.now(), expectedMs = 10_000): number {
  if (stages.length === 0) return 0;
  const sum = stages.reduce((total, s) => total + stageProgress(s, now, expectedMs), 0);
  return Math.round((sum / stages.length) * 1000) / 1000;
}

/** A running stage reports time spent against a rough expectation, capped below 1 until done. */
export function stageProgress(s: StageState, now = Date.now(), expectedMs = 10_000): number {
  if (s.status === 'done' || s.status === 'skipped') return 1;
  if (s.status !== 'running' || !s.started_at) return 0;
  return Math.min(0.95, Math.round(((now - Date.parse(s.started_at)) / expectedMs) * 100) / 100);
}
