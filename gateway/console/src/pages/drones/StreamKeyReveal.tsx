import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { CopyableSecret } from '../../components/CopyableSecret';
import type { DroneWithKey } from './drones-api';

/** A drone's stream key (and, on registration, its client secret): shown this once, never again. */
export function StreamKeyReveal({ drone, onDone }: { drone: DroneWithKey; onDone: () => void }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" title="Shown only this once">
        Configure the drone now. The console cannot show this key again; rotate it if it is lost.
      </Alert>
      <CopyableSecret label="Stream key" value={drone.stream_key} testId="stream-key" />
      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
        The drone publishes to rtmp://&lt;ingest host&gt;:&lt;RTMP port&gt;{drone.rtmp_path}
      </Text>
      {drone.client_secret && <CopyableSecret label={`Client secret of ${drone.keycloak_client_id}`} value={drone.client_secret} testId="client-secret" />}
      <Group justify="flex-end">
        <Button onClick={onDone}>I have stored it</Button>
      </Group>
    </Stack>
  );
}
