import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/format';
import { useLastDecisions } from './overview-queries';

const decisionColor: Record<string, string> = { valid: 'green', accepted: 'green' };

/** The last ticket decisions robots got, newest first. */
export function DecisionsPanel() {
  const decisions = useLastDecisions();
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4" mb="sm">
        Last ticket decisions
      </Title>
      <QueryState query={decisions} isEmpty={(page) => page.items.length === 0} empty="No ticket was checked yet.">
        {(page) => (
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Ticket</Table.Th>
                  <Table.Th>Decision</Table.Th>
                  <Table.Th>Robot</Table.Th>
                  <Table.Th>Direction</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((check) => (
                  <Table.Tr key={check.id}>
                    <Table.Td>
                      <Text size="sm">{formatTime(check.checked_at)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {check.ticket_code}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={decisionColor[check.decision] ?? 'red'} variant="light" title={check.reason}>
                        {check.decision}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{check.robot_name}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{check.direction}</Text>
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
