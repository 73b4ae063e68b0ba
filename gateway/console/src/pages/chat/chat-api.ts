import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { baseApi, type BaseSchemas } from '../../api/clients/base';
import { unwrap } from '../../api/http';

export type ChatRoom = BaseSchemas['ChatRoomView'];
export type ChatMessage = BaseSchemas['ChatMessageView'];

/** A room's messages as the page holds them: contiguous by seq, oldest first. */
export interface RoomMessages {
  messages: ChatMessage[];
  /** The held range starts after this seq: scrollback reads below it, 0 means the room's beginning. */
  from: number;
}

/** Messages per screenful of scrollback. */
export const SCROLLBACK_PAGE = 50;
/** At most this many messages when a room opens (the socket's resume brings any others). */
const INITIAL_MAX = SCROLLBACK_PAGE * 4;
/** The rooms list's page size (the API's maximum) and how many pages it reads at most. */
const ROOMS_LIMIT = 500;
const ROOMS_MAX_PAGES = 10;

export const chatKeys = {
  rooms: ['chat', 'rooms'] as const,
  messages: (room: string) => ['chat', 'messages', room] as const,
};

export interface RoomsList {
  items: ChatRoom[];
}

/** Every room (page after page: rooms are few, but a long-lived fleet gathers some). */
async function fetchRooms(): Promise<RoomsList> {
  const items: ChatRoom[] = [];
  for (let page = 0; page < ROOMS_MAX_PAGES; page++) {
    const answer = await unwrap(baseApi.GET('/rooms', { params: { query: { limit: ROOMS_LIMIT, offset: items.length } } }));
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) break;
  }
  return { items };
}

export function useRooms() {
  return useQuery({ queryKey: chatKeys.rooms, queryFn: fetchRooms, refetchInterval: 10_000 });
}

export function useCreateRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => unwrap(baseApi.POST('/rooms', { body: { name } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: chatKeys.rooms }),
  });
}

/**
 * The room's messages with `afterSeq < seq <= untilSeq`, oldest first, following the history's
 * `next_cursor` page after page (seqs have no gaps, so the count says when the range is complete).
 */
export async function fetchHistory(room: string, afterSeq: number, untilSeq = afterSeq + INITIAL_MAX): Promise<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const remaining = untilSeq - afterSeq - messages.length;
    if (remaining <= 0) return messages;
    const limit = Math.min(SCROLLBACK_PAGE, remaining);
    const query = cursor ? { cursor, limit } : { after_seq: afterSeq, limit };
    const page = await unwrap(baseApi.GET('/rooms/{room}/messages', { params: { path: { room }, query } }));
    messages.push(...page.items.filter((message) => message.seq <= untilSeq));
    if (!page.next_cursor || page.items.length === 0) return messages;
    cursor = page.next_cursor;
  }
}

/** The newest page of a room (its last screenful and anything since `lastSeq` was read). */
export function useRoomMessages(room: string, lastSeq: number | undefined) {
  return useQuery({
    queryKey: chatKeys.messages(room),
    queryFn: async (): Promise<RoomMessages> => {
      const from = Math.max(0, (lastSeq ?? 0) - SCROLLBACK_PAGE);
      return { messages: await fetchHistory(room, from), from };
    },
    enabled: lastSeq !== undefined,
    // The socket keeps it current from here on.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** Merges messages into what the page holds for their room (by seq, without duplicates); rooms not loaded yet are left alone. */
export function mergeMessages(queryClient: QueryClient, room: string, incoming: ChatMessage[]): void {
  queryClient.setQueryData<RoomMessages>(chatKeys.messages(room), (held) => {
    if (!held) return held;
    const bySeq = new Map(held.messages.map((message) => [message.seq, message]));
    let changed = false;
    for (const message of incoming) {
      if (!bySeq.has(message.seq)) {
        bySeq.set(message.seq, message);
        changed = true;
      }
    }
    return changed ? { ...held, messages: [...bySeq.values()].sort((a, b) => a.seq - b.seq) } : held;
  });
}

/**
 * Where the gap-free part of the held range ends: a join or a reconnect resumes after it. (Live
 * lobby messages can arrive after a reconnect before the resume's backlog, leaving a gap for a moment.)
 */
export function newestSeq(held: RoomMessages | undefined): number | undefined {
  if (!held) return undefined;
  let seq = held.from;
  for (const message of held.messages) {
    if (message.seq !== seq + 1) break;
    seq = message.seq;
  }
  return seq;
}

/** One more screenful of older messages, prepended. */
export async function loadOlder(queryClient: QueryClient, room: string): Promise<void> {
  const held = queryClient.getQueryData<RoomMessages>(chatKeys.messages(room));
  if (!held || held.from === 0) return;
  const from = Math.max(0, held.from - SCROLLBACK_PAGE);
  const older = await fetchHistory(room, from, held.from);
  queryClient.setQueryData<RoomMessages>(chatKeys.messages(room), (current) => (current ? { from, messages: [...older, ...current.messages] } : current));
}

/** A live message moves its room's count on in the rooms list (refreshed from the server only every few seconds). */
export function noteRoomSeq(queryClient: QueryClient, room: string, seq: number): void {
  queryClient.setQueryData<RoomsList>(chatKeys.rooms, (page) =>
    page ? { ...page, items: page.items.map((entry) => (entry.name === room && entry.last_seq < seq ? { ...entry, last_seq: seq } : entry)) } : page,
  );
}
