import { useEffect, useRef, useState } from 'react';
import { withAccessToken } from '../../api/http';
import type { TelemetrySample } from './drones-api';

/** What the feed sends that this page reads (`/video_api/ws`, README "Video"). */
type FeedFrame =
  | { type: 'telemetry'; drone_id: string; sample: TelemetrySample }
  | { type: 'stream'; drone_id: string; state: 'published' | 'unpublished'; session_id: string }
  | { type: 'welcome' | 'subscribed' | 'error' };

export type FeedState = 'connecting' | 'open' | 'closed';

const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * Follows one drone on the video feed: telemetry samples and stream events go to the callbacks
 * (the latest kept in a ref, so a re-render never reopens the socket). Reconnects with backoff;
 * closes on unmount or when the drone changes.
 */
export function useTelemetryFeed(droneId: string, handlers: { onSample: (sample: TelemetrySample) => void; onStream?: (state: 'published' | 'unpublished') => void }): FeedState {
  const [state, setState] = useState<FeedState>('connecting');
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry: number | undefined;
    let attempts = 0;
    let stopped = false;

    const connect = async () => {
      setState('connecting');
      const url = new URL(await withAccessToken('/video_api/ws'));
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      if (stopped) return;
      socket = new WebSocket(url);
      socket.onopen = () => {
        attempts = 0;
        setState('open');
        socket?.send(JSON.stringify({ type: 'subscribe', drones: [droneId] }));
      };
      socket.onmessage = (event) => {
        const frame = JSON.parse(String(event.data)) as FeedFrame;
        if (frame.type === 'telemetry' && frame.drone_id === droneId) latest.current.onSample(frame.sample);
        if (frame.type === 'stream' && frame.drone_id === droneId) latest.current.onStream?.(frame.state);
      };
      socket.onclose = () => {
        if (stopped) return;
        setState('closed');
        retry = window.setTimeout(() => void connect().catch(scheduleAgain), RETRY_MS[Math.min(attempts++, RETRY_MS.length - 1)]);
      };
    };
    const scheduleAgain = () => {
      if (stopped) return;
      setState('closed');
      retry = window.setTimeout(() => void connect().catch(scheduleAgain), RETRY_MS[Math.min(attempts++, RETRY_MS.length - 1)]);
    };

    void connect().catch(scheduleAgain);
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      if (!socket) return;
      socket.onclose = null;
      socket.onmessage = null;
      // Closing a socket that is still connecting logs an error in the browser: close it once open.
      if (socket.readyState === WebSocket.CONNECTING) socket.onopen = () => socket?.close();
      else socket.close();
    };
  }, [droneId]);

  return state;
}
