import { Card, Group, SegmentedControl, Text, Title } from '@mantine/core';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/format';
import { useTrack, type Track } from './drones-api';

const WIDTH = 400;
const HEIGHT = 240;
const PAD = 12;
export const TRACK_RANGES = ['10', '60', '1440'] as const;
const RANGE_LABELS: Record<(typeof TRACK_RANGES)[number], string> = { '10': '10 min', '60': '1 h', '1440': '24 h' };

/** Track points projected into the SVG box: equirectangular around the track's mean latitude, north up. */
export function projectTrack(points: Track['points']): Array<[number, number]> {
  if (points.length === 0) return [];
  const meanLat = points.reduce((sum, p) => sum + p.lat, 0) / points.length;
  const xScale = Math.cos((meanLat * Math.PI) / 180);
  const xs = points.map((p) => p.lon * xScale);
  const ys = points.map((p) => p.lat);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(maxX - minX, maxY - minY, 1e-6);
  const scale = Math.min(WIDTH - 2 * PAD, HEIGHT - 2 * PAD) / span;
  const offsetX = (WIDTH - (maxX - minX) * scale) / 2;
  const offsetY = (HEIGHT - (maxY - minY) * scale) / 2;
  return xs.map((x, i) => [offsetX + (x - minX) * scale, HEIGHT - (offsetY + (ys[i] - minY) * scale)]);
}

function TrackDrawing({ track }: { track: Track }) {
  const xy = projectTrack(track.points);
  const first = track.points[0];
  const last = track.points[track.points.length - 1];
  return (
    <>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={`Track of ${track.points.length} points`} data-testid="drone-track" style={{ maxHeight: 320, background: 'var(--mantine-color-default-hover)', borderRadius: 'var(--mantine-radius-sm)' }}>
        <polyline points={xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')} fill="none" stroke="var(--mantine-color-blue-6)" strokeWidth={2} strokeLinejoin="round" />
        <circle cx={xy[0][0]} cy={xy[0][1]} r={4} fill="var(--mantine-color-gray-6)">
          <title>Start {formatTime(first.ts)}</title>
        </circle>
        <circle cx={xy[xy.length - 1][0]} cy={xy[xy.length - 1][1]} r={6} fill="var(--mantine-color-red-6)">
          <title>Latest {formatTime(last.ts)}</title>
        </circle>
      </svg>
      <Text size="xs" c="dimmed" mt={4}>
        {track.points.length} points, {Math.round(track.bucket_ms / 1000)} s each · latest {last.lat.toFixed(5)}, {last.lon.toFixed(5)}
        {last.alt_m !== null && ` · ${last.alt_m.toFixed(0)} m`}
      </Text>
    </>
  );
}

/** The drone's track over a chosen range, from the downsampled track API. */
export function DroneTrack({ droneId, range, onRange }: { droneId: string; range: (typeof TRACK_RANGES)[number]; onRange: (range: (typeof TRACK_RANGES)[number]) => void }) {
  const query = useTrack(droneId, Number(range));
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Track
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Track range"
          value={range}
          onChange={(value) => onRange(value as (typeof TRACK_RANGES)[number])}
          data={TRACK_RANGES.map((value) => ({ value, label: RANGE_LABELS[value] }))}
        />
      </Group>
      <QueryState query={query} isEmpty={(track) => track.points.length === 0} empty="No telemetry in this range.">
        {(track) => <TrackDrawing track={track} />}
      </QueryState>
    </Card>
  );
}
