import { Alert, Button, Center, Stack, Text } from '@mantine/core';
import { signOut, type SessionUser } from './session';

/** Robot and drone identities (and users without a console role) are refused with a clear message. */
export function NotAnOperator({ user }: { user: SessionUser }) {
  const machine = user.roles.includes('robot') || user.roles.includes('drone');
  return (
    <Center h="100vh" p="md">
      <Stack maw={520}>
        <Alert color="red" title="This console is for operators" role="alert">
          <Text size="sm">
            You are signed in as <b>{user.username || user.subject}</b>
            {machine ? `, a ${user.roles.includes('robot') ? 'robot' : 'drone'} identity` : ''}. Only the realm roles operator and admin may use the
            console{user.roles.length ? `; this account has: ${user.roles.join(', ')}` : '; this account has no realm role'}.
          </Text>
        </Alert>
        <Button variant="light" onClick={() => void signOut()}>
          Sign out and use another account
        </Button>
      </Stack>
    </Center>
  );
}
