import { Anchor, Badge, Button, Group, Modal, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate } from 'react-router';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { describeHours } from './opening-hours';
import { ShopForm } from './ShopForm';
import { type Shop, useShops } from './shops-queries';
import { StoreTimeZone } from './StoreTimeZone';
import { useUrlFilters } from '../../components/useSearchFilters';
import { UrlSearchInput } from './url-filters';

const ACTIVE_FILTER = [
  { value: 'all', label: 'All' },
  { value: 'true', label: 'Active' },
  { value: 'false', label: 'Inactive' },
];

/** Every shop, active or not, with search and paging (kept in the URL); "New shop" opens the form. */
export function ShopList() {
  const { params, update, offset } = useUrlFilters();
  const [creating, { open, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const active = params.get('active') ?? 'all';
  const shops = useShops({ q: params.get('q') || undefined, active: active === 'all' ? undefined : active === 'true', offset });

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <UrlSearchInput label="Search shops" placeholder="Name or location" />
          <SegmentedControl aria-label="Active filter" data={ACTIVE_FILTER} value={active} onChange={(value) => update({ active: value === 'all' ? undefined : value })} />
        </Group>
        <Button onClick={open}>New shop</Button>
      </Group>
      <StoreTimeZone zone={shops.data?.items[0]?.time_zone} />
      <QueryState query={shops} isEmpty={(page) => page.total === 0} empty={params.get('q') ? 'No shop matches this search.' : 'No shops yet: create the first one.'}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Station</Table.Th>
                    <Table.Th>Location</Table.Th>
                    <Table.Th>Opening hours</Table.Th>
                    <Table.Th>Now</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((shop) => (
                    <ShopRow key={shop.id} shop={shop} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(next) => update({ offset: String(next) })} />
          </>
        )}
      </QueryState>
      <Modal opened={creating} onClose={close} title="New shop" size="lg">
        <ShopForm
          timeZone={shops.data?.items[0]?.time_zone}
          onSaved={(shop) => {
            close();
            navigate(`/shops/${shop.id}`);
          }}
        />
      </Modal>
    </Stack>
  );
}

function ShopRow({ shop }: { shop: Shop }) {
  const hours = describeHours(shop.opening_hours);
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/shops/${shop.id}`}>
          {shop.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{shop.station}</Table.Td>
      <Table.Td>{shop.location}</Table.Td>
      <Table.Td>
        {hours.length === 0 ? (
          <Text size="sm" c="dimmed">
            Never open
          </Text>
        ) : (
          hours.map((line) => (
            <Text key={line} size="sm">
              {line}
            </Text>
          ))
        )}
      </Table.Td>
      <Table.Td>
        <ShopStateBadge shop={shop} />
      </Table.Td>
    </Table.Tr>
  );
}

export function ShopStateBadge({ shop }: { shop: Shop }) {
  if (!shop.active) return <Badge color="gray">Inactive</Badge>;
  return shop.open_now ? <Badge color="green">Open</Badge> : <Badge color="orange">Closed</Badge>;
}
