import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DubMisfit,
  ExtractAudioParams,
  ExtractAudioResult,
  MuxParams,
  MuxResult,
  SynthesizeParams,
  SynthesizeResult,
  TimedCue,
  TranscribeParams,
  TranscribeResult,
  TranslateParams,
  TranslateResult,
} from '@fleet/contracts';
import { RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';
import { Engines } from '../engines/engines';
import { decodeClip, durationOf, extractAudio, mux, SAMPLE_RATE, wavHeader } from '../media/ffmpeg';
import { probeMedia } from '../media/ffprobe';
import { placeCue } from '../dub/dub-fit';
import { layoutCues } from '../subtitles/readable-cues';
import { toSrt, toVtt } from '../subtitles/subtitle-format';
import type { LocalFile, ObjectStore } from '@fleet/storage';
import { StageCache } from './stage-cache';

export const TRANSLATOR_ENGINES = Symbol('TRANSLATOR_ENGINES');

/** The local paths of some keys, in their order; an absent key has no path. */
type LocalPaths<K extends Array<string | undefined>> = { [I in keyof K]: K[I] extends string ? string : string | undefined };
export const TRANSLATOR_STORAGE = Symbol('TRANSLATOR_STORAGE');
export const STAGE_CACHE = Symbol('STAGE_CACHE');

/** What each pipeline stage does, on the worker; results are cached by {@link StageCache}. */
@Injectable()
export class StagesService {
  private readonly log = new Logger(StagesService.name);

  constructor(
    @Inject(TRANSLATOR_ENGINES) private readonly engines: Engines,
    @Inject(TRANSLATOR_STORAGE) private readonly storage: ObjectStore,
    @Inject(STAGE_CACHE) private readonly cache: StageCache,
  ) {}

  async extractAudio(params: ExtractAudioParams): Promise<ExtractAudioResult> {
    await this.mustExist(params.input);
    const key = StageCache.key('extract_audio', 'ffmpeg-16k-mono', params.input);
    return this.cache.run<ExtractAudioResult>('extract_audio', key, (tmp, finalDir) =>
      this.withLocalFiles([params.input], async ([input]) => {
        const probe = await probeMedia(input);
        if (!probe.hasAudio) throw new RpcError(RpcErrorCode.InvalidParams, 'The file has no audio stream to translate');
        await extractAudio(input, path.join(tmp, 'audio.wav'));
        return { audio: `${finalDir}/audio.wav`, duration_sec: probe.durationSec, has_video: probe.hasVideo };
      }),
    );
  }

  async transcribe(params: TranscribeParams): Promise<TranscribeResult> {
    await this.mustExist(params.audio);
    const engine = this.engines.stt;
    const key = StageCache.key('transcribe', engine.id, params.audio, params.language, this.engines.rules);
    return this.cache.run<TranscribeResult>('transcribe', key, (tmp, finalDir) =>
      this.withLocalFiles([params.audio], async ([audio]) => {
        const cues = await engine.transcribe(audio, params.language);
        await writeFile(path.join(tmp, 'cues.json'), JSON.stringify(cues));
        return { cues: `${finalDir}/cues.json`, cue_count: cues.length, engine: engine.id };
      }),
    );
  }

  async translate(params: TranslateParams): Promise<TranslateResult> {
    const source = await this.readCues(params.cues);
    const engine = this.engines.mt;
    const key = StageCache.key('translate', engine.id, params.cues, params.source, params.target, this.engines.rules);
    return this.cache.run<TranslateResult>('translate', key, async (tmp, finalDir) => {
      const texts = params.source === params.target ? source.map((c) => c.text) : await engine.translate(source.map((c) => c.text), params.source, params.target);
      const { cues, tooFast } = layoutCues(
        source.map((cue, i) => ({ ...cue, text: texts[i] })),
        this.engines.rules,
      );
      await writeFile(path.join(tmp, 'cues.json'), JSON.stringify(cues));
      await writeFile(path.join(tmp, 'subtitles.srt'), toSrt(cues));
      await writeFile(path.join(tmp, 'subtitles.vtt'), toVtt(cues));
      await writeFile(path.join(tmp, 'transcript.txt'), `${cues.map((c) => c.text.replace(/\n/g, ' ')).join('\n')}\n`);
      return {
        cues: `${finalDir}/cues.json`,
        srt: `${finalDir}/subtitles.srt`,
        vtt: `${finalDir}/subtitles.vtt`,
        transcript: `${finalDir}/transcript.txt`,
        too_fast: tooFast,
        engine: engine.id,
      };
    });
  }

  async synthesize(params: SynthesizeParams): Promise<SynthesizeResult> {
    const cues = await this.readCues(params.cues);
    const engine = this.engines.tts;
    const key = StageCache.key('synthesize', engine.id, params.cues, params.language, params.duration_sec, this.engines.maxTempo);
    return this.cache.run<SynthesizeResult>('synthesize', key, async (tmp, finalDir) => {
      const misfits = await this.renderDub(cues, params.language, params.duration_sec, tmp);
      return { audio: `${finalDir}/dub.wav`, duration_sec: params.duration_sec, misfits, engine: engine.id };
    });
  }

  async mux(params: MuxParams): Promise<MuxResult> {
    const inputs: [string, string | undefined, string | undefined] = [params.video, params.audio, params.subtitles];
    for (const input of inputs) if (input) await this.mustExist(input);
    const key = StageCache.key('mux', 'ffmpeg-mp4', params.video, params.audio ?? null, params.subtitles ?? null, params.language, params.burn ?? false);
    return this.cache.run<MuxResult>('mux', key, (tmp, finalDir) =>
      this.withLocalFiles(inputs, async ([video, audio, subtitles]) => {
        const probe = await probeMedia(video);
        const videoCodec = probe.streams.find((s) => s.codec_type === 'video')?.codec_name;
        await mux({ video, hasVideo: probe.hasVideo, videoCodec, dub: audio, subtitles, language: params.language, burn: params.burn ?? false, output: path.join(tmp, 'video.mp4') });
        return { video: `${finalDir}/video.mp4` };
      }),
    );
  }

  /**
   * Speaks every cue, fits it to its slot (dub-fit), and lays the clips on a silent track as
   * long as the input. Samples go straight into the output file, so memory holds one clip.
   */
  private async renderDub(cues: TimedCue[], language: string, durationSec: number, tmp: string): Promise<DubMisfit[]> {
    const totalSamples = Math.max(1, Math.round(durationSec * SAMPLE_RATE));
    const clips = path.join(tmp, 'clips');
    await mkdir(clips);
    const out = await open(path.join(tmp, 'dub.wav'), 'w');
    const misfits: DubMisfit[] = [];
    try {
      await out.write(wavHeader(totalSamples), 0, 44, 0);
      // Writing the last sample first makes the file its full length: silence where nothing is written.
      await out.write(Buffer.alloc(2), 0, 2, 44 + (totalSamples - 1) * 2);
      let writtenUpTo = 0;
      for (let i = 0; i < cues.length; i++) {
        const text = cues[i].text.replace(/\n/g, ' ').trim();
        if (!text) continue;
        const spoken = path.join(clips, `${i}.wav`);
        await this.engines.tts.synthesize(text, language, spoken);
        const placement = placeCue(cues, i, await durationOf(spoken), durationSec, this.engines.maxTempo);
        if (placement.misfit) misfits.push(placement.misfit);
        const clip = await decodeClip(spoken, placement.tempo, path.join(clips, `${i}.raw`));
        // A clip that overruns is cut where the next one starts (or the track ends): never two voices at once.
        const startSample = Math.max(Math.round(cues[i].start * SAMPLE_RATE), writtenUpTo);
        const endSample = Math.min(totalSamples, startSample + Math.floor(clip.length / 2), i + 1 < cues.length ? Math.round(cues[i + 1].start * SAMPLE_RATE) : totalSamples);
        if (endSample > startSample) {
          await out.write(clip, 0, (endSample - startSample) * 2, 44 + startSample * 2);
          writtenUpTo = endSample;
        }
        await rm(path.join(clips, `${i}.raw`), { force: true });
      }
    } finally {
      await out.close();
    }
    await rm(clips, { recursive: true, force: true });
    if (misfits.length > 0) this.log.warn(`Dub: ${misfits.length} of ${cues.length} cue(s) do not fit their time even at tempo ${this.engines.maxTempo}`);
    return misfits;
  }

  private async readCues(key: string): Promise<TimedCue[]> {
    const bytes = await this.storage.read(key);
    if (!bytes) throw this.missing(key);
    return JSON.parse(bytes.toString('utf8')) as TimedCue[];
  }

  /** Checked before the cache is asked, so that a lost input fails the same way whether its stage ran before or not. */
  private async mustExist(key: string): Promise<void> {
    if (!(await this.storage.stat(key))) throw this.missing(key);
  }

  /**
   * ffmpeg and the engines read files: each input as a local file for the time of `work` (the
   * stored file itself on a shared directory, a download into scratch from a bucket). Undefined
   * keys stay undefined. Only called on a cache miss, so a hit downloads nothing.
   */
  private async withLocalFiles<K extends Array<string | undefined>, T>(keys: [...K], work: (files: LocalPaths<K>) => Promise<T>): Promise<T> {
    const held: LocalFile[] = [];
    try {
      const files: Array<string | undefined> = [];
      for (const key of keys) {
        if (!key) {
          files.push(undefined);
          continue;
        }
        const local = await this.storage.localCopy(key);
        if (!local) throw this.missing(key);
        held.push(local);
        files.push(local.path);
      }
      return await work(files as LocalPaths<K>);
    } finally {
      await Promise.all(held.map((local) => local.release()));
    }
  }

  /**
   * An input missing from storage is retried (a plain error), not refused: the message may have
   * reached a worker that does not share the API's storage, and another worker may have it.
   * After the last delivery the stage is dead-lettered and the job fails with this reason.
   */
  private missing(key: string): Error {
    return new Error(`${key} is not in this worker's storage (${this.storage.location}); do the API and every worker share one storage (TRANSLATOR_STORAGE_DIR, or the same S3 bucket)?`);
  }
}
