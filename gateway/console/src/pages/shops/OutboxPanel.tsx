import { Alert, Badge, Button, Code, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { storeApi } from '../../api/clients/store';
import { unwrap } from '../../api/http';
import { formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { type OutboxRecord, type OutboxStatus, OUTBOX_KEY, useFailedExportCount, useOutbox } from './shops-queries';
import { useUrlFilters } from '../../components/useSearchFilters';

const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'failed', label: 'Failed' },
  { value: 'pending', label: 'Pending' },
  { value: 'delivered', label: 'Delivered' },
];

const STATUS_COLOR: Record<OutboxStatus, string> = { pending: 'blue', delivered: 'green', failed: 'red' };

/**
 * The accounting export (the store's transactional outbox): every paid or cancelled order becomes a
 * record the deliverer posts to accounting, retrying with backoff. A failed record used up its
 * attempts; an operator queues it again once accounting is reachable.
 */
export function OutboxPanel() {
  const { params, update, offset } = useUrlFilters();
  const filter = params.get('status') ?? 'all';
  const records = useOutbox(filter === 'all' ? undefined : (filter as OutboxStatus), offset);
  const failed = useFailedExportCount();

  return (
    <Stack>
      {(failed.data ?? 0) > 0 && (
        <Alert color="red" title={`${failed.data} export${failed.data === 1 ? '' : 's'} failed`} role="alert">
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">Accounting did not take these records within their attempts. Check the error, then retry them.</Text>
            {filter !== 'failed' && (
              <Button size="xs" variant="white" color="red" onClick={() => update({ status: 'failed' })}>
                Show failed
              </Button>
            )}
          </Group>
        </Alert>
      )}
      <SegmentedControl aria-label="Export status" data={FILTERS} value={filter} onChange={(value) => update({ status: value === 'all' ? undefined : value })} w="fit-content" />
      <QueryState query={records} isEmpty={(page) => page.total === 0} empty={filter === 'all' ? 'Nothing exported yet: paid and cancelled orders appear here.' : `No ${filter} exports.`}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>Event</Table.Th>
                    <Table.Th>Order</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Attempts</Table.Th>
                    <Table.Th>Last error</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th aria-label="Actions" />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((record) => (
                    <OutboxRow key={record.id} record={record} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(next) => update({ offset: String(next) })} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function OutboxRow({ record }: { record: OutboxRecord }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => unwrap(storeApi.POST('/admin/outbox/{id}/retry', { params: { path: { id: record.id } } })),
    onSuccess: () => notifySuccess(`Export #${record.id} queued again`),
    onError: (error) => notifyError(error, 'Not queued again'),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: OUTBOX_KEY }),
  });

  return (
    <Table.Tr data-testid={`export-${record.id}`}>
      <Table.Td>{record.id}</Table.Td>
      <Table.Td>
        <Code>{record.event}</Code>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" title={record.order_id}>
          {record.order_id.slice(0, 8)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[record.status]}>{record.status}</Badge>
      </Table.Td>
      <Table.Td ta="right">{record.attempts}</Table.Td>
      <Table.Td maw={320}>
        <Text size="sm" c={record.last_error ? 'red' : 'dimmed'} lineClamp={3} title={record.last_error ?? undefined}>
          {record.last_error ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{record.status === 'delivered' ? `delivered ${formatDateTime(record.delivered_at)}` : record.status === 'pending' ? `next try ${formatDateTime(record.next_attempt_at)}` : 'no more tries'}</Text>
        <Text size="xs" c="dimmed">
          created {formatDateTime(record.created_at)}
        </Text>
      </Table.Td>
      <Table.Td>
        {record.status !== 'delivered' && (
          <Button size="compact-sm" variant={record.status === 'failed' ? 'filled' : 'light'} onClick={() => retry.mutate()} loading={retry.isPending} aria-label={`Retry export ${record.id}`}>
            {record.status === 'failed' ? 'Retry' : 'Retry now'}
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
