import type { TimedCue } from '@fleet/contracts';

/** Bounds that keep subtitles readable (the usual broadcast guidance). */
export interface ReadabilityRules {
  maxLineChars: number;
  maxLines: number;
  /** Characters per second a viewer can read. */
  maxCps: number;
  /** Longest a cue stays on screen. */
  maxCueSec: number;
  /** A silence this long between words ends a cue (speech recognisers without punctuation). */
  pauseSec: number;
  /** Smallest gap kept between consecutive cues. */
  minGapSec: number;
}

export const DEFAULT_RULES: ReadabilityRules = { maxLineChars: 42, maxLines: 2, maxCps: 17, maxCueSec: 6, pauseSec: 0.5, minGapSec: 0.05 };

export interface TimedWord {
  word: string;
  start: number;
  end: number;
}

const SENTENCE_END = /[.!?…]["')\]]*$/;
const round = (n: number) => Math.round(n * 1000) / 1000;

/** Groups recognised words into cues: a sentence end, a pause, or a full cue closes one. */
export function cuesFromWords(words: TimedWord[], rules: ReadabilityRules = DEFAULT_RULES): TimedCue[] {
  const cues: TimedCue[] = [];
  const maxChars = rules.maxLineChars * rules.maxLines;
  let current: TimedWord[] = [];
  const close = () => {
    if (current.length === 0) return;
    cues.push({ start: round(current[0].start), end: round(current[current.length - 1].end), text: current.map((w) => w.word).join(' ') });
    current = [];
  };
  for (const word of words) {
    const previous = current[current.length - 1];
    if (previous) {
      const text = current.map((w) => w.word).join(' ');
      const tooLong = text.length + 1 + word.word.length > maxChars || word.end - current[0].start > rules.maxCueSec;
      if (SENTENCE_END.test(previous.word) || word.start - previous.end >= rules.pauseSec || tooLong) close();
    }
    current.push(word);
  }
  close();
  return cues;
}

/**
 * Splits timed segments (an engine's, possibly several sentences each) on sentence boundaries,
 * sharing each segment's time among its sentences in proportion to their length.
 */
export function cuesFromSegments(segments: TimedCue[], rules: ReadabilityRules = DEFAULT_RULES): TimedCue[] {
  const cues: TimedCue[] = [];
  for (const segment of segments) {
    const sentences = splitSentences(segment.text);
    const total = sentences.reduce((sum, s) => sum + s.length, 0) || 1;
    let at = segment.start;
    for (const sentence of sentences) {
      const end = at + ((segment.end - segment.start) * sentence.length) / total;
      cues.push(...splitLongCue({ start: round(at), end: round(end), text: sentence }, rules));
      at = end;
    }
  }
  return cues;
}

export function splitSentences(text: string): string[] {
  const parts = text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?…]["')\]]*)\s+(?=\S)/);
  return parts.filter((p) => p.length > 0);
}

/** A cue whose text exceeds `maxLines` lines becomes several, timed in proportion to their length. */
export function splitLongCue(cue: TimedCue, rules: ReadabilityRules = DEFAULT_RULES): TimedCue[] {
  const maxChars = rules.maxLineChars * rules.maxLines;
  const text = cue.text.replace(/\s+/g, ' ').trim();
  if (text.length <= maxChars) return [{ ...cue, text }];
  const pieces: string[] = [];
  let rest = text;
  const count = Math.ceil(text.length / maxChars);
  const target = Math.ceil(text.length / count);
  while (rest.length > maxChars) {
    let cut = rest.lastIndexOf(' ', target);
    if (cut <= 0) cut = rest.indexOf(' ', target);
    if (cut <= 0) cut = maxChars;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  const total = pieces.reduce((sum, p) => sum + p.length, 0);
  const result: TimedCue[] = [];
  let at = cue.start;
  for (const piece of pieces) {
    const end = at + ((cue.end - cue.start) * piece.length) / total;
    result.push({ start: round(at), end: round(end), text: piece });
    at = end;
  }
  return result;
}

/** Breaks a cue's text into at most `maxLines` lines, balanced, at spaces. */
export function wrapLines(text: string, rules: ReadabilityRules = DEFAULT_RULES): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= rules.maxLineChars || rules.maxLines < 2) return flat;
  const middle = flat.length / 2;
  let best = -1;
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === ' ' && (best < 0 || Math.abs(i - middle) < Math.abs(best - middle))) best = i;
  }
  return best < 0 ? flat : `${flat.slice(0, best)}\n${flat.slice(best + 1)}`;
}

export interface LayoutReport {
  cues: TimedCue[];
  /** Cues still read faster than maxCps after taking the following gap. */
  tooFast: number;
}

/**
 * Final layout of translated cues: split what does not fit two lines, wrap, and lengthen cues
 * that read too fast into the silence after them (never into the next cue).
 */
export function layoutCues(input: TimedCue[], rules: ReadabilityRules = DEFAULT_RULES): LayoutReport {
  const cues = input.flatMap((cue) => splitLongCue(cue, rules)).map((cue) => ({ ...cue, text: wrapLines(cue.text, rules) }));
  let tooFast = 0;
  cues.forEach((cue, i) => {
    const chars = cue.text.replace(/\n/g, ' ').length;
    const wanted = chars / rules.maxCps;
    if (cue.end - cue.start < wanted) {
      const limit = i + 1 < cues.length ? cues[i + 1].start - rules.minGapSec : cue.start + wanted;
      cue.end = round(Math.max(cue.end, Math.min(cue.start + wanted, limit)));
    }
    if (chars / Math.max(cue.end - cue.start, 0.001) > rules.maxCps + 0.01) tooFast++;
  });
  return { cues, tooFast };
}
