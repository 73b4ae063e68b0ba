import { useQuery } from '@tanstack/react-query';
import { translatorApi, type TranslatorSchemas } from '../../api/clients/translator';
import type { operations } from '../../api/generated/translator';
import { SERVICE_PREFIX, unwrap, uploadWithProgress, type UploadProgress } from '../../api/http';

export type JobView = TranslatorSchemas['JobView'];
export type JobStageView = TranslatorSchemas['JobStageView'];
export type UploadedFile = TranslatorSchemas['UploadedFileView'];
export type CreateJobBody = TranslatorSchemas['CreateJobDto'];
export type JobStatus = JobView['status'];
export type JobPage = operations['JobsController_list']['responses'][200]['content']['application/json']['data'];
export type JobOutput = JobView['outputs'][number];

export const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];
export const TERMINAL_STATUSES: JobStatus[] = ['completed', 'failed', 'cancelled'];
export const isTerminal = (job: Pick<JobView, 'status'>) => TERMINAL_STATUSES.includes(job.status);

export const jobKeys = {
  all: ['translator', 'jobs'] as const,
  lists: ['translator', 'jobs', 'list'] as const,
  list: (status: JobStatus | null, offset: number) => ['translator', 'jobs', 'list', status, offset] as const,
  one: (id: string) => ['translator', 'jobs', 'one', id] as const,
};

/** The `data` of an enveloped answer, or the error it was. */
async function dataOf<T>(pending: Promise<{ data?: { data: T }; error?: unknown; response: Response }>): Promise<T> {
  return (await unwrap(pending)).data;
}

export const PAGE_SIZE = 20;

export const useJobs = (status: JobStatus | null, offset: number) =>
  useQuery({
    queryKey: jobKeys.list(status, offset),
    queryFn: () => dataOf(translatorApi.GET('/jobs', { params: { query: { limit: PAGE_SIZE, offset, ...(status ? { status } : {}) } } })),
    // The list is the overview of every job; the selected one is live over SSE.
    refetchInterval: 4_000,
    placeholderData: (previous) => previous,
  });

export const useJob = (id: string | null) =>
  useQuery({
    queryKey: jobKeys.one(id ?? ''),
    queryFn: () => dataOf(translatorApi.GET('/jobs/{id}', { params: { path: { id: id! } } })),
    enabled: id !== null,
  });

export const createJob = (body: CreateJobBody) => dataOf(translatorApi.POST('/jobs', { body }));

export const cancelJob = (id: string) => dataOf(translatorApi.DELETE('/jobs/{id}', { params: { path: { id } } }));

export async function uploadMedia(file: File, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<UploadedFile> {
  const form = new FormData();
  form.append('file', file, file.name);
  const answer = await uploadWithProgress<{ data: UploadedFile }>(`${SERVICE_PREFIX.translator}/files/upload`, form, onProgress, signal);
  return answer.data;
}
