import { Badge, Card, Checkbox, Group, Table, Text, UnstyledButton } from '@mantine/core';
import { QueryState } from '../../components/QueryState';
import { useDrones, useStreams, type Drone } from './drones-api';

function DroneRow({ drone, live, selected, onSelect }: { drone: Drone; live: boolean; selected: boolean; onSelect: () => void }) {
  return (
    <Table.Tr bg={selected ? 'var(--mantine-primary-color-light)' : undefined} aria-selected={selected}>
      <Table.Td>
        <UnstyledButton onClick={onSelect} aria-current={selected ? 'true' : undefined} w="100%">
          <Text size="sm" fw={600}>
            {drone.name}
          </Text>
          <Text size="xs" c="dimmed">
            {drone.keycloak_client_id}
          </Text>
        </UnstyledButton>
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {drone.retired_at ? (
            <Badge color="gray">retired</Badge>
          ) : (
            <Badge color={live ? 'red' : 'gray'} variant={live ? 'filled' : 'light'}>
              {live ? 'live' : 'offline'}
            </Badge>
          )}
          {drone.record && !drone.retired_at && (
            <Badge variant="outline" color="orange">
              rec
            </Badge>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The registry: every drone with its live state (refreshed every few seconds); picking one opens it. */
export function DroneList({ selectedId, includeRetired, onIncludeRetired, onSelect }: { selectedId: string | null; includeRetired: boolean; onIncludeRetired: (value: boolean) => void; onSelect: (id: string) => void }) {
  const drones = useDrones(includeRetired);
  const streams = useStreams();
  return (
    <Card withBorder padding="sm">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>Registry</Text>
        <Checkbox size="xs" label="Show retired" checked={includeRetired} onChange={(e) => onIncludeRetired(e.currentTarget.checked)} />
      </Group>
      <QueryState query={drones} isEmpty={(page) => page.items.length === 0} empty="No drones yet. Register one to get its stream key.">
        {(page) => (
          <Table.ScrollContainer minWidth={260}>
            <Table highlightOnHover aria-label="Drones">
              <Table.Tbody>
                {page.items.map((drone) => (
                  <DroneRow key={drone.id} drone={drone} live={streams.data?.get(drone.id)?.live ?? false} selected={drone.id === selectedId} onSelect={() => onSelect(drone.id)} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
