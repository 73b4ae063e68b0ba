import { Alert, Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { baseApi, type BaseSchemas } from '../../api/clients/base';
import { ApiError, describeError, fieldErrorsOf } from '../../api/errors';
import { unwrap } from '../../api/http';
import { notifySuccess } from '../../components/notify';
import { ticketKeys } from './ticket-api';
import { isoToLocalInput, localInputToIso } from '../../components/useSearchFilters';

type CreateTicket = BaseSchemas['CreateTicketDto'];
type Draft = Record<keyof CreateTicket, string>;

const HOUR = 3_600_000;

function freshDraft(): Draft {
  const now = Date.now();
  return {
    code: '',
    passenger_name: '',
    train: '',
    car: '',
    seat: '',
    departure_station: '',
    valid_from: isoToLocalInput(new Date(now)),
    valid_until: isoToLocalInput(new Date(now + 4 * HOUR)),
  };
}

const FIELDS: Array<{ key: keyof Draft; label: string; description?: string; type?: string }> = [
  { key: 'code', label: 'Code', description: '3-64 letters, digits, "-" or "_"' },
  { key: 'passenger_name', label: 'Passenger name' },
  { key: 'train', label: 'Train' },
  { key: 'departure_station', label: 'Departure station' },
  { key: 'car', label: 'Car' },
  { key: 'seat', label: 'Seat' },
  { key: 'valid_from', label: 'Valid from', type: 'datetime-local' },
  { key: 'valid_until', label: 'Valid until', type: 'datetime-local' },
];

/** Creates one ticket; a 400's field errors show next to their fields, a 409 (code taken) as a sentence. */
export function CreateTicketModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(freshDraft);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation({
    mutationFn: (body: CreateTicket) => unwrap(baseApi.POST('/admin/tickets', { body })),
    onSuccess: (ticket) => {
      notifySuccess(`Ticket ${ticket.code} created for ${ticket.passenger_name}`);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
      close();
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  const close = () => {
    setDraft(freshDraft());
    setErrors({});
    create.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = localInputToIso(draft.valid_from);
    const until = localInputToIso(draft.valid_until);
    const local: Record<string, string> = {};
    if (!from) local.valid_from = 'Enter a date and time';
    if (!until) local.valid_until = 'Enter a date and time';
    setErrors(local);
    if (!from || !until) return;
    create.mutate({ ...draft, code: draft.code.trim(), valid_from: from, valid_until: until });
  };
  // A 400 without field details (e.g. "valid_until must be after valid_from") and any other error show above the buttons.
  const generalError = create.isError && !(create.error instanceof ApiError && create.error.status === 400 && Object.keys(fieldErrorsOf(create.error)).length > 0);

  return (
    <Modal opened={opened} onClose={close} title="New ticket" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {FIELDS.map(({ key, label, description, type }) => (
              <TextInput
                key={key}
                label={label}
                description={description}
                type={type}
                required
                data-autofocus={key === 'code' || undefined}
                value={draft[key]}
                error={errors[key]}
                onChange={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
              />
            ))}
          </SimpleGrid>
          {generalError && (
            <Alert color="red" role="alert">
              {describeError(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create ticket
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
