import { Grid, Stack, Text } from '@mantine/core';
import { useIsFetching } from '@tanstack/react-query';
import { PageHeader } from '../../components/PageHeader';
import { ActivityPanel } from './ActivityPanel';
import { DecisionsPanel } from './DecisionsPanel';
import { InstancesPanel } from './InstancesPanel';
import { LIVE_INTERVAL_MS } from './overview-queries';
import { RobotsOnlinePanel } from './RobotsOnlinePanel';
import { StatCards } from './StatCards';

/** The station at a glance; every panel refreshes itself every few seconds. */
export default function OverviewPage() {
  const fetching = useIsFetching({ queryKey: ['overview'] });
  return (
    <Stack>
      <PageHeader
        title="Overview"
        description={
          <Text span size="sm" c="dimmed">
            Live: refreshed every {LIVE_INTERVAL_MS / 1000} s{fetching ? ' · updating…' : ''}
          </Text>
        }
      />
      <StatCards />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack>
            <InstancesPanel />
            <DecisionsPanel />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack>
            <RobotsOnlinePanel />
            <ActivityPanel />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
