import { Alert, Card, Grid, Group, Stack, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { ErrorNotice, PageLoader, QueryState } from '../../components/QueryState';
import { useRoomMessages, useRooms } from './chat-api';
import type { ChatErrorFrame } from './chat-socket';
import { Composer } from './Composer';
import { ConnectionBadge } from './ConnectionBadge';
import { MessageList } from './MessageList';
import { RoomList } from './RoomList';
import { useChatSocket } from './use-chat-socket';

const DEFAULT_ROOM = 'lobby';

/** Chat: rooms, live messages over the WebSocket, scrollback, resume after a reconnect. The room is in the URL. */
export default function ChatPage() {
  const [params, setParams] = useSearchParams();
  const room = params.get('room') || DEFAULT_ROOM;
  const [problem, setProblem] = useState<ChatErrorFrame | null>(null);
  const { socket, state } = useChatSocket(setProblem);
  const rooms = useRooms();
  const known = rooms.data?.items.find((entry) => entry.name === room);
  const messages = useRoomMessages(room, known?.last_seq);

  // Follow the room once its history is held, so the join resumes right after it.
  const loaded = messages.isSuccess;
  useEffect(() => {
    if (!loaded) return;
    socket.follow(room);
    return () => socket.unfollow(room);
  }, [socket, room, loaded]);
  useEffect(() => setProblem(null), [room]);

  const select = (next: string) => setParams((current) => ({ ...Object.fromEntries(current), room: next }));
  const live = state.status === 'open' && state.joined.includes(room);

  return (
    <>
      <PageHeader title="Chat" description="Rooms shared by operators, admins and robots." actions={<ConnectionBadge state={state} onReconnect={socket.reconnectNow} />} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
          <Card withBorder>
            <Title order={2} size="h5" mb="xs">
              Rooms
            </Title>
            <RoomList selected={room} onSelect={select} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
          <Card withBorder>
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={2} size="h4">
                  # {room}
                </Title>
              </Group>
              {/* A failed refresh of the rooms keeps the room open: only a first load that failed is an error here. */}
              {rooms.data && !known ? (
                <Alert color="orange" role="alert">
                  There is no room named “{room}”. Pick one from the list or create it.
                </Alert>
              ) : !rooms.data && rooms.isError ? (
                <ErrorNotice error={rooms.error} onRetry={() => void rooms.refetch()} />
              ) : !known ? (
                <PageLoader />
              ) : (
                <QueryState query={messages}>{(held) => <MessageList room={room} held={held} userId={state.userId} />}</QueryState>
              )}
              {problem && (!problem.room || problem.room === room) && (
                <Alert color="red" role="alert" withCloseButton onClose={() => setProblem(null)} title="The chat refused that">
                  {problem.message}
                </Alert>
              )}
              <Composer room={room} connected={live} onSend={(content) => socket.send(room, content)} />
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
