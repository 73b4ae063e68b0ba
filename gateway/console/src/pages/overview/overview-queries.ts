import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../api/http';
import { baseApi } from '../../api/clients/base';
import { storeApi } from '../../api/clients/store';
import { translatorApi } from '../../api/clients/translator';
import { videoApi } from '../../api/clients/video';

/** The overview refreshes on its own: this often (and at once when the tab regains focus). */
export const LIVE_INTERVAL_MS = 3_000;

const live = { refetchInterval: LIVE_INTERVAL_MS, refetchIntervalInBackground: false, staleTime: 0 } as const;

export const useInstances = () => useQuery({ queryKey: ['overview', 'instances'], queryFn: () => unwrap(baseApi.GET('/admin/fleet/instances')), ...live });

export const useOnlineRobots = () =>
  useQuery({ queryKey: ['overview', 'robots-online'], queryFn: () => unwrap(baseApi.GET('/admin/robots', { params: { query: { online: true, limit: 100 } } })), ...live });

export const useLiveStreams = () => useQuery({ queryKey: ['overview', 'streams'], queryFn: () => unwrap(videoApi.GET('/streams', { params: { query: { limit: 100 } } })), ...live });

export const useRunningJobs = () =>
  useQuery({
    queryKey: ['overview', 'jobs-running'],
    // The translator answers in its envelope: `{ data, message }`.
    queryFn: async () => (await unwrap(translatorApi.GET('/jobs', { params: { query: { status: 'running', limit: 20 } } }))).data,
    ...live,
  });

export const useFailedExports = () =>
  useQuery({ queryKey: ['overview', 'exports-failed'], queryFn: () => unwrap(storeApi.GET('/admin/outbox', { params: { query: { status: 'failed', limit: 5 } } })), ...live });

export const useLastDecisions = () =>
  useQuery({ queryKey: ['overview', 'decisions'], queryFn: () => unwrap(baseApi.GET('/admin/ticket-checks', { params: { query: { limit: 10 } } })), ...live });
