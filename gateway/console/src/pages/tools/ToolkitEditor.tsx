import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { formatDateTime } from '../../components/format';
import { notifyError } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { useFormMutation } from './form-mutation';
import { ToolkitForm } from './ToolkitForm';
import { ToolkitItems } from './ToolkitItems';
import { useToolkit, type Toolkit } from './tools-queries';

/** One toolkit: its name and description, its items, and deleting it. */
export function ToolkitEditor({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const toolkit = useToolkit(id);
  return (
    <QueryState query={toolkit}>
      {(kit) => (
        <Stack>
          <Card withBorder>
            <Group justify="space-between" mb="sm" wrap="wrap">
              <div>
                <Title order={2} size="h4">
                  {kit.name}
                </Title>
                <Text size="xs" c="dimmed">
                  Changed {formatDateTime(kit.updated_at)}
                </Text>
              </div>
              <DeleteToolkitButton kit={kit} onDeleted={onDeleted} />
            </Group>
            <ToolkitForm key={`${kit.id}:${kit.updated_at}`} kit={kit} />
          </Card>
          <ToolkitItems kit={kit} />
        </Stack>
      )}
    </QueryState>
  );
}

function DeleteToolkitButton({ kit, onDeleted }: { kit: Toolkit; onDeleted: () => void }) {
  const { mutation } = useFormMutation({
    mutationFn: () => unwrap(visionApi.DELETE('/toolkits/{id}', { params: { path: { id: kit.id } } })),
    success: () => `Toolkit ${kit.name} deleted`,
    onSuccess: onDeleted,
  });
  const remove = async () => {
    const confirmed = await confirmAction({
      title: `Delete ${kit.name}?`,
      message: 'The toolkit and its item list go; the tools stay in the catalogue. A kit that was ever lent cannot be deleted.',
      confirmLabel: 'Delete toolkit',
    });
    if (confirmed) mutation.mutate(undefined, { onError: (error) => notifyError(error, 'The toolkit was not deleted') });
  };
  return (
    <Button color="red" variant="light" size="xs" onClick={() => void remove()} loading={mutation.isPending}>
      Delete toolkit
    </Button>
  );
}
