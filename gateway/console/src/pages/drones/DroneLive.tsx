import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { droneKeys, recentTelemetry, type StreamStats, type TelemetrySample } from './drones-api';
import { DroneLivePlayer } from './DroneLivePlayer';
import { TelemetryOverlay } from './TelemetryOverlay';
import { TelemetryTimeline } from './telemetry-timeline';
import { useTelemetryFeed } from './use-telemetry-feed';

/** How often the frame position on the overlay is redrawn (the sample changes as soon as it must). */
const FRAME_LABEL_MS = 200;

/**
 * Live video with the telemetry of the frame on screen. Samples come from the recent history and
 * then the feed, ordered on the stream clock; each presented frame picks its sample (README,
 * "Syncing telemetry with the video").
 */
export function DroneLive({ droneId, stream }: { droneId: string; stream: StreamStats | undefined }) {
  const client = useQueryClient();
  const timeline = useRef(new TelemetryTimeline());
  const [sample, setSample] = useState<TelemetrySample | null>(null);
  const [frameMs, setFrameMs] = useState<number | null>(null);
  const shown = useRef<{ sample: TelemetrySample | null; labelAt: number }>({ sample: null, labelAt: 0 });
  const sessionId = stream?.live ? stream.session_id : undefined;
  const since = stream?.live ? stream.since : undefined;

  // A new publish session restarts the stream clock: start over from its own samples.
  useEffect(() => {
    timeline.current.clear();
    shown.current = { sample: null, labelAt: 0 };
    setSample(null);
    setFrameMs(null);
    if (!sessionId || !since) return;
    let cancelled = false;
    recentTelemetry(droneId, 60)
      .then((samples) => {
        if (!cancelled) timeline.current.add(samples.filter((s) => s.received_at >= since));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [droneId, sessionId, since]);

  const feed = useTelemetryFeed(droneId, {
    onSample: (incoming) => {
      if (!since || incoming.received_at >= since) timeline.current.add([incoming]);
    },
    onStream: () => void client.invalidateQueries({ queryKey: droneKeys.of(droneId) }).then(() => client.invalidateQueries({ queryKey: droneKeys.streams })),
  });

  const onFrame = useCallback((streamMs: number) => {
    const current = timeline.current.at(streamMs);
    const now = performance.now();
    const changed = current !== shown.current.sample;
    // The frame position is redrawn with every change of sample, so the two on screen belong together.
    if (changed || now - shown.current.labelAt >= FRAME_LABEL_MS) {
      shown.current = { sample: current, labelAt: now };
      setFrameMs(streamMs);
    }
    if (changed) setSample(current);
  }, []);

  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Live video
        </Title>
        {stream?.live && stream.video && (
          <Text size="xs" c="dimmed">
            {stream.video.codec ?? '?'} {stream.video.width ?? '?'}×{stream.video.height ?? '?'} · {stream.video.fps ?? '?'} fps · {stream.viewers ?? 0} viewer(s)
          </Text>
        )}
      </Group>
      {sessionId ? (
        <DroneLivePlayer droneId={droneId} sessionId={sessionId} onFrame={onFrame}>
          <TelemetryOverlay sample={sample} frameMs={frameMs} feed={feed} />
        </DroneLivePlayer>
      ) : (
        <Stack align="center" justify="center" h={200} bg="var(--mantine-color-default-hover)" style={{ borderRadius: 'var(--mantine-radius-sm)' }} data-testid="not-live">
          <Text fw={500}>Not live</Text>
          <Text size="sm" c="dimmed" ta="center" maw={360}>
            The video starts here as soon as the drone publishes to its RTMP URL.
          </Text>
        </Stack>
      )}
    </Card>
  );
}
