import { Badge, Paper, Progress, Table, Text, Title } from '@mantine/core';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/format';
import { useOnlineRobots } from './overview-queries';

const batteryColor = (battery: number) => (battery < 20 ? 'red' : battery < 50 ? 'yellow' : 'green');

export function RobotsOnlinePanel() {
  const robots = useOnlineRobots();
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4" mb="sm">
        Robots online
      </Title>
      <QueryState query={robots} isEmpty={(page) => page.items.length === 0} empty="No robot is online.">
        {(page) => (
          <Table.ScrollContainer minWidth={420}>
            <Table verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Robot</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th w={140}>Battery</Table.Th>
                  <Table.Th>Last seen</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((robot) => (
                  <Table.Tr key={robot.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {robot.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {robot.station}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light">{robot.last_status?.state ?? '—'}</Badge>
                    </Table.Td>
                    <Table.Td>
                      {robot.last_status ? (
                        <>
                          <Progress value={robot.last_status.battery} color={batteryColor(robot.last_status.battery)} aria-label={`battery ${robot.last_status.battery} %`} />
                          <Text size="xs">{robot.last_status.battery} %</Text>
                        </>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatTime(robot.last_status?.received_at)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Paper>
  );
}
