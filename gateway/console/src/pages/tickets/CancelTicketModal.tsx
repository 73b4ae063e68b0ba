import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { baseApi } from '../../api/clients/base';
import { describeError } from '../../api/errors';
import { unwrap } from '../../api/http';
import { notifySuccess } from '../../components/notify';
import { ticketKeys, type TicketView } from './ticket-api';

/** Asks before cancelling (it cannot be undone) and takes an optional reason for the record. */
export function CancelTicketModal({ ticket, onClose }: { ticket: TicketView | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  // The last ticket stays in the dialog while it animates closed.
  const [target, setTarget] = useState(ticket);
  if (ticket && ticket !== target) setTarget(ticket);
  const cancel = useMutation({
    mutationFn: (target: TicketView) =>
      unwrap(baseApi.POST('/admin/tickets/{id}/cancel', { params: { path: { id: target.id } }, body: reason.trim() ? { reason: reason.trim() } : {} })),
    onSuccess: (cancelled) => {
      notifySuccess(`Ticket ${cancelled.code} cancelled`);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
      close();
    },
  });
  const close = () => {
    setReason('');
    cancel.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ticket) cancel.mutate(ticket);
  };

  return (
    <Modal opened={ticket !== null} onClose={close} title={`Cancel ticket ${target?.code ?? ''}?`}>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">
            {target?.passenger_name} will no longer be let in with this ticket. A cancelled ticket cannot be made active again.
          </Text>
          <TextInput label="Reason" description="Optional; kept with the ticket" maxLength={500} value={reason} onChange={(event) => setReason(event.currentTarget.value)} data-autofocus />
          {cancel.isError && (
            <Alert color="red" role="alert">
              {describeError(cancel.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep ticket
            </Button>
            <Button type="submit" color="red" loading={cancel.isPending}>
              Cancel ticket
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
