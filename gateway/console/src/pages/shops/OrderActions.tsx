import { Button, Group, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { storeApi } from '../../api/clients/store';
import { ApiError } from '../../api/errors';
import { unwrap } from '../../api/http';
import { formatMoney } from '../../components/format';
import { confirmAction } from '../../components/confirm';
import { notifyError, notifySuccess } from '../../components/notify';
import { MOVE_LABEL, NEXT_STATUSES, STATUS_LABEL } from './order-status';
import { type Order, type OrderStatus, OUTBOX_KEY, ORDERS_KEY, SHOPS_KEY } from './shops-queries';

type Target = Exclude<OrderStatus, 'created'>;

/** The moves the status machine allows from the order's status; cancelling asks first (the stock goes back). */
export function OrderActions({ order }: { order: Order }) {
  const queryClient = useQueryClient();
  const move = useMutation({
    mutationFn: (status: Target) => unwrap(storeApi.POST('/admin/orders/{id}/status', { params: { path: { id: order.id } }, body: { status } })),
    onSuccess: (moved) => notifySuccess(`Order for ticket ${moved.ticket_code} is now ${STATUS_LABEL[moved.status].toLowerCase()}`),
    onError: (error, status) =>
      // 409: someone (or a robot) moved it first; the sentence names its status now, the list reloads.
      notifyError(error, error instanceof ApiError && error.status === 409 ? `Could not mark it ${STATUS_LABEL[status].toLowerCase()}` : undefined),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ORDERS_KEY });
      // Paid and cancelled orders go to the accounting export; cancelling puts stock back.
      void queryClient.invalidateQueries({ queryKey: OUTBOX_KEY });
      void queryClient.invalidateQueries({ queryKey: SHOPS_KEY });
    },
  });

  const next = NEXT_STATUSES[order.status].filter((status): status is Target => status !== 'created');
  if (next.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Final
      </Text>
    );
  }

  const run = async (status: Target) => {
    if (status === 'cancelled') {
      const confirmed = await confirmAction({
        title: 'Cancel this order?',
        message: `The order for ticket ${order.ticket_code} (${formatMoney(order.total_minor, order.currency)}) is cancelled for good and its units go back on the shelf.`,
        confirmLabel: 'Cancel order',
      });
      if (!confirmed) return;
    }
    move.mutate(status);
  };

  return (
    <Group gap={4} wrap="nowrap">
      {next.map((status) => (
        <Button
          key={status}
          size="compact-sm"
          variant={status === 'cancelled' ? 'subtle' : 'light'}
          color={status === 'cancelled' ? 'red' : undefined}
          loading={move.isPending && move.variables === status}
          disabled={move.isPending}
          onClick={() => void run(status)}
        >
          {MOVE_LABEL[status]}
        </Button>
      ))}
    </Group>
  );
}
