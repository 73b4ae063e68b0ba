import { Badge, Group, Select, Stack, Table, Text } from '@mantine/core';
import { formatDateTime, formatMoney } from '../../components/format';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { OrderActions } from './OrderActions';
import { ORDER_STATUS_OPTIONS, STATUS_COLOR, STATUS_LABEL } from './order-status';
import { type Order, type OrderStatus, useAllShops, useOrders } from './shops-queries';
import { useUrlFilters } from '../../components/useSearchFilters';
import { UrlSearchInput } from './url-filters';

/** Orders, newest first, live: filtered by status, shop and ticket or robot (in the URL), moved along their status machine. */
export function OrdersPanel() {
  const { params, update, offset } = useUrlFilters();
  const status = (params.get('status') as OrderStatus | null) ?? undefined;
  const shopId = params.get('shop') ?? undefined;
  const orders = useOrders({ status, shop_id: shopId, q: params.get('q') || undefined, offset });
  const shops = useAllShops();
  const shopNames = new Map(shops.data?.items.map((shop) => [shop.id, shop.name]));

  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <Select label="Status" placeholder="Any status" data={ORDER_STATUS_OPTIONS} value={status ?? null} onChange={(value) => update({ status: value ?? undefined })} clearable w={180} />
        <Select
          label="Shop"
          placeholder="Any shop"
          data={shops.data?.items.map((shop) => ({ value: shop.id, label: shop.name })) ?? []}
          value={shopId ?? null}
          onChange={(value) => update({ shop: value ?? undefined })}
          clearable
          searchable
          w={240}
        />
        <UrlSearchInput label="Ticket or robot" placeholder="Ticket code or robot" />
      </Group>
      <QueryState query={orders} isEmpty={(page) => page.total === 0} empty="No orders match these filters.">
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Placed</Table.Th>
                    <Table.Th>Shop</Table.Th>
                    <Table.Th>Ticket</Table.Th>
                    <Table.Th>Items</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Move to</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((order) => (
                    <OrderRow key={order.id} order={order} shopName={shopNames.get(order.shop_id)} />
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

function OrderRow({ order, shopName }: { order: Order; shopName: string | undefined }) {
  return (
    <Table.Tr data-testid={`order-${order.id}`}>
      <Table.Td>
        <Text size="sm">{formatDateTime(order.created_at)}</Text>
        <Text size="xs" c="dimmed">
          by {order.placed_by}
        </Text>
      </Table.Td>
      <Table.Td>{shopName ?? <Text c="dimmed">{order.shop_id.slice(0, 8)}</Text>}</Table.Td>
      <Table.Td>
        <Text size="sm">{order.ticket_code}</Text>
        {order.passenger_name && (
          <Text size="xs" c="dimmed">
            {order.passenger_name}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {order.items.map((item) => (
          <Text key={item.product_id} size="sm">
            {item.quantity} × {item.name}
          </Text>
        ))}
      </Table.Td>
      <Table.Td ta="right">{formatMoney(order.total_minor, order.currency)}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[order.status]} data-testid="order-status">
          {STATUS_LABEL[order.status]}
        </Badge>
      </Table.Td>
      <Table.Td>
        <OrderActions order={order} />
      </Table.Td>
    </Table.Tr>
  );
}
