import { Button, Grid, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { setOrDelete, useLatestSearchParams } from '../../components/latest-search-params';
import { PageHeader } from '../../components/PageHeader';
import { useDroneMutations, type DroneWithKey } from './drones-api';
import { DroneDetail, type DetailView } from './DroneDetail';
import { DroneList } from './DroneList';
import { TRACK_RANGES } from './DroneTrack';
import { RegisterDroneForm } from './RegisterDroneForm';
import { StreamKeyReveal } from './StreamKeyReveal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The page's state that belongs in the URL: `/drones/<id>?tab=&track=&retired=` (deep links). */
function useDronesParams() {
  const [params, patchParams] = useLatestSearchParams();
  const splat = useParams()['*'] ?? '';
  const navigate = useNavigate();
  const track = params.get('track');
  const view: DetailView = {
    tab: params.get('tab') === 'recordings' ? 'recordings' : 'sessions',
    track: TRACK_RANGES.find((range) => range === track) ?? '10',
  };
  const update = (changes: Record<string, string | null>) =>
    patchParams((next) => setOrDelete(next, changes));
  const select = (id: string) => navigate({ pathname: `/drones/${id}`, search: params.get('retired') ? '?retired=true' : '' });
  return { droneId: UUID.test(splat) ? splat.toLowerCase() : null, includeRetired: params.get('retired') === 'true', view, update, select };
}

export default function DronesPage() {
  const { droneId, includeRetired, view, update, select } = useDronesParams();
  const { register } = useDroneMutations();
  const [registering, setRegistering] = useState(false);
  const [revealed, setRevealed] = useState<DroneWithKey | null>(null);

  const onRegister = async (body: Parameters<typeof register.mutateAsync>[0]) => {
    const drone = await register.mutateAsync(body);
    setRegistering(false);
    setRevealed(drone);
    select(drone.id);
    return drone;
  };

  return (
    <>
      <PageHeader title="Drones" description="Live video with synchronized telemetry, tracks, link health and history" actions={<Button onClick={() => setRegistering(true)}>Register drone</Button>} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4, xl: 3 }}>
          <DroneList selectedId={droneId} includeRetired={includeRetired} onIncludeRetired={(value) => update({ retired: value ? 'true' : null })} onSelect={select} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, xl: 9 }}>
          {droneId ? (
            <DroneDetail key={droneId} droneId={droneId} view={view} onView={(changes) => update(changes)} onRevealKey={setRevealed} />
          ) : (
            <Text c="dimmed" ta="center" p="xl">
              Pick a drone to watch its live video and telemetry.
            </Text>
          )}
        </Grid.Col>
      </Grid>
      <Modal opened={registering} onClose={() => setRegistering(false)} title="Register a drone">
        <RegisterDroneForm onSubmit={onRegister} onCancel={() => setRegistering(false)} />
      </Modal>
      <Modal opened={revealed !== null} onClose={() => setRevealed(null)} title={revealed ? `Stream key of ${revealed.name}` : ''} closeOnClickOutside={false} size="lg">
        {revealed && <StreamKeyReveal drone={revealed} onDone={() => setRevealed(null)} />}
      </Modal>
    </>
  );
}
