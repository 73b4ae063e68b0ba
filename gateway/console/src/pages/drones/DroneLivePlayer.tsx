import { Alert, AspectRatio, Box, Button, Center, Loader, Text } from '@mantine/core';
import type Mpegts from 'mpegts.js';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { describeError } from '../../api/errors';
import { playUrl } from './drones-api';
import { clockLoader } from './flv-clock-loader';

type PlayerState = { kind: 'starting' } | { kind: 'playing' } | { kind: 'ended' } | { kind: 'failed'; message: string };

/**
 * The drone's live video: mpegts.js plays HTTP-FLV from a signed play URL (`/live/<id>.flv`). For
 * every frame the browser presents, `onFrame` gets its position on the stream clock (the
 * presentation time plus the timestamp the player rebased to 0). Reopened when the publish session
 * changes; the player is torn down on unmount.
 */
export function DroneLivePlayer({ droneId, sessionId, onFrame, children }: { droneId: string; sessionId: string; onFrame: (streamMs: number) => void; children?: ReactNode }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const frameHandler = useRef(onFrame);
  const [state, setState] = useState<PlayerState>({ kind: 'starting' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    frameHandler.current = onFrame;
  });

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let player: Mpegts.Player | null = null;
    let stopped = false;
    let base: number | null = null;
    let frameRequest: number | undefined;
    let poll: number | undefined;
    setState({ kind: 'starting' });

    const report = (mediaSeconds: number) => {
      if (base !== null) frameHandler.current(Math.round(mediaSeconds * 1000 + base));
    };
    // requestVideoFrameCallback gives the presented frame's own time; polling currentTime is the fallback.
    const watchFrames = () => {
      if ('requestVideoFrameCallback' in video) {
        const next = () => {
          frameRequest = video.requestVideoFrameCallback((_now, metadata) => {
            report(metadata.mediaTime);
            next();
          });
        };
        next();
      } else {
        poll = window.setInterval(() => report((video as HTMLVideoElement).currentTime), 100);
      }
    };

    const start = async () => {
      const [{ default: mpegts }, url] = await Promise.all([import('mpegts.js'), playUrl(droneId)]);
      if (stopped) return;
      mpegts.LoggingControl.applyConfig({ enableError: false, enableWarn: false, enableInfo: false, enableDebug: false, enableVerbose: false });
      player = mpegts.createPlayer(
        { type: 'flv', isLive: true, url: new URL(url, window.location.origin).toString() },
        {
          enableWorker: false,
          enableStashBuffer: false,
          lazyLoad: false,
          liveBufferLatencyChasing: true,
          liveBufferLatencyMaxLatency: 3,
          liveBufferLatencyMinRemain: 0.5,
          customLoader: clockLoader((ms) => {
            base = ms;
          }),
        },
      );
      player.on(mpegts.Events.ERROR, (_type: string, detail: string, info?: { msg?: string }) => {
        if (!stopped) setState({ kind: 'failed', message: `${detail}${info?.msg ? `: ${info.msg}` : ''}` });
      });
      player.on(mpegts.Events.LOADING_COMPLETE, () => {
        if (!stopped) setState({ kind: 'ended' });
      });
      player.attachMediaElement(video);
      player.load();
      watchFrames();
      await player.play();
      if (!stopped) setState({ kind: 'playing' });
    };

    start().catch((error: unknown) => {
      if (!stopped) setState({ kind: 'failed', message: describeError(error) });
    });

    return () => {
      stopped = true;
      if (frameRequest !== undefined && 'cancelVideoFrameCallback' in video) video.cancelVideoFrameCallback(frameRequest);
      window.clearInterval(poll);
      if (player) {
        player.pause();
        player.unload();
        player.detachMediaElement();
        player.destroy();
      }
    };
  }, [droneId, sessionId, attempt]);

  return (
    <Box pos="relative">
      <AspectRatio ratio={16 / 9} bg="black" style={{ borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}>
        <video ref={videoRef} muted playsInline aria-label="Live video" data-testid="live-video" style={{ width: '100%', height: '100%', objectFit: 'contain' }} />
      </AspectRatio>
      {state.kind === 'starting' && (
        <Center pos="absolute" inset={0}>
          <Loader color="gray" aria-label="Connecting to the live video" />
        </Center>
      )}
      {(state.kind === 'failed' || state.kind === 'ended') && (
        <Center pos="absolute" inset={0} p="md">
          <Alert color={state.kind === 'failed' ? 'red' : 'gray'} title={state.kind === 'failed' ? 'The live video stopped' : 'The stream ended'}>
            {state.kind === 'failed' && <Text size="sm">{state.message}</Text>}
            <Button mt="xs" size="xs" variant="light" onClick={() => setAttempt((n) => n + 1)}>
              Reconnect
            </Button>
          </Alert>
        </Center>
      )}
      {children}
    </Box>
  );
}
