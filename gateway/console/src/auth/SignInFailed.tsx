import { Alert, Button, Center, MantineProvider, Stack } from '@mantine/core';
import { theme } from '../theme';

/** The identity provider could not be reached or refused the sign-in: say so, offer a retry. */
export function SignInFailed({ error }: { error: unknown }) {
  const detail = error instanceof Error ? error.message : typeof error === 'object' && error ? JSON.stringify(error) : String(error ?? 'unknown error');
  return (
    <MantineProvider theme={theme}>
      <Center h="100vh" p="md">
        <Stack maw={480}>
          <Alert color="red" title="Sign-in failed">
            The console could not sign you in through /keycloak: {detail}
          </Alert>
          <Button onClick={() => window.location.reload()}>Try again</Button>
        </Stack>
      </Center>
    </MantineProvider>
  );
}
