import { Alert, Stack } from '@mantine/core';
import { CopyableSecret } from '../../components/CopyableSecret';
import type { RobotCredentials } from './robot-api';

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
      <CopyableSecret label="Client id" value={credentials.client_id} testId="robot-client-id" />
      {credentials.client_secret && <CopyableSecret label="Client secret" value={credentials.client_secret} testId="robot-client-secret" />}
    </Stack>
  );
}
