import { Alert, Badge, Group, List, Table, Text } from '@mantine/core';
import type { TicketImportReport } from './ticket-api';

/** The import's outcome: counts, then one table row per rejected file row with all its reasons. */
export function ImportReport({ report, fileName }: { report: TicketImportReport; fileName?: string }) {
  return (
    <section aria-label="Import report">
      <Group gap="xs" mb="sm">
        {fileName && <Text fw={500}>{fileName}:</Text>}
        <Badge variant="light">{report.received} rows read</Badge>
        <Badge variant="light" color="green">
          {report.created} created
        </Badge>
        <Badge variant="light" color={report.rejected.length ? 'red' : 'gray'}>
          {report.rejected.length} rejected
        </Badge>
      </Group>
      {report.rejected.length === 0 ? (
        <Alert color="green">Every row was imported.</Alert>
      ) : (
        <Table.ScrollContainer minWidth={500}>
          <Table striped aria-label="Rejected rows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>Row</Table.Th>
                <Table.Th w={180}>Code</Table.Th>
                <Table.Th>Reasons</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.rejected.map((rejection) => (
                <Table.Tr key={`${rejection.row}-${rejection.code ?? ''}`} data-testid={`rejected-row-${rejection.row}`}>
                  <Table.Td>{rejection.row}</Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {rejection.code ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <List size="sm">
                      {rejection.errors.map((error) => (
                        <List.Item key={error}>{error}</List.Item>
                      ))}
                    </List>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}
