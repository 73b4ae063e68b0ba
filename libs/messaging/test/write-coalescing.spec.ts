import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { coalesceSocketWrites, coalesceWrites } from '../src/topology/write-coalescing';

/** A socket stand-in that records each write that would be a syscall: one entry per batch. */
function recordingSocket(): { socket: Writable; syscalls: string[][] } {
  const syscalls: string[][] = [];
  const socket = new Writable({
    write(chunk: Buffer, _encoding, done) {
      syscalls.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      syscalls.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      done();
    },
  });
  return { socket, syscalls };
}

/** What amqplib's connect() resolves to, as far as coalesceWrites looks. */
const model = (socket: unknown) => ({ connection: { stream: socket } });

describe(coalesceWrites.name, () => {
  it('sends what one event-loop turn wrote in one write, and the next turn in the next', async () => {
    const { socket, syscalls } = recordingSocket();
    assert.equal(coalesceWrites(model(socket)), true);
    socket.write('reply-1');
    socket.write('ack-1');
    socket.write('reply-2');
    assert.deepEqual(syscalls, [], 'nothing leaves before the turn ends');
    await nextTurn();
    socket.write('ack-2');
    await nextTurn();
    assert.deepEqual(syscalls, [['reply-1', 'ack-1', 'reply-2'], ['ack-2']]);
  });

  it('without it, every write is its own syscall (what it saves)', async () => {
    const { socket, syscalls } = recordingSocket();
    socket.write('reply-1');
    socket.write('ack-1');
    await nextTurn();
    assert.equal(syscalls.length, 2);
  });

  it('applies once per socket, however often a reconnect handler calls it', async () => {
    const { socket, syscalls } = recordingSocket();
    coalesceWrites(model(socket));
    coalesceWrites(model(socket));
    socket.write('a');
    socket.write('b');
    await nextTurn();
    assert.deepEqual(syscalls, [['a', 'b']]);
    assert.equal(socket.writableCorked, 0, 'left uncorked');
  });

  it('leaves a connection it does not recognise alone', () => {
    assert.equal(coalesceWrites({}), false);
    assert.equal(coalesceWrites(model({ write: () => true })), false);
  });
});

describe(coalesceSocketWrites.name, () => {
  it("'immediate' also gathers what several I/O callbacks of one poll phase wrote, and releases every socket", async () => {
    const first = recordingSocket();
    const second = recordingSocket();
    coalesceSocketWrites(first.socket, 'immediate');
    coalesceSocketWrites(second.socket, 'immediate');
    first.socket.write('m1');
    // A later callback of the same phase (here: after the tick and its promise reactions).
    await Promise.resolve();
    await new Promise<void>((resolve) => process.nextTick(resolve));
    first.socket.write('m2');
    second.socket.write('m1');
    assert.deepEqual(first.syscalls, [], 'still corked until the immediate');
    await nextTurn();
    assert.deepEqual(first.syscalls, [['m1', 'm2']]);
    assert.deepEqual(second.syscalls, [['m1']]);
    assert.equal(first.socket.writableCorked, 0);
    assert.equal(second.socket.writableCorked, 0);
  });

  it("'tick' releases before the turn's I/O: a write after nextTick is a write of its own", async () => {
    const { socket, syscalls } = recordingSocket();
    coalesceSocketWrites(socket, 'tick');
    socket.write('a');
    await new Promise<void>((resolve) => setImmediate(resolve));
    socket.write('b');
    await nextTurn();
    assert.deepEqual(syscalls, [['a'], ['b']]);
  });

  it('keeps a nested cork (a writer corking header and payload) inside the turn', async () => {
    const { socket, syscalls } = recordingSocket();
    coalesceSocketWrites(socket, 'immediate');
    for (const frame of ['f1', 'f2']) {
      socket.cork();
      socket.write(`${frame}-header`);
      socket.write(`${frame}-payload`);
      socket.uncork();
    }
    assert.deepEqual(syscalls, []);
    await nextTurn();
    assert.deepEqual(syscalls, [['f1-header', 'f1-payload', 'f2-header', 'f2-payload']]);
  });

  it('refuses what is not a socket', () => {
    assert.equal(coalesceSocketWrites(undefined), false);
    assert.equal(coalesceSocketWrites({ write: () => true }), false);
  });
});
