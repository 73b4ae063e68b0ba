interface Corkable {
  write: (...args: never[]) => boolean;
  cork(): void;
  uncork(): void;
}

/**
 * When a socket corked by its first write of a turn is released:
 * - `tick`: once the turn's synchronous work and its promise reactions are done (`process.nextTick`);
 * - `immediate`: after the other I/O callbacks of the same poll phase too (`setImmediate`), so
 *   writes caused by several inbound chunks that arrived together leave together.
 */
export type WriteFlush = 'tick' | 'immediate';

const COALESCING = Symbol('fleet.coalescingWrites');
const CORKED = Symbol('fleet.corkedThisTurn');

type CoalescedSocket = Corkable & { [COALESCING]?: true; [CORKED]?: boolean };

function corkable(value: unknown): value is CoalescedSocket {
  const socket = value as Partial<Corkable> | null;
  return typeof socket?.write === 'function' && typeof socket.cork === 'function' && typeof socket.uncork === 'function';
}

/** Sockets corked in the current turn, per flush point: one scheduled callback releases them all. */
const corkedThisTurn: Record<WriteFlush, CoalescedSocket[]> = { tick: [], immediate: [] };
const scheduleRelease: Record<WriteFlush, (release: () => void) => void> = {
  tick: (release) => process.nextTick(release),
  immediate: (release) => setImmediate(release),
};

function releaseAll(flush: WriteFlush): void {
  for (const socket of corkedThisTurn[flush].splice(0)) {
    socket[CORKED] = false;
    socket.uncork();
  }
}

/**
 * Sends everything written to `socket` within one turn of the event loop with one `writev`: the
 * socket is corked at its first write of the turn and uncorked at `flush`. A write is a syscall,
 * and on a busy connection it is most of what sending a small message costs: an RPC reply and its
 * ack, a group-committed batch of chat messages to one client, a burst of pub/sub deliveries.
 * Nothing waits longer than it did: the bytes leave in the same turn. A nested cork (ws corks a
 * frame's header and payload) only adds to the count. Applies once per socket; returns whether the
 * value was a socket it could apply to.
 */
export function coalesceSocketWrites(socket: unknown, flush: WriteFlush = 'tick'): boolean {
  if (!corkable(socket)) return false;
  if (socket[COALESCING]) return true;
  socket[COALESCING] = true;
  const write = socket.write;
  const pending = corkedThisTurn[flush];
  socket.write = function (this: Corkable, ...args: never[]): boolean {
    if (!socket[CORKED]) {
      socket[CORKED] = true;
      socket.cork();
      if (pending.push(socket) === 1) scheduleRelease[flush](() => releaseAll(flush));
    }
    return write.apply(this, args);
  };
  return true;
}

/**
 * amqplib hands each queued frame group to its socket as a write of its own (its muxer drains
 * the channels once per event-loop turn, one `socket.write()` per chunk), so a reply and its ack
 * are two syscalls and 64 replies in one turn are 128: the largest CPU cost of an RPC server
 * in the benchmark. Coalesced per turn, they are one.
 *
 * `model` is what amqplib's `connect()` resolves to (amqp-connection-manager's `connect` event
 * carries it). Reaches into amqplib (`connection.stream`, the socket it writes to); without it
 * (another amqplib) the connection stays as it is, uncoalesced. Returns whether it applied.
 */
export function coalesceWrites(model: object): boolean {
  return coalesceSocketWrites((model as { connection?: { stream?: unknown } }).connection?.stream, 'tick');
}
