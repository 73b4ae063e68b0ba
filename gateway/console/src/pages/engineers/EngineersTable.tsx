import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { formatDateTime } from '../../components/format';
import type { Engineer } from './engineers-api';
import { roleLabel } from './roles';

export function EngineersTable({ engineers, onOpen }: { engineers: Engineer[]; onOpen: (id: string) => void }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover aria-label="Engineers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Employee number</Table.Th>
            <Table.Th>Roles</Table.Th>
            <Table.Th>Contact</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {engineers.map((engineer) => (
            <Table.Tr key={engineer.id}>
              <Table.Td>
                <Anchor component="button" type="button" onClick={() => onOpen(engineer.id)} fw={500}>
                  {engineer.first_name} {engineer.last_name}
                </Anchor>
              </Table.Td>
              <Table.Td>{engineer.employee_number}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {engineer.roles.map((role) => (
                    <Badge key={role} variant="light" size="sm">
                      {roleLabel(role)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{engineer.email ?? '—'}</Text>
                {engineer.phone && (
                  <Text size="xs" c="dimmed">
                    {engineer.phone}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{engineer.active ? <Badge color="green">Active</Badge> : <Badge color="gray">Deactivated</Badge>}</Table.Td>
              <Table.Td>{formatDateTime(engineer.updated_at)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
