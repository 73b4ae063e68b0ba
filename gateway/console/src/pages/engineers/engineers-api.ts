import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { baseApi, type BaseSchemas } from '../../api/clients/base';
import { SERVICE_PREFIX, authorizedFetch, unwrap, uploadWithProgress, type UploadProgress } from '../../api/http';

export type Engineer = BaseSchemas['EngineerView'];
export type EngineerRole = Engineer['roles'][number];
export type CreateEngineer = BaseSchemas['CreateEngineerDto'];
export type UpdateEngineer = BaseSchemas['UpdateEngineerDto'];
export type FaceEnrollment = BaseSchemas['FaceEnrollmentView'];
export type FaceForget = BaseSchemas['FaceForgetView'];
export type FaceLoginAttempt = BaseSchemas['FaceLoginAttemptView'];

export interface EngineerFilter {
  name?: string;
  role?: EngineerRole;
  active?: boolean;
  offset: number;
}

export const ENGINEERS_PAGE_SIZE = 20;
export const FACE_LOGINS_PAGE_SIZE = 25;

/** One key per resource; mutations invalidate the whole `engineers` family. */
export const engineerKeys = {
  all: ['engineers'] as const,
  list: (filter: EngineerFilter) => ['engineers', 'list', filter] as const,
  one: (id: string) => ['engineers', 'one', id] as const,
  faceLogins: (robotId: string | undefined, offset: number) => ['face-logins', robotId ?? '', offset] as const,
};

export function useEngineers(filter: EngineerFilter) {
  return useQuery({
    queryKey: engineerKeys.list(filter),
    queryFn: () =>
      unwrap(baseApi.GET('/admin/engineers', { params: { query: { name: filter.name, role: filter.role, active: filter.active, limit: ENGINEERS_PAGE_SIZE, offset: filter.offset } } })),
    placeholderData: keepPreviousData,
  });
}

export function useEngineer(id: string | undefined) {
  return useQuery({
    queryKey: engineerKeys.one(id ?? ''),
    queryFn: () => unwrap(baseApi.GET('/admin/engineers/{id}', { params: { path: { id: id! } } })),
    enabled: id !== undefined,
  });
}

function useEngineerMutation<Input>(run: (input: Input) => Promise<Engineer>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (engineer) => {
      queryClient.setQueryData(engineerKeys.one(engineer.id), engineer);
      void queryClient.invalidateQueries({ queryKey: engineerKeys.all });
    },
  });
}

export const useCreateEngineer = () => useEngineerMutation((body: CreateEngineer) => unwrap(baseApi.POST('/admin/engineers', { body })));

export const useUpdateEngineer = (id: string) =>
  useEngineerMutation((body: UpdateEngineer) => unwrap(baseApi.PATCH('/admin/engineers/{id}', { params: { path: { id } }, body })));

export const useDeactivateEngineer = (id: string) =>
  useEngineerMutation(() => unwrap(baseApi.POST('/admin/engineers/{id}/deactivate', { params: { path: { id } } })));

const faceUrl = (engineerId: string) => `${SERVICE_PREFIX.base}/admin/engineers/${encodeURIComponent(engineerId)}/face`;

/** Multipart upload of the photos (field `images`), with real progress. */
export function enrollFace(engineerId: string, photos: Blob[], onProgress: (progress: UploadProgress) => void): Promise<FaceEnrollment> {
  const form = new FormData();
  photos.forEach((photo, index) => form.append('images', photo, photo instanceof File ? photo.name : `camera-${index + 1}.jpg`));
  return uploadWithProgress<FaceEnrollment>(faceUrl(engineerId), form, onProgress);
}

export async function forgetFace(engineerId: string): Promise<FaceForget> {
  const response = await authorizedFetch(faceUrl(engineerId), { method: 'DELETE' });
  return (await response.json()) as FaceForget;
}

export function useFaceLogins(robotId: string | undefined, offset: number) {
  return useQuery({
    queryKey: engineerKeys.faceLogins(robotId, offset),
    queryFn: () => unwrap(baseApi.GET('/admin/face-logins', { params: { query: { robot_id: robotId, limit: FACE_LOGINS_PAGE_SIZE, offset } } })),
    placeholderData: keepPreviousData,
    // Robots log in while the operator watches.
    refetchInterval: 5_000,
  });
}
