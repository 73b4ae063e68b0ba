import { Badge, Button, NavLink, ScrollArea, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, describeError, fieldErrorsOf } from '../../api/errors';
import { notifySuccess } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { useCreateRoom, useRooms } from './chat-api';

/** The rooms, newest activity counts beside them, and the form that creates one. */
export function RoomList({ selected, onSelect }: { selected: string; onSelect: (room: string) => void }) {
  const rooms = useRooms();
  return (
    <Stack gap="sm">
      <QueryState query={rooms} isEmpty={(page) => page.items.length === 0} empty="No rooms yet.">
        {(page) => (
          <ScrollArea.Autosize mah={360} type="auto">
            <nav aria-label="Rooms">
              {page.items.map((room) => (
                <NavLink
                  key={room.name}
                  label={`# ${room.name}`}
                  active={room.name === selected}
                  onClick={() => onSelect(room.name)}
                  aria-current={room.name === selected ? 'page' : undefined}
                  rightSection={
                    <Badge size="xs" variant="light" color="gray" title="Messages">
                      {room.last_seq}
                    </Badge>
                  }
                />
              ))}
            </nav>
          </ScrollArea.Autosize>
        )}
      </QueryState>
      <CreateRoomForm onCreated={onSelect} />
    </Stack>
  );
}

function CreateRoomForm({ onCreated }: { onCreated: (room: string) => void }) {
  const create = useCreateRoom();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const room = await create.mutateAsync(name.trim());
      notifySuccess(`Room ${room.name} created`);
      setName('');
      onCreated(room.name);
    } catch (failure) {
      // A 400 names the field; a 409 means the name is taken: both belong under the field.
      const field = fieldErrorsOf(failure).name;
      setError(field ?? (failure instanceof ApiError && failure.status === 409 ? `A room named "${name.trim()}" exists already.` : describeError(failure)));
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="xs">
        <TextInput
          label="New room"
          placeholder="e.g. night-shift"
          description="Lower-case letters, digits, - and _"
          value={name}
          onChange={(event) => setName(event.currentTarget.value.toLowerCase())}
          error={error}
        />
        <Button type="submit" variant="light" loading={create.isPending} disabled={!name.trim()}>
          Create room
        </Button>
      </Stack>
    </form>
  );
}
