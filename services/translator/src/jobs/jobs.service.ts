import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Page, TranslatorJobView, TranslatorOutput } from '@fleet/contracts';
import { toPage } from '@fleet/database';
import { TRANSLATOR_OUTPUTS } from '@fleet/contracts';
import { FilesRepository } from '../files/files.repository';
import type { ByteRange, ObjectStore } from '@fleet/storage';
import { API_STORAGE } from '../storage/storage';
import { CreateJobDto, DEFAULT_OUTPUTS, ListJobsQuery, mapJob, resultPath } from './jobs.dto';
import { JobRecord } from './job.types';
import { JobRunner } from './job-runner';
import { JobsRepository } from './jobs.repository';
import { planStages } from './pipeline-plan';

/** The media type of each output's download. */
export const RESULT_CONTENT_TYPES: Record<TranslatorOutput, string> = {
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  transcript: 'text/plain; charset=utf-8',
  dub: 'audio/wav',
  video: 'video/mp4',
};
const EXTENSIONS: Record<TranslatorOutput, string> = { srt: 'srt', vtt: 'vtt', transcript: 'txt', dub: 'wav', video: 'mp4' };

export interface ResultFile {
  key: string;
  size: number;
  modifiedAt: Date;
  contentType: string;
  filename: string;
}

@Injectable()
export class JobsService {
  private readonly log = new Logger(JobsService.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly files: FilesRepository,
    private readonly runner: JobRunner,
    @Inject(API_STORAGE) private readonly storage: ObjectStore,
  ) {}

  async create(dto: CreateJobDto, userId: string): Promise<TranslatorJobView> {
    const file = await this.files.getById(dto.file_id);
    if (!file) throw new NotFoundException(`No uploaded file ${dto.file_id}`);
    // Without a picture there is no video to make: the default then leaves it out.
    const outputs = dto.outputs ?? DEFAULT_OUTPUTS.filter((output) => output !== 'video' || file.has_video);
    if (outputs.includes('video') && !file.has_video) throw new BadRequestException('The file has no video stream; ask for srt, vtt, transcript or dub');
    const job = await this.jobs.create({
      file_id: file.id,
      source_language: dto.source_language,
      target_languages: dto.target_languages,
      outputs,
      burn_subtitles: dto.burn_subtitles ?? false,
      stages: planStages(dto.target_languages, outputs),
      created_by: userId,
    });
    this.log.log({ msg: `job ${job.id} created for file ${file.id}`, job_id: job.id });
    void this.runner.fill();
    return mapJob(job);
  }

  async get(id: string): Promise<TranslatorJobView> {
    return mapJob(await this.getRecord(id));
  }

  async list(query: ListJobsQuery): Promise<Page<TranslatorJobView>> {
    const { rows, total } = await this.jobs.getPage(query.limit, query.offset, query.status);
    return toPage(rows.map((job) => mapJob(job)), total, query);
  }

  async cancel(id: string): Promise<TranslatorJobView> {
    await this.getRecord(id);
    const job = await this.jobs.cancel(id);
    return mapJob(job!);
  }

  async resultFile(id: string, target: string, output: string): Promise<ResultFile> {
    if (!(TRANSLATOR_OUTPUTS as readonly string[]).includes(output)) throw new BadRequestException(`output must be one of ${TRANSLATOR_OUTPUTS.join(', ')}`);
    const job = await this.getRecord(id);
    if (!job.target_languages.includes(target)) throw new NotFoundException(`Job ${id} has no target language "${target}"`);
    const kind = output as TranslatorOutput;
    const relative = resultPath(job, target, kind);
    if (!relative) throw new NotFoundException(`The ${output} for "${target}" of job ${id} is not ready (job ${job.status})`);
    const stored = await this.storage.stat(relative);
    if (!stored) throw new NotFoundException('The result file is missing from storage');
    return { key: relative, size: stored.size, modifiedAt: stored.modifiedAt, contentType: RESULT_CONTENT_TYPES[kind], filename: `${id}.${target}.${EXTENSIONS[kind]}` };
  }

  /** The result's bytes (a range of them when asked); undefined if it went away since resultFile. */
  openResult(file: ResultFile, range?: ByteRange): Promise<Readable | undefined> {
    return this.storage.open(file.key, range);
  }

  async getRecord(id: string): Promise<JobRecord> {
    const job = await this.jobs.getById(id);
    if (!job) throw new NotFoundException(`No job ${id}`);
    return job;
  }
}
