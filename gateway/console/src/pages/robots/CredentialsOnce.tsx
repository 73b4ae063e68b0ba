import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import type { RobotCredentials } from './robot-api';

function Copyable({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value} timeout={2000}>
          {({ copied, copy }) => (
            <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy} aria-label={`Copy ${label.toLowerCase()}`} w={90}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </div>
  );
}

/** The robot's client credentials as the service answered them once: nothing can show the secret again. */
export function CredentialsOnce({ credentials }: { credentials: RobotCredentials }) {
  return (
    <Stack>
      {credentials.client_secret ? (
        <Alert color="yellow" title="Shown once" role="alert">
          Copy the client secret now and give it to the robot: this page will not show it again. If it is lost, rotate the secret.
        </Alert>
      ) : (
        <Alert color="blue" title="No secret was created">
          The identity provider already had this client (or provisioning is off): the robot keeps using the secret it has.
        </Alert>
      )}
      <Copyable label="Client id" value={credentials.client_id} testId="robot-client-id" />
      {credentials.client_secret && <Copyable label="Client secret" value={credentials.client_secret} testId="robot-client-secret" />}
    </Stack>
  );
}
