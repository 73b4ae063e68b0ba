import { Button, Card, Group, Modal, Table, Title } from '@mantine/core';
import { useState } from 'react';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { setOrDelete, useLatestSearchParams } from '../../components/latest-search-params';
import { notifyError } from '../../components/notify';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { useFormMutation } from './form-mutation';
import { ToolForm } from './ToolForm';
import { PAGE_SIZE, useToolPage, type Tool } from './tools-queries';

/** The tools toolkits reference: add, edit, and delete those no kit holds. */
export function ToolCatalogue() {
  const [params, patchParams] = useLatestSearchParams();
  const offset = Number(params.get('offset') ?? 0) || 0;
  const page = useToolPage(offset);
  const [editing, setEditing] = useState<Tool | 'new' | null>(null);

  const setOffset = (next: number) =>
    patchParams((params) => setOrDelete(params, { offset: next ? String(next) : null }), { replace: false });

  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Tools catalogue
        </Title>
        <Button size="xs" onClick={() => setEditing('new')}>
          New tool
        </Button>
      </Group>
      <QueryState query={page} isEmpty={(data) => data.total === 0} empty="The catalogue is empty: add the first tool.">
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={600}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Serial number</Table.Th>
                    <Table.Th>Category</Table.Th>
                    <Table.Th>Detector class</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((tool) => (
                    <ToolRow key={tool.id} tool={tool} onEdit={() => setEditing(tool)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={data.total} limit={PAGE_SIZE} offset={offset} onOffset={setOffset} />
          </>
        )}
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New tool' : `Edit ${editing?.name ?? ''}`}>
        {editing !== null && <ToolForm tool={editing === 'new' ? undefined : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Card>
  );
}

function ToolRow({ tool, onEdit }: { tool: Tool; onEdit: () => void }) {
  const { mutation } = useFormMutation({
    mutationFn: () => unwrap(visionApi.DELETE('/tools/{id}', { params: { path: { id: tool.id } } })),
    success: () => `Tool ${tool.name} deleted`,
  });
  const remove = async () => {
    const confirmed = await confirmAction({ title: `Delete ${tool.name}?`, message: `Serial number ${tool.serial_number} leaves the catalogue. A tool that is part of a kit cannot be deleted.`, confirmLabel: 'Delete tool' });
    if (confirmed) mutation.mutate(undefined, { onError: (error) => notifyError(error, 'The tool was not deleted') });
  };
  return (
    <Table.Tr>
      <Table.Td>{tool.name}</Table.Td>
      <Table.Td>{tool.serial_number}</Table.Td>
      <Table.Td>{tool.category}</Table.Td>
      <Table.Td>{tool.class_name}</Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          <Button size="compact-xs" variant="default" onClick={onEdit} aria-label={`Edit ${tool.name}`}>
            Edit
          </Button>
          <Button size="compact-xs" variant="light" color="red" onClick={() => void remove()} loading={mutation.isPending} aria-label={`Delete ${tool.name}`}>
            Delete
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
