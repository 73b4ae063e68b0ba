import type { TimedCue } from '@fleet/contracts';

function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

export function toSrt(cues: TimedCue[]): string {
  return cues.map((cue, i) => `${i + 1}\n${timestamp(cue.start, ',')} --> ${timestamp(cue.end, ',')}\n${cue.text}\n`).join('\n');
}

export function toVtt(cues: TimedCue[]): string {
  const body = cues.map((cue, i) => `${i + 1}\n${timestamp(cue.start, '.')} --> ${timestamp(cue.end, '.')}\n${cue.text}\n`).join('\n');
  return `WEBVTT\n\n${body}`;
}

const TIME = /(\d{2,}):(\d{2}):(\d{2})[,.](\d{3})/;
function seconds(value: string): number {
  const m = TIME.exec(value);
  if (!m) throw new Error(`Bad timestamp "${value}"`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
}

/** Parses SRT or WebVTT cues (strictly enough to catch a broken writer). */
export function parseSubtitles(text: string): TimedCue[] {
  const blocks = text.replace(/\r/g, '').replace(/^WEBVTT[^\n]*\n/, '').trim().split(/\n{2,}/);
  return blocks
    .filter((block) => block.includes('-->'))
    .map((block) => {
      const lines = block.split('\n');
      const timing = lines.findIndex((line) => line.includes('-->'));
      const [from, to] = lines[timing].split('-->').map((s) => s.trim());
      const start = seconds(from);
      const end = seconds(to);
      if (!(end > start)) throw new Error(`Cue ends before it starts: ${lines[timing]}`);
      return { start, end, text: lines.slice(timing + 1).join('\n') };
    });
}
