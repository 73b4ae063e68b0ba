import { Badge, Card, Group, SimpleGrid, Text, Title } from '@mantine/core';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/format';
import { useLinkHealth, type LinkHealth } from './drones-api';

/** Seconds since the drone was last heard from, as a traffic light. */
function freshness(agoS: number | null): { color: string; label: string } {
  if (agoS === null) return { color: 'gray', label: 'never seen' };
  if (agoS < 5) return { color: 'green', label: 'healthy' };
  if (agoS < 30) return { color: 'yellow', label: 'lagging' };
  return { color: 'red', label: 'lost' };
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500}>
        {value}
      </Text>
    </div>
  );
}

function LinkFigures({ link }: { link: LinkHealth }) {
  const state = freshness(link.last_seen_ago_s);
  return (
    <>
      <Group gap="xs" mb="xs">
        <Badge color={state.color} data-testid="link-state">
          {state.label}
        </Badge>
        <Text size="xs" c="dimmed">
          last seen {link.last_seen ? `${formatTime(link.last_seen)} (${link.last_seen_ago_s} s ago)` : '—'}
        </Text>
      </Group>
      <SimpleGrid cols={2} spacing="xs">
        <Figure label="Video" value={link.video.live ? `${link.video.fps ?? '?'} fps, ${link.video.bitrate_in_kbps ?? '?'} kbps` : 'offline'} />
        <Figure label="Viewers" value={link.video.live ? String(link.video.viewers ?? 0) : '—'} />
        <Figure label={`Telemetry (${link.telemetry.window_s} s)`} value={`${link.telemetry.rate_hz} Hz, ${link.telemetry.samples} samples`} />
        <Figure label="Largest gap" value={link.telemetry.max_gap_ms === null ? '—' : `${(link.telemetry.max_gap_ms / 1000).toFixed(1)} s`} />
      </SimpleGrid>
    </>
  );
}

/** Link health over the last minute: video rate, telemetry rate and gaps, last seen. */
export function LinkHealthCard({ droneId }: { droneId: string }) {
  const query = useLinkHealth(droneId);
  return (
    <Card withBorder padding="sm">
      <Title order={2} size="h4" mb="xs">
        Link health
      </Title>
      <QueryState query={query}>{(link) => <LinkFigures link={link} />}</QueryState>
    </Card>
  );
}
