import { Alert, Button, Center, Stack } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';

/** A page that failed to load or render: say which, keep the way back. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : String(error);
  return (
    <Center p="xl">
      <Stack maw={520}>
        <Alert color="red" title={isRouteErrorResponse(error) && error.status === 404 ? 'No such page' : 'This page failed'} role="alert">
          {message}
        </Alert>
        <Button component="a" href="/" variant="light">
          Back to the overview
        </Button>
      </Stack>
    </Center>
  );
}
