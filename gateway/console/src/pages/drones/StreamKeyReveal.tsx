import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import type { DroneWithKey } from './drones-api';

function Secret({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" color={copied ? 'teal' : undefined} onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </div>
  );
}

/** A drone's stream key (and, on registration, its client secret): shown this once, never again. */
export function StreamKeyReveal({ drone, onDone }: { drone: DroneWithKey; onDone: () => void }) {
  return (
    <Stack gap="sm">
      <Alert color="yellow" title="Shown only this once">
        Configure the drone now. The console cannot show this key again; rotate it if it is lost.
      </Alert>
      <Secret label="Stream key" value={drone.stream_key} testId="stream-key" />
      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
        The drone publishes to rtmp://&lt;ingest host&gt;:&lt;RTMP port&gt;{drone.rtmp_path}
      </Text>
      {drone.client_secret && <Secret label={`Client secret of ${drone.keycloak_client_id}`} value={drone.client_secret} testId="client-secret" />}
      <Group justify="flex-end">
        <Button onClick={onDone}>I have stored it</Button>
      </Group>
    </Stack>
  );
}
