import assert from 'node:assert/strict';
import { ChatClient } from '@fleet/testing';
import type { ConsoleSession } from '../../src';
import type { Journey } from './journey';

/** Keeps every WebSocket the page opens reachable, so the journey can cut the chat connection as a network would. */
const RECORD_SOCKETS = `(() => {
  const Native = window.WebSocket;
  const sockets = [];
  window.__journeySockets = sockets;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      sockets.push(this);
    }
  };
})()`;
const CLOSE_SOCKETS = 'window.__journeySockets.forEach((socket) => socket.close())';

/** While offline, the browser logs the failed reconnect attempts and refreshes. */
const OFFLINE_NOISE = [/WebSocket connection to .* failed/, /ERR_INTERNET_DISCONNECTED/];

async function openRoom(session: ConsoleSession, room: string): Promise<void> {
  await session.page.getByRole('heading', { name: `# ${room}`, level: 2 }).waitFor();
  await session.page.getByTestId('chat-connection').getByText('Connected', { exact: true }).waitFor();
}

async function say(session: ConsoleSession, room: string, content: string): Promise<void> {
  const composer = session.page.getByLabel(`Message #${room}`);
  await composer.fill(content);
  await composer.press('Enter');
}

/** Messages written by a plain client, paced under the server's 20 frames per second. */
async function writeMany(gatewayUrl: string, token: string, room: string, contents: string[]): Promise<void> {
  const client = await ChatClient.connect(gatewayUrl, { path: '/base_api/ws', token });
  try {
    client.send({ type: 'join', room });
    await client.next((frame) => frame.type === 'joined' && frame.room === room);
    for (const content of contents) {
      client.send({ type: 'message', room, content });
      await new Promise((resolve) => setTimeout(resolve, 70));
    }
    const last = contents[contents.length - 1];
    await client.next((frame) => frame.content === last, 10_000);
  } finally {
    await client.close();
  }
}

const message = (session: ConsoleSession, content: string) => session.page.getByRole('log').getByTestId('chat-message').filter({ hasText: content });

export const chatJourneys: Journey[] = [
  {
    page: 'chat',
    title: 'an operator creates a room; operator and admin in two browsers see each other live; after a forced reconnect the missed message appears; scrollback reads older history',
    async run({ browser, fleet, unique }) {
      const operator = await browser.signIn('operator');
      const admin = await browser.signIn('admin', { width: 820, height: 1100 });
      const room = `journey-${unique}`;
      try {
        await operator.page.addInitScript({ content: RECORD_SOCKETS });
        await operator.open('/chat', 'Chat');
        await openRoom(operator, 'lobby');

        // A room created in the page opens at once, empty.
        await operator.page.getByLabel('New room').fill(room);
        await operator.page.getByRole('button', { name: 'Create room' }).click();
        await openRoom(operator, room);
        await operator.page.getByRole('log').getByText('No messages yet').waitFor();

        // The admin follows a deep link to it; each sees the other's message.
        await admin.open(`/chat?room=${room}`, 'Chat');
        await openRoom(admin, room);
        await say(operator, room, `hello from the operator ${unique}`);
        await message(admin, `hello from the operator ${unique}`).waitFor();
        await say(admin, room, `hello from the admin ${unique}`);
        await message(operator, `hello from the admin ${unique}`).waitFor();
        await message(admin, `hello from the admin ${unique}`).getByText('You').waitFor();

        // The operator's connection drops and stays down while the admin writes.
        await operator.context.setOffline(true);
        await operator.page.evaluate(CLOSE_SOCKETS);
        await operator.page.getByTestId('chat-connection').getByText('Reconnecting…').waitFor();
        await say(admin, room, `while you were away ${unique}`);
        await message(admin, `while you were away ${unique}`).waitFor();
        await operator.screenshot('chat-reconnecting');

        // Back online: it reconnects, resumes after the last seq it held, and the missed message appears.
        await operator.context.setOffline(false);
        await openRoom(operator, room);
        await message(operator, `while you were away ${unique}`).waitFor();
        assert.equal(await operator.page.getByRole('log').getByTestId('chat-message').count(), 3, 'each message once, in the room it was sent to');
        await say(operator, room, `back again ${unique}`);
        await message(admin, `back again ${unique}`).waitFor();
        await operator.screenshot('chat');

        // Scrollback: a room opened afresh shows its newest screenful; older history loads above it.
        await writeMany(fleet.gatewayUrl, await fleet.token('admin'), room, Array.from({ length: 60 }, (_, i) => `bulk ${i + 1} ${unique}`));
        await admin.page.reload();
        await openRoom(admin, room);
        await message(admin, `bulk 60 ${unique}`).waitFor();
        assert.equal(await message(admin, `hello from the operator ${unique}`).count(), 0, 'the first message is beyond the first screenful');
        await admin.page.getByRole('button', { name: 'Older messages' }).click();
        await message(admin, `hello from the operator ${unique}`).waitFor();
        await admin.page.getByText(`The beginning of #${room}`).waitFor();
        assert.equal(await admin.page.getByRole('log').getByTestId('chat-message').count(), 64);
        await admin.screenshot('chat-admin');
        operator.assertNoPageErrors(OFFLINE_NOISE);
        admin.assertNoPageErrors();
      } finally {
        await operator.close();
        await admin.close();
      }
    },
  },
];
