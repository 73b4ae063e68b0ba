import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cuesFromSegments, cuesFromWords, DEFAULT_RULES, layoutCues, splitSentences, wrapLines } from '../src/subtitles/readable-cues';
import { parseSubtitles, toSrt, toVtt } from '../src/subtitles/subtitle-format';
import { parsePocketsphinxWords } from '../src/engines/pocketsphinx.engine';
import { placeCue } from '../src/dub/dub-fit';

describe('readable subtitles', () => {
  it('splits engine segments on sentence boundaries, sharing their time by length', () => {
    const cues = cuesFromSegments([{ start: 0, end: 6, text: 'Mind the gap. Stand behind the yellow line!' }]);
    assert.deepEqual(
      cues.map((c) => c.text),
      ['Mind the gap.', 'Stand behind the yellow line!'],
    );
    assert.equal(cues[0].start, 0);
    assert.equal(cues[1].end, 6);
    assert.ok(cues[0].end > 1.5 && cues[0].end < 2.5, `first sentence gets about 13/42 of 6 s, got ${cues[0].end}`);
    assert.deepEqual(splitSentences('One. Two? Three'), ['One.', 'Two?', 'Three']);
  });

  it('groups recognised words into cues at pauses and sentence ends', () => {
    const words = parsePocketsphinxWords(
      ['<s> 0.000 0.040 0.99', 'and 0.050 0.160 0.03', 'then(2) 0.170 0.670 0.2', '</s> 2.310 2.440 1.0', 'not 3.990 4.300 0.8', '<sil> 4.3 4.5 0.1', 'what 5.350 5.600 0.2'].join('\n'),
    );
    assert.deepEqual(
      words.map((w) => w.word),
      ['and', 'then', 'not', 'what'],
    );
    const cues = cuesFromWords(words);
    assert.deepEqual(
      cues.map((c) => c.text),
      ['and then', 'not', 'what'],
    );
    assert.deepEqual([cues[0].start, cues[0].end], [0.05, 0.67]);
  });

  it('keeps every cue within two lines of 42 characters, splitting long ones in time', () => {
    const long = 'Passengers for the eleven fifteen service to the airport please proceed to platform four where the train is now boarding and will depart shortly';
    const { cues } = layoutCues([{ start: 10, end: 20, text: long }]);
    assert.ok(cues.length >= 2);
    for (const cue of cues) {
      const lines = cue.text.split('\n');
      assert.ok(lines.length <= 2, `at most two lines: ${JSON.stringify(cue.text)}`);
      for (const line of lines) assert.ok(line.length <= DEFAULT_RULES.maxLineChars, `line too long: ${line}`);
    }
    assert.equal(cues[0].start, 10);
    assert.equal(cues[cues.length - 1].end, 20);
    assert.equal(cues.map((c) => c.text.replace(/\n/g, ' ')).join(' '), long);
    assert.equal(wrapLines('short'), 'short');
  });

  it('bounds the reading speed: a fast cue borrows the silence after it, and is counted when it cannot', () => {
    const text = 'This cue has far too many characters for its time';
    const { cues, tooFast } = layoutCues([
      { start: 0, end: 1, text },
      { start: 10, end: 11, text: 'ok' },
      { start: 11.1, end: 11.5, text },
    ]);
    assert.ok((cues[0].end - cues[0].start) * DEFAULT_RULES.maxCps >= text.length - 0.5, `extended to ${cues[0].end}`);
    assert.ok(cues[0].end < 10);
    assert.equal(tooFast, 0, 'the last cue may extend past its end (nothing follows)');
    const squeezed = layoutCues([
      { start: 0, end: 1, text },
      { start: 1.2, end: 2, text: 'next' },
    ]);
    assert.equal(squeezed.tooFast, 1);
    assert.ok(squeezed.cues[0].end <= 1.2 - DEFAULT_RULES.minGapSec + 1e-9, 'never runs into the next cue');
  });

  it('writes SRT and WebVTT that parse back to the same cues', () => {
    const cues = [
      { start: 0.29, end: 2.21, text: 'Y así, mis compatriotas' },
      { start: 3661.5, end: 3663, text: 'line one\nline two' },
    ];
    const srt = toSrt(cues);
    assert.match(srt, /^1\n00:00:00,290 --> 00:00:02,210\n/);
    assert.match(srt, /01:01:01,500 --> 01:01:03,000/);
    const vtt = toVtt(cues);
    assert.match(vtt, /^WEBVTT\n\n1\n00:00:00\.290 --> 00:00:02\.210\n/);
    assert.deepEqual(parseSubtitles(srt), cues);
    assert.deepEqual(parseSubtitles(vtt), cues);
  });
});

describe('dub fitting', () => {
  const cues = [
    { start: 1, end: 2, text: 'a' },
    { start: 4, end: 5, text: 'b' },
  ];
  it('plays a clip as spoken when it fits before the next cue, never slower', () => {
    assert.deepEqual(placeCue(cues, 0, 2.5, 10, 1.5), { tempo: 1 });
  });
  it('speeds a clip up to fit, within the limit', () => {
    const placement = placeCue(cues, 0, 4, 10, 1.5);
    assert.ok(Math.abs(placement.tempo - 4 / 3) < 1e-9);
    assert.equal(placement.misfit, undefined);
  });
  it('reports a clip that does not fit even at the fastest tempo', () => {
    const placement = placeCue(cues, 0, 6, 10, 1.5);
    assert.equal(placement.tempo, 1.5);
    assert.deepEqual(placement.misfit, { cue: 0, start: 1, slot_sec: 3, speech_sec: 6, needed_tempo: 2 });
  });
  it('lets the last cue use the rest of the track', () => {
    assert.deepEqual(placeCue(cues, 1, 5, 10, 1.5), { tempo: 1 });
  });
});
