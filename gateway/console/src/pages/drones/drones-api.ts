import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { videoApi, type VideoSchemas } from '../../api/clients/video';
import { unwrap } from '../../api/http';

export type Drone = VideoSchemas['DroneView'];
export type DroneWithKey = VideoSchemas['DroneWithKeyView'];
export type StreamStats = VideoSchemas['LiveStreamStatsView'] | VideoSchemas['OfflineStreamStatsView'];
export type TelemetrySample = VideoSchemas['TelemetrySampleView'];
export type LinkHealth = VideoSchemas['LinkHealthView'];
export type Track = VideoSchemas['TrackView'];
export type StreamSession = VideoSchemas['StreamSessionView'];
export type Recording = VideoSchemas['RecordingView'];
export type CreateDrone = VideoSchemas['CreateDroneDto'];

/** How often live panels ask again (the feed carries telemetry; these are the slower views). */
const LIVE_MS = 3_000;
const PAGE_SIZE = 10;

export const droneKeys = {
  all: ['video', 'drones'] as const,
  list: (includeRetired: boolean) => [...droneKeys.all, 'list', includeRetired] as const,
  streams: ['video', 'streams'] as const,
  of: (id: string) => [...droneKeys.all, id] as const,
};

export function useDrones(includeRetired: boolean) {
  return useQuery({
    queryKey: droneKeys.list(includeRetired),
    queryFn: () => unwrap(videoApi.GET('/drones', { params: { query: { include_retired: includeRetired, limit: 500 } } })),
  });
}

/** Every active drone's stream (live or not), by drone id. */
export function useStreams() {
  return useQuery({
    queryKey: droneKeys.streams,
    queryFn: () => unwrap(videoApi.GET('/streams', { params: { query: { limit: 500 } } })),
    select: (page) => new Map(page.items.map((stream) => [stream.drone_id, stream])),
    refetchInterval: LIVE_MS,
  });
}

export function useStream(droneId: string) {
  return useQuery({
    queryKey: [...droneKeys.of(droneId), 'stream'],
    queryFn: () => unwrap(videoApi.GET('/drones/{id}/stream', { params: { path: { id: droneId } } })),
    refetchInterval: LIVE_MS,
  });
}

export function useLinkHealth(droneId: string) {
  return useQuery({
    queryKey: [...droneKeys.of(droneId), 'link'],
    queryFn: () => unwrap(videoApi.GET('/drones/{id}/link', { params: { path: { id: droneId } } })),
    refetchInterval: LIVE_MS,
  });
}

/** The downsampled track of the last `minutes`, refreshed while the page is open. */
export function useTrack(droneId: string, minutes: number) {
  return useQuery({
    queryKey: [...droneKeys.of(droneId), 'track', minutes],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - minutes * 60_000);
      return unwrap(videoApi.GET('/drones/{id}/track', { params: { path: { id: droneId }, query: { from: from.toISOString(), to: to.toISOString(), points: 300 } } }));
    },
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
}

/** The recent telemetry the overlay starts from before the feed delivers more. */
export async function recentTelemetry(droneId: string, seconds: number): Promise<TelemetrySample[]> {
  const from = new Date(Date.now() - seconds * 1000).toISOString();
  const page = await unwrap(videoApi.GET('/drones/{id}/telemetry', { params: { path: { id: droneId }, query: { from, limit: 1000 } } }));
  return page.items;
}

export function useSessions(droneId: string, offset: number) {
  return useQuery({
    queryKey: [...droneKeys.of(droneId), 'sessions', offset],
    queryFn: () => unwrap(videoApi.GET('/drones/{id}/sessions', { params: { path: { id: droneId }, query: { limit: PAGE_SIZE, offset } } })),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
}

export function useRecordings(droneId: string, offset: number) {
  return useQuery({
    queryKey: [...droneKeys.of(droneId), 'recordings', offset],
    queryFn: () => unwrap(videoApi.GET('/drones/{id}/recordings', { params: { path: { id: droneId }, query: { limit: PAGE_SIZE, offset } } })),
    refetchInterval: 10_000,
    placeholderData: keepPreviousData,
  });
}

/** Register, rotate the key, retire: each refreshes the registry and the streams. */
export function useDroneMutations() {
  const client = useQueryClient();
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: droneKeys.all }), client.invalidateQueries({ queryKey: droneKeys.streams })]);
  return {
    register: useMutation({
      mutationFn: (body: CreateDrone) => unwrap(videoApi.POST('/drones', { body })),
      onSuccess: refresh,
    }),
    rotateKey: useMutation({
      mutationFn: (id: string) => unwrap(videoApi.POST('/drones/{id}/rotate-key', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
    retire: useMutation({
      mutationFn: (id: string) => unwrap(videoApi.DELETE('/drones/{id}', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
  };
}

export async function playUrl(droneId: string): Promise<string> {
  const answer = await unwrap(videoApi.POST('/drones/{id}/play-url', { params: { path: { id: droneId } } }));
  return answer.url;
}

export const SESSIONS_PAGE_SIZE = PAGE_SIZE;
