import { Badge, Box, Group, SimpleGrid, Text } from '@mantine/core';
import type { TelemetrySample } from './drones-api';

const fixed = (value: number | null, digits: number, unit: string) => (value === null ? '—' : `${value.toFixed(digits)} ${unit}`);

function Reading({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="gray.4" lh={1.1}>
        {label}
      </Text>
      <Text size="sm" fw={600} c="white" ff="monospace" data-testid={`overlay-${label.toLowerCase().replace(/\s+/g, '-')}`}>
        {value}
      </Text>
    </div>
  );
}

/**
 * The telemetry of the frame on screen, over the video: the latest sample not after the frame's
 * stream position. `frameMs` is that position (null until the player knows its clock).
 */
export function TelemetryOverlay({ sample, frameMs, feed }: { sample: TelemetrySample | null; frameMs: number | null; feed: string }) {
  return (
    <Box
      pos="absolute"
      left={8}
      bottom={8}
      p="xs"
      maw="calc(100% - 16px)"
      style={{ background: 'rgba(0, 0, 0, 0.62)', borderRadius: 'var(--mantine-radius-sm)', pointerEvents: 'none' }}
      data-testid="telemetry-overlay"
      data-frame-ms={frameMs ?? undefined}
      data-sample-stream-ms={sample?.stream_ms ?? undefined}
      aria-live="off"
      aria-label="Telemetry of the frame on screen"
    >
      <Group gap="xs" mb={4}>
        <Text size="xs" c="gray.3" ff="monospace" data-testid="overlay-frame">
          frame {frameMs === null ? '—' : `${(frameMs / 1000).toFixed(2)} s`}
        </Text>
        {sample && (
          <Badge size="xs" variant="light" color={sample.stream_clock === 'drone' ? 'teal' : 'yellow'}>
            {sample.stream_clock === 'drone' ? 'drone clock' : 'server-mapped'}
          </Badge>
        )}
        <Badge size="xs" variant="outline" color={feed === 'open' ? 'green' : 'gray'}>
          feed {feed}
        </Badge>
      </Group>
      {sample ? (
        <SimpleGrid cols={{ base: 3, sm: 6 }} spacing="xs" verticalSpacing={4}>
          <Reading label="Altitude" value={fixed(sample.alt_m, 1, 'm')} />
          <Reading label="Speed" value={fixed(sample.speed_mps, 1, 'm/s')} />
          <Reading label="Heading" value={fixed(sample.heading_deg, 0, '°')} />
          <Reading label="Battery" value={fixed(sample.battery_pct, 0, '%')} />
          <Reading label="Signal" value={fixed(sample.signal_dbm, 0, 'dBm')} />
          <Reading label="Position" value={`${sample.lat.toFixed(5)}, ${sample.lon.toFixed(5)}`} />
        </SimpleGrid>
      ) : (
        <Text size="xs" c="gray.3">
          No telemetry for this frame yet
        </Text>
      )}
    </Box>
  );
}
