import { Grid, SegmentedControl, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { baseApi } from '../../api/clients/base';
import { unwrap } from '../../api/http';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { useSearchFilters } from '../../components/useSearchFilters';
import { LIVE_INTERVAL_MS, PAGE_SIZE, robotKeys, type RobotCredentials, type RobotListQuery, type RobotView } from './robot-api';
import { RobotActions } from './RobotActions';
import { BatteryGauge, HeartbeatAge, OnlineBadge, PositionText, StateBadge } from './RobotStatus';

const FILTER_KEYS = ['station', 'online'] as const;

/** The registry with each robot's live state (asked for every 2 s while the page is open). */
export function RobotRegistry({ onRotated }: { onRotated: (robot: RobotView, credentials: RobotCredentials) => void }) {
  const { values, offset, update } = useSearchFilters(FILTER_KEYS);
  const [station, setStation] = useState(values.station ?? '');
  const [debouncedStation] = useDebouncedValue(station.trim(), 400);
  useEffect(() => {
    if (debouncedStation !== (values.station ?? '')) update({ station: debouncedStation });
  }, [debouncedStation, values.station, update]);

  const query: RobotListQuery = { limit: PAGE_SIZE, offset, station: values.station, online: values.online === undefined ? undefined : values.online === 'true' };
  const robots = useQuery({
    queryKey: robotKeys.list(query),
    queryFn: () => unwrap(baseApi.GET('/admin/robots', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_INTERVAL_MS,
  });

  return (
    <>
      <Grid align="flex-end" mb="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="Station" description="Exact name" value={station} onChange={(event) => setStation(event.currentTarget.value)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="robot-online-filter">
              Show
            </Text>
            <SegmentedControl
              aria-labelledby="robot-online-filter"
              value={values.online ?? 'all'}
              onChange={(value) => update({ online: value === 'all' ? undefined : value })}
              data={[
                { value: 'all', label: 'All' },
                { value: 'true', label: 'Online' },
                { value: 'false', label: 'Offline' },
              ]}
            />
          </Stack>
        </Grid.Col>
      </Grid>
      <QueryState query={robots} isEmpty={(page) => page.total === 0} empty="No robots here. Register one to let it check tickets.">
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={950}>
              <Table striped highlightOnHover aria-label="Robots">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Robot</Table.Th>
                    <Table.Th>Station · train</Table.Th>
                    <Table.Th>Online</Table.Th>
                    <Table.Th>Battery</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Position</Table.Th>
                    <Table.Th>Last heartbeat</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((robot) => (
                    <Table.Tr key={robot.id} data-testid={`robot-${robot.name}`} opacity={robot.active ? 1 : 0.6}>
                      <Table.Td>
                        <Text fw={500}>{robot.name}</Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {robot.keycloak_client_id}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {robot.station}
                        {robot.assigned_train && <Text size="xs" c="dimmed">{`train ${robot.assigned_train}`}</Text>}
                      </Table.Td>
                      <Table.Td>
                        <OnlineBadge robot={robot} />
                      </Table.Td>
                      <Table.Td>
                        <BatteryGauge robot={robot} />
                      </Table.Td>
                      <Table.Td>
                        <StateBadge robot={robot} />
                      </Table.Td>
                      <Table.Td>
                        <PositionText robot={robot} />
                      </Table.Td>
                      <Table.Td>
                        <HeartbeatAge robot={robot} now={robots.dataUpdatedAt} />
                      </Table.Td>
                      <Table.Td>
                        <RobotActions robot={robot} onRotated={onRotated} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(next) => update({ offset: next })} />
          </>
        )}
      </QueryState>
    </>
  );
}
