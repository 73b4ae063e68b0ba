import { Anchor, Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { baseApi } from '../../api/clients/base';
import { unwrap } from '../../api/http';
import { formatDateTime } from '../../components/format';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { CancelTicketModal } from './CancelTicketModal';
import { PAGE_SIZE, STATUS_COLOR, ticketKeys, words, type TicketListQuery, type TicketStatus, type TicketView } from './ticket-api';
import { TICKET_FILTER_KEYS, TicketFilters } from './TicketFilters';
import { localInputToIso, useSearchFilters } from '../../components/useSearchFilters';

export function TicketList() {
  const { values, offset, update } = useSearchFilters(TICKET_FILTER_KEYS);
  const [cancelling, setCancelling] = useState<TicketView | null>(null);
  const query: TicketListQuery = {
    limit: PAGE_SIZE,
    offset,
    code: values.code,
    passenger: values.passenger,
    train: values.train,
    departure_station: values.departure_station,
    status: values.status as TicketStatus | undefined,
    valid_at: localInputToIso(values.valid_at),
  };
  const tickets = useQuery({
    queryKey: ticketKeys.list(query),
    queryFn: () => unwrap(baseApi.GET('/admin/tickets', { params: { query } })),
    placeholderData: keepPreviousData,
    // Robots use tickets up and other operators change them: statuses follow without a reload.
    refetchInterval: 5_000,
  });

  return (
    <>
      <TicketFilters values={values} onChange={update} />
      <QueryState query={tickets} isEmpty={(page) => page.total === 0} empty="No tickets match. Create one or import a file.">
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped highlightOnHover aria-label="Tickets">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Code</Table.Th>
                    <Table.Th>Passenger</Table.Th>
                    <Table.Th>Train · car · seat</Table.Th>
                    <Table.Th>From</Table.Th>
                    <Table.Th>Valid</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((ticket) => (
                    <TicketRow key={ticket.id} ticket={ticket} onCancel={() => setCancelling(ticket)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(next) => update({ offset: next })} />
          </>
        )}
      </QueryState>
      <CancelTicketModal ticket={cancelling} onClose={() => setCancelling(null)} />
    </>
  );
}

function TicketRow({ ticket, onCancel }: { ticket: TicketView; onCancel: () => void }) {
  return (
    <Table.Tr data-testid={`ticket-${ticket.code}`}>
      <Table.Td>
        <Text ff="monospace" size="sm">
          {ticket.code}
        </Text>
      </Table.Td>
      <Table.Td>{ticket.passenger_name}</Table.Td>
      <Table.Td>
        {ticket.train} · {ticket.car} · {ticket.seat}
      </Table.Td>
      <Table.Td>{ticket.departure_station}</Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(ticket.valid_from)}</Text>
        <Text size="xs" c="dimmed">
          until {formatDateTime(ticket.valid_until)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[ticket.status]} variant="light">
          {words(ticket.status)}
        </Badge>
        {ticket.status === 'used' && (
          <Text size="xs" c="dimmed">
            {formatDateTime(ticket.used_at)}
          </Text>
        )}
        {ticket.status === 'cancelled' && ticket.cancel_reason && (
          <Text size="xs" c="dimmed" title={formatDateTime(ticket.cancelled_at)}>
            {ticket.cancel_reason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap" justify="flex-end">
          <Anchor component={Link} to={`?tab=checks&ticket_code=${encodeURIComponent(ticket.code)}`} size="sm" aria-label={`Checks of ${ticket.code}`}>
            Checks
          </Anchor>
          {ticket.status === 'active' && (
            <Button size="compact-sm" variant="light" color="red" onClick={onCancel} aria-label={`Cancel ${ticket.code}`}>
              Cancel
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
