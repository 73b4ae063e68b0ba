import { Anchor, Badge, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../components/format';
import { useFailedExports, useLiveStreams, useRunningJobs } from './overview-queries';

/** Drones live, translations running, accounting exports that failed. */
export function ActivityPanel() {
  const streams = useLiveStreams();
  const jobs = useRunningJobs();
  const exports = useFailedExports();
  return (
    <Stack>
      <Paper withBorder p="md" radius="md">
        <Title order={2} size="h4" mb="sm">
          Drones live
        </Title>
        <QueryState query={streams} isEmpty={(page) => !page.items.some((stream) => stream.live)} empty="No drone is streaming.">
          {(page) => (
            <Stack gap={6}>
              {page.items.flatMap((stream) =>
                stream.live ? [
                  <Group key={stream.drone_id} justify="space-between">
                    <Anchor component={Link} to={`/drones/${stream.drone_id}`} size="sm" ff="monospace">
                      {stream.drone_id.slice(0, 8)}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {stream.video.width && stream.video.height ? `${stream.video.width}×${stream.video.height}` : ''} {stream.viewers} watching
                    </Text>
                  </Group>,
                ] : [],
              )}
            </Stack>
          )}
        </QueryState>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={2} size="h4" mb="sm">
          Translations running
        </Title>
        <QueryState query={jobs} isEmpty={(page) => page.items.length === 0} empty="No translation is running.">
          {(page) => (
            <Stack gap={8}>
              {page.items.map((job) => (
                <div key={job.id}>
                  <Group justify="space-between">
                    <Anchor component={Link} to={`/translations/${job.id}`} size="sm">
                      {job.source_language} → {job.target_languages.join(', ')}
                    </Anchor>
                    <Text size="xs">{Math.round(job.progress * 100)} %</Text>
                  </Group>
                  <Progress value={job.progress * 100} size="sm" aria-label="progress" />
                </div>
              ))}
            </Stack>
          )}
        </QueryState>
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            Accounting exports failed
          </Title>
          {exports.data && exports.data.total > 0 && <Badge color="red">{exports.data.total}</Badge>}
        </Group>
        <QueryState query={exports} isEmpty={(page) => page.items.length === 0} empty="Every export was delivered or is pending.">
          {(page) => (
            <Stack gap={6}>
              {page.items.map((record) => (
                <div key={record.id}>
                  <Text size="sm">
                    {record.event} · order {record.order_id.slice(0, 8)} · {record.attempts} attempts
                  </Text>
                  <Text size="xs" c="red">
                    {record.last_error ?? ''} ({formatDateTime(record.created_at)})
                  </Text>
                </div>
              ))}
              <Anchor component={Link} to="/shops?tab=outbox" size="sm">
                Retry them in Shops → Accounting export
              </Anchor>
            </Stack>
          )}
        </QueryState>
      </Paper>
    </Stack>
  );
}
