import { Badge, Button, Group, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import type { ConnectionState } from './chat-socket';

const LOOK = {
  connecting: { color: 'blue', label: 'Connecting…' },
  open: { color: 'green', label: 'Connected' },
  reconnecting: { color: 'orange', label: 'Reconnecting…' },
  failed: { color: 'red', label: 'Disconnected' },
} as const;

function useSecondsUntil(at: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  const ticker = useInterval(() => setNow(Date.now()), 500);
  useEffect(() => {
    if (at === undefined) return;
    ticker.start();
    return ticker.stop;
  }, [at, ticker]);
  return at === undefined ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The socket's state in words, with the reason and countdown while reconnecting. */
export function ConnectionBadge({ state, onReconnect }: { state: ConnectionState; onReconnect: () => void }) {
  const seconds = useSecondsUntil(state.retryAt);
  const look = LOOK[state.status];
  return (
    <Group gap="xs" wrap="wrap" role="status" aria-live="polite" data-testid="chat-connection">
      <Badge color={look.color} variant="dot" size="lg">
        {look.label}
      </Badge>
      {state.status !== 'open' && state.reason && (
        <Text size="xs" c="dimmed">
          {state.reason}
          {seconds !== undefined && state.status === 'reconnecting' ? `; next try in ${seconds} s` : ''}
        </Text>
      )}
      {state.status === 'reconnecting' && state.retryAt !== undefined && (
        <Button size="compact-xs" variant="subtle" onClick={onReconnect}>
          Reconnect now
        </Button>
      )}
    </Group>
  );
}
