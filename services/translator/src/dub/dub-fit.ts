import type { DubMisfit, TimedCue } from '@fleet/contracts';

export interface CuePlacement {
  /** Speed-up applied to the spoken clip (1 = as spoken). */
  tempo: number;
  /** The clip overruns its slot even at the fastest allowed tempo. */
  misfit?: DubMisfit;
}

/**
 * How to fit a spoken cue to its place: its slot runs from the cue's start to the next cue's
 * start (or the end of the track), so a clip may use the silence after its cue. Clips that are
 * too long are sped up (atempo), never past `maxTempo` (beyond that speech stops sounding
 * natural); a clip that still does not fit is reported. Short clips are never slowed down.
 */
export function placeCue(cues: TimedCue[], index: number, speechSec: number, trackSec: number, maxTempo: number): CuePlacement {
  const cue = cues[index];
  const slotEnd = index + 1 < cues.length ? cues[index + 1].start : Math.max(trackSec, cue.end);
  const slot = Math.max(slotEnd - cue.start, 0.05);
  const needed = speechSec / slot;
  if (needed <= 1) return { tempo: 1 };
  if (needed <= maxTempo) return { tempo: needed };
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { tempo: maxTempo, misfit: { cue: index, start: cue.start, slot_sec: round(slot), speech_sec: round(speechSec), needed_tempo: round(needed) } };
}
