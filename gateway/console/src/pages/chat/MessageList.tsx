import { Box, Button, Center, Group, Loader, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useLayoutEffect, useRef, useState } from 'react';
import { notifyError } from '../../components/notify';
import { formatDateTime } from '../../components/format';
import { loadOlder, type ChatMessage, type RoomMessages } from './chat-api';

/** How close to the bottom (px) still counts as "reading the newest": new messages then scroll into view. */
const STICKY_PX = 80;

const shortUser = (userId: string) => (userId.length > 12 ? `${userId.slice(0, 8)}…` : userId);

/**
 * A room's messages, oldest at the top. "Older messages" reads the history below the held range
 * and keeps the view where it was; a new message scrolls into view when the reader is at the bottom.
 */
export function MessageList({ room, held, userId }: { room: string; held: RoomMessages; userId: string | undefined }) {
  const queryClient = useQueryClient();
  const viewport = useRef<HTMLDivElement>(null);
  const [loading, setLoading] = useState(false);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const atBottom = useRef(true);
  const { messages } = held;

  useLayoutEffect(() => {
    const element = viewport.current;
    if (!element) return;
    if (anchor.current) {
      // Older messages were prepended: keep the same message under the reader's eyes.
      element.scrollTop = anchor.current.top + (element.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (atBottom.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [messages]);

  const older = async () => {
    const element = viewport.current;
    if (element) anchor.current = { height: element.scrollHeight, top: element.scrollTop };
    setLoading(true);
    try {
      await loadOlder(queryClient, room);
    } catch (error) {
      anchor.current = null;
      notifyError(error, 'Older messages could not be loaded');
    } finally {
      setLoading(false);
    }
  };

  return (
    <ScrollArea
      h={{ base: 360, md: 480 }}
      viewportRef={viewport}
      type="auto"
      onScrollPositionChange={({ y }) => {
        const element = viewport.current;
        if (element) atBottom.current = element.scrollHeight - element.clientHeight - y < STICKY_PX;
      }}
    >
      <Stack gap="xs" p="xs" aria-label={`Messages in ${room}`} role="log">
        <Center>
          {held.from > 0 ? (
            <Button size="xs" variant="subtle" onClick={() => void older()} loading={loading}>
              Older messages
            </Button>
          ) : (
            <Text size="xs" c="dimmed">
              The beginning of #{room}
            </Text>
          )}
        </Center>
        {messages.length === 0 && (
          <Text c="dimmed" ta="center" size="sm" data-testid="empty-state">
            No messages yet. Say hello.
          </Text>
        )}
        {messages.map((message) => (
          <MessageItem key={message.seq} message={message} mine={message.user_id === userId} />
        ))}
        {loading && <Loader size="xs" mx="auto" />}
      </Stack>
    </ScrollArea>
  );
}

function MessageItem({ message, mine }: { message: ChatMessage; mine: boolean }) {
  return (
    <Group justify={mine ? 'flex-end' : 'flex-start'}>
      <Paper withBorder p="xs" radius="md" maw="80%" bg={mine ? 'var(--mantine-color-blue-light)' : undefined} data-testid="chat-message" data-seq={message.seq}>
        <Group gap="xs" justify="space-between">
          <Text size="xs" fw={600} title={message.user_id}>
            {mine ? 'You' : shortUser(message.user_id)}
          </Text>
          <Text size="xs" c="dimmed" title={`#${message.seq}`}>
            {formatDateTime(message.created_at)}
          </Text>
        </Group>
        <Box style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          <Text size="sm">{message.content}</Text>
        </Box>
      </Paper>
    </Group>
  );
}
