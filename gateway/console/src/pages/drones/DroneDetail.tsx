import { Badge, Button, Card, Grid, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { videoApi } from '../../api/clients/video';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { droneKeys, useDroneMutations, useStream, type Drone, type DroneWithKey } from './drones-api';
import { DroneLive } from './DroneLive';
import { DroneTrack, type TRACK_RANGES } from './DroneTrack';
import { LinkHealthCard } from './LinkHealthCard';
import { RecordingsList } from './RecordingsList';
import { SessionHistory } from './SessionHistory';

export interface DetailView {
  tab: 'sessions' | 'recordings';
  track: (typeof TRACK_RANGES)[number];
}

function DroneHeader({ drone, live, onRevealKey }: { drone: Drone; live: boolean; onRevealKey: (drone: DroneWithKey) => void }) {
  const { rotateKey, retire } = useDroneMutations();
  const rotate = async () => {
    const confirmed = await confirmAction({
      title: `Rotate the stream key of ${drone.name}?`,
      message: 'The current key stops working at once: a drone publishing with it is cut off until it is configured with the new key.',
      confirmLabel: 'Rotate key',
    });
    if (!confirmed) return;
    rotateKey.mutate(drone.id, { onSuccess: onRevealKey, onError: (error) => notifyError(error, 'The key was not rotated') });
  };
  const retireDrone = async () => {
    const confirmed = await confirmAction({
      title: `Retire ${drone.name}?`,
      message: 'Its key stops working and a live stream is cut off. Its history, telemetry and recordings stay.',
      confirmLabel: 'Retire drone',
    });
    if (!confirmed) return;
    retire.mutate(drone.id, { onSuccess: () => notifySuccess(`${drone.name} is retired`), onError: (error) => notifyError(error, 'The drone was not retired') });
  };
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Group gap="xs">
            <Title order={2} size="h3">
              {drone.name}
            </Title>
            {drone.retired_at ? <Badge color="gray">retired {formatDateTime(drone.retired_at)}</Badge> : <Badge color={live ? 'red' : 'gray'}>{live ? 'live' : 'offline'}</Badge>}
            {drone.record && <Badge variant="outline" color="orange">recording on</Badge>}
          </Group>
          <Text size="sm" c="dimmed">
            Client {drone.keycloak_client_id} · registered {formatDateTime(drone.created_at)} · key rotated {formatDateTime(drone.key_rotated_at)}
          </Text>
        </div>
        {!drone.retired_at && (
          <Group gap="xs">
            <Button variant="default" onClick={() => void rotate()} loading={rotateKey.isPending}>
              Rotate key
            </Button>
            <Button color="red" variant="light" onClick={() => void retireDrone()} loading={retire.isPending}>
              Retire
            </Button>
          </Group>
        )}
      </Group>
    </Card>
  );
}

/** One drone: live video with its telemetry, link health, track, connection history and recordings. */
export function DroneDetail({ droneId, view, onView, onRevealKey }: { droneId: string; view: DetailView; onView: (view: Partial<DetailView>) => void; onRevealKey: (drone: DroneWithKey) => void }) {
  const drone = useQuery({ queryKey: droneKeys.of(droneId), queryFn: () => unwrap(videoApi.GET('/drones/{id}', { params: { path: { id: droneId } } })) });
  const stream = useStream(droneId);
  return (
    <QueryState query={drone}>
      {(current) => (
        <Stack gap="md">
          <DroneHeader drone={current} live={stream.data?.live ?? false} onRevealKey={onRevealKey} />
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <DroneLive droneId={droneId} stream={current.retired_at ? undefined : stream.data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Stack gap="md">
                <LinkHealthCard droneId={droneId} />
                <DroneTrack droneId={droneId} range={view.track} onRange={(track) => onView({ track })} />
              </Stack>
            </Grid.Col>
          </Grid>
          <Card withBorder padding="sm">
            <Tabs value={view.tab} onChange={(tab) => onView({ tab: tab === 'recordings' ? 'recordings' : 'sessions' })} keepMounted={false}>
              <Tabs.List mb="sm">
                <Tabs.Tab value="sessions">Connection history</Tabs.Tab>
                <Tabs.Tab value="recordings">Recordings</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="sessions">
                <SessionHistory droneId={droneId} />
              </Tabs.Panel>
              <Tabs.Panel value="recordings">
                <RecordingsList droneId={droneId} recording={current.record} />
              </Tabs.Panel>
            </Tabs>
          </Card>
        </Stack>
      )}
    </QueryState>
  );
}
