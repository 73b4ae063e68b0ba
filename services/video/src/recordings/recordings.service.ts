import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Page } from '@fleet/contracts';
import { pageOfList, PageRequest } from '@fleet/database';
import { VIDEO_CONFIG, VideoConfig } from '../config/video.config';
import { DronesService } from '../drones/drones.service';
import { RecordingView } from './recordings.view';

/** `<UTC start>-<session id>-<segment>.mp4`, as the recorder names them. */
const SEGMENT_FILE = /^(\d{8}T\d{6}Z)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d{3})\.mp4$/;

/** Recorded MP4 segments, read from the shared recordings directory (any instance can serve them). */
@Injectable()
export class RecordingsService {
  constructor(
    @Inject(VIDEO_CONFIG) private readonly config: VideoConfig,
    private readonly drones: DronesService,
  ) {}

  /** Segments in name order (session, then segment); only the page's files are stat'ed. */
  async list(droneId: string, page: PageRequest): Promise<Page<RecordingView>> {
    await this.drones.findOrFail(droneId);
    const dir = path.join(this.config.recording.dir, droneId);
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const files = pageOfList(names.filter((name) => SEGMENT_FILE.test(name)).sort(), page);
    const items = await Promise.all(
      files.items.map(async (file) => {
        const [, , sessionId, segment] = SEGMENT_FILE.exec(file)!;
        const info = await stat(path.join(dir, file));
        return { file, session_id: sessionId, segment: Number(segment), size_bytes: info.size, modified_at: info.mtime.toISOString(), url: `/video_api/drones/${droneId}/recordings/${file}` };
      }),
    );
    return { ...files, items };
  }

  /** Absolute path of one segment; only names the recorder makes, so no path can escape the directory. */
  async fileOf(droneId: string, file: string): Promise<string> {
    await this.drones.findOrFail(droneId);
    const full = path.join(this.config.recording.dir, droneId, file);
    if (!SEGMENT_FILE.test(file) || !(await stat(full).then((s) => s.isFile(), () => false))) throw new NotFoundException(`No recording ${file}`);
    return full;
  }
}
