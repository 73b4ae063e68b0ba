import { Button, Group, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent, type KeyboardEvent } from 'react';

/** The server's content limit (libs/contracts CHAT_MAX_CONTENT_LENGTH). */
const MAX_CONTENT = 4000;

/** Writes a message: Enter sends, Shift+Enter is a new line. The draft stays while the socket is down. */
export function Composer({ room, connected, onSend }: { room: string; connected: boolean; onSend: (content: string) => boolean }) {
  const [draft, setDraft] = useState('');
  const ready = connected && draft.trim().length > 0 && draft.length <= MAX_CONTENT;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (ready && onSend(draft)) setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) send(event);
  };

  return (
    <form onSubmit={send}>
      <Textarea
        label={`Message #${room}`}
        placeholder={connected ? 'Write a message; Enter sends' : 'Waiting for the connection…'}
        autosize
        minRows={2}
        maxRows={6}
        value={draft}
        onChange={(event) => setDraft(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        error={draft.length > MAX_CONTENT ? `At most ${MAX_CONTENT} characters` : undefined}
      />
      <Group justify="space-between" mt="xs">
        <Text size="xs" c="dimmed">
          {draft.length}/{MAX_CONTENT}
        </Text>
        <Button type="submit" disabled={!ready}>
          Send
        </Button>
      </Group>
    </form>
  );
}
