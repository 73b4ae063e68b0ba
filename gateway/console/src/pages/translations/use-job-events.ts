import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/errors';
import { authorizedFetch, SERVICE_PREFIX } from '../../api/http';
import { isTerminal, jobKeys, type JobPage, type JobView } from './translator-api';
import { readServerSentEvents } from './sse';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'ended';

const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * Follows a job's progress over the translator's server-sent events and writes every version into
 * the job's query (so the page shows it) until the job ends. A dropped stream is reopened with
 * back-off: the first event after a reconnect is the job as it is then, so nothing is missed.
 */
export function useJobEvents(job: JobView | undefined): StreamState {
  const queryClient = useQueryClient();
  const id = job?.id;
  const follow = job !== undefined && !isTerminal(job);
  const [state, setState] = useState<StreamState>('connecting');

  useEffect(() => {
    if (!id || !follow) {
      setState('ended');
      return;
    }
    const abort = new AbortController();
    let attempt = 0;

    const receive = (view: JobView) => {
      queryClient.setQueryData(jobKeys.one(view.id), view);
      // The lists that show the job show this version too, without waiting for their next poll.
      queryClient.setQueriesData<JobPage>({ queryKey: jobKeys.lists }, (page) => page && { ...page, items: page.items.map((item) => (item.id === view.id ? view : item)) });
      if (isTerminal(view)) void queryClient.invalidateQueries({ queryKey: jobKeys.all });
    };

    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          setState(attempt === 0 ? 'connecting' : 'reconnecting');
          const response = await authorizedFetch(`${SERVICE_PREFIX.translator}/jobs/${id}/events`, { headers: { Accept: 'text/event-stream' }, signal: abort.signal });
          setState('live');
          let last: JobView | undefined;
          for await (const event of readServerSentEvents(response.body!)) {
            if (event.event !== 'job') continue;
            last = JSON.parse(event.data) as JobView;
            attempt = 0;
            receive(last);
          }
          // The service ends the stream when the job ends; otherwise the connection dropped.
          if (last && isTerminal(last)) break;
        } catch (error) {
          if (abort.signal.aborted) return;
          // A 4xx will not change by asking again (an unknown job, a refused caller).
          if (error instanceof ApiError && error.status < 500) break;
        }
        setState('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]));
      }
      if (!abort.signal.aborted) {
        setState('ended');
        void queryClient.invalidateQueries({ queryKey: jobKeys.one(id) });
      }
    };
    void run();
    return () => abort.abort();
  }, [id, follow, queryClient]);

  return state;
}
