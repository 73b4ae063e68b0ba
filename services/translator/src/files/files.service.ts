import { Inject, Injectable, Logger } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import type { Request } from 'express';
import type { UploadedFileData } from '@fleet/contracts';
import { TRANSLATOR_CONFIG, TranslatorConfig } from '../config/translator.config';
import { probeMedia, ProbeResult } from '../media/ffprobe';
import type { ObjectStore } from '@fleet/storage';
import { API_STORAGE, uploadKey } from '../storage/storage';
import { FilesRepository } from './files.repository';
import { receiveUpload } from './upload-receiver';
import { UploadError } from './upload-error';

/** The type the content really has (from ffprobe's format), not the one the client claimed. */
function contentTypeOf(probe: ProbeResult, claimed: string): string {
  const kind = probe.hasVideo ? 'video' : 'audio';
  const formats: Array<[RegExp, string]> = [
    [/mp4|mov/, `${kind}/mp4`],
    [/webm|matroska/, probe.hasVideo ? 'video/x-matroska' : 'audio/x-matroska'],
    [/^wav$/, 'audio/wav'],
    [/^mp3$/, 'audio/mpeg'],
    [/^ogg$/, `${kind}/ogg`],
    [/^flac$/, 'audio/flac'],
    [/^avi$/, 'video/x-msvideo'],
    [/mpegts/, 'video/mp2t'],
  ];
  return formats.find(([pattern]) => pattern.test(probe.formatName))?.[1] ?? claimed;
}

@Injectable()
export class FilesService {
  private readonly log = new Logger(FilesService.name);

  constructor(
    @Inject(TRANSLATOR_CONFIG) private readonly config: TranslatorConfig,
    @Inject(API_STORAGE) private readonly storage: ObjectStore,
    private readonly files: FilesRepository,
  ) {}

  /** Receives, checks by content (ffprobe), stores under its sha256, records. */
  async upload(req: Request, userId: string): Promise<UploadedFileData> {
    const started = Date.now();
    const received = await receiveUpload(req, this.storage, this.config.maxUploadBytes);
    let probe: ProbeResult;
    try {
      if (received.size === 0) throw new UploadError(400, 'The file is empty');
      probe = await this.check(received.tmpPath);
    } catch (error) {
      await rm(received.tmpPath, { force: true });
      throw error;
    }
    // The same bytes uploaded twice are stored once (the key is their hash).
    await this.storage.moveIn(received.tmpPath, uploadKey(received.sha256), { ifAbsent: true });
    const file = await this.files.create({
      sha256: received.sha256,
      filename: received.filename.slice(0, 255),
      content_type: contentTypeOf(probe, received.contentType),
      size: received.size,
      format: probe.formatName,
      duration_sec: probe.durationSec,
      has_video: probe.hasVideo,
      uploaded_by: userId,
    });
    this.log.log({ msg: `stored upload ${file.id} (${received.size} bytes, ${probe.formatName}, ${probe.durationSec}s) in ${Date.now() - started} ms`, file_id: file.id });
    return { filename: file.filename, content_type: file.content_type, size: file.size, upload_time: new Date(file.created_at).toISOString(), file_id: file.id };
  }

  private async check(file: string): Promise<ProbeResult> {
    let probe: ProbeResult;
    try {
      probe = await probeMedia(file);
    } catch (error) {
      // ffprobe names the tmp file in its message; the caller does not need our paths.
      const reason = (error as Error).message.split(': ').slice(1).join(': ').split(file).join('the file').trim() || 'unreadable';
      throw new UploadError(415, `Not a video or audio file ffprobe can read (${reason})`);
    }
    if (!probe.hasAudio && !probe.hasVideo) throw new UploadError(415, `Not a video or audio file (ffprobe sees ${probe.formatName} without audio or video streams)`);
    if (!probe.hasAudio) throw new UploadError(422, 'The file has no audio stream: there is no speech to translate');
    if (!(probe.durationSec > 0)) throw new UploadError(422, 'The file has no duration ffprobe can read (corrupt or truncated?)');
    if (probe.durationSec > this.config.maxInputSec) throw new UploadError(422, `The file lasts ${Math.round(probe.durationSec)} s; at most ${this.config.maxInputSec} s are accepted`);
    return probe;
  }
}
