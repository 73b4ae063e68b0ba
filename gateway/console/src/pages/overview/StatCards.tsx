import { Paper, SimpleGrid, Skeleton, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useFailedExports, useLiveStreams, useOnlineRobots, useRunningJobs } from './overview-queries';

function Stat({ label, query, count, to, alarm = false }: { label: string; query: UseQueryResult<unknown>; count: () => number; to: string; alarm?: boolean }) {
  const value = query.isSuccess ? count() : undefined;
  return (
    <Paper component={Link} to={to} withBorder p="md" radius="md" style={{ textDecoration: 'none', color: 'inherit' }} aria-label={`${label}: ${value ?? 'loading'}`}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {query.isError ? (
        <Text c="red" size="sm" mt={6}>
          unavailable
        </Text>
      ) : value === undefined ? (
        <Skeleton h={32} mt={6} w={48} />
      ) : (
        <Text fz={28} fw={700} c={alarm && value > 0 ? 'red' : undefined} data-testid={`stat-${to.slice(1).split('?')[0]}`}>
          {value}
        </Text>
      )}
    </Paper>
  );
}

/** The station in four numbers; each links to its page. */
export function StatCards() {
  const robots = useOnlineRobots();
  const streams = useLiveStreams();
  const jobs = useRunningJobs();
  const exports = useFailedExports();
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }}>
      <Stat label="Robots online" query={robots} count={() => robots.data?.total ?? 0} to="/robots" />
      <Stat label="Drones live" query={streams} count={() => streams.data?.items.filter((stream) => stream.live).length ?? 0} to="/drones" />
      <Stat label="Translations running" query={jobs} count={() => jobs.data?.total ?? 0} to="/translations" />
      <Stat label="Accounting exports failed" query={exports} count={() => exports.data?.total ?? 0} to="/shops?tab=outbox" alarm />
    </SimpleGrid>
  );
}
