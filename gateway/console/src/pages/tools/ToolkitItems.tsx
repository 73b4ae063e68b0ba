import { ActionIcon, Button, Card, Group, NumberInput, Select, Table, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { notifyError } from '../../components/notify';
import { FormError, useFormMutation } from './form-mutation';
import { toolOptions } from './tool-options';
import { useAllTools, type Toolkit, type ToolkitItem } from './tools-queries';

/** What a kit holds: quantities edited in place, tools added from the catalogue, removed with a confirmation. */
export function ToolkitItems({ kit }: { kit: Toolkit }) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="sm">
        Items
      </Title>
      {kit.items.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="empty-state">
          This kit holds nothing yet: add tools below.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Tool</Table.Th>
                <Table.Th>Detector class</Table.Th>
                <Table.Th w={130}>Quantity</Table.Th>
                <Table.Th w={50} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kit.items.map((item) => (
                <ItemRow key={`${item.id}:${item.quantity}`} kit={kit} item={item} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddItemForm kit={kit} />
    </Card>
  );
}

function ItemRow({ kit, item }: { kit: Toolkit; item: ToolkitItem }) {
  const [quantity, setQuantity] = useState<number | string>(item.quantity);
  const path = { id: kit.id, itemId: item.id };
  const save = useFormMutation({
    mutationFn: (value: number) => unwrap(visionApi.PATCH('/toolkits/{id}/items/{itemId}', { params: { path }, body: { quantity: value } })),
    success: (saved) => `${item.tool.name}: ${saved.quantity} in the kit`,
  });
  const remove = useFormMutation({
    mutationFn: () => unwrap(visionApi.DELETE('/toolkits/{id}/items/{itemId}', { params: { path } })),
    success: () => `${item.tool.name} removed from ${kit.name}`,
  });

  const commit = () => {
    if (typeof quantity === 'number' && quantity !== item.quantity) save.mutation.mutate(quantity);
  };
  const confirmRemove = async () => {
    const confirmed = await confirmAction({ title: `Remove ${item.tool.name}?`, message: `${kit.name} will no longer be expected to hold it.`, confirmLabel: 'Remove' });
    if (confirmed) remove.mutation.mutate(undefined, { onError: (error) => notifyError(error, 'The tool was not removed') });
  };

  return (
    <Table.Tr>
      <Table.Td>
        {item.tool.name}
        <Text size="xs" c="dimmed">
          {item.tool.serial_number}
        </Text>
      </Table.Td>
      <Table.Td>{item.tool.class_name}</Table.Td>
      <Table.Td>
        <NumberInput
          aria-label={`Quantity of ${item.tool.name}`}
          size="xs"
          min={1}
          max={1000}
          allowDecimal={false}
          value={quantity}
          onChange={setQuantity}
          onBlur={commit}
          onKeyDown={(event) => event.key === 'Enter' && commit()}
          error={save.fieldErrors.quantity ?? (save.formError ? 'Not saved' : undefined)}
          disabled={save.mutation.isPending}
        />
      </Table.Td>
      <Table.Td>
        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${item.tool.name}`} onClick={() => void confirmRemove()} loading={remove.mutation.isPending}>
          ✕
        </ActionIcon>
      </Table.Td>
    </Table.Tr>
  );
}

function AddItemForm({ kit }: { kit: Toolkit }) {
  const tools = useAllTools();
  const [toolId, setToolId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>(1);
  const { mutation, fieldErrors, formError } = useFormMutation({
    mutationFn: () => unwrap(visionApi.POST('/toolkits/{id}/items', { params: { path: { id: kit.id } }, body: { tool_id: toolId ?? '', quantity: Number(quantity) } })),
    success: (item) => `${item.tool.name} added to ${kit.name}`,
    onSuccess: () => {
      setToolId(null);
      setQuantity(1);
    },
  });
  const inKit = new Set(kit.items.map((item) => item.tool.id));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(undefined);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-start" mt="md" wrap="wrap">
        <Select
          label="Add a tool"
          placeholder={tools.isPending ? 'Loading the catalogue…' : 'Search the catalogue'}
          searchable
          data={toolOptions(tools.data?.items ?? [], inKit)}
          value={toolId}
          onChange={setToolId}
          error={fieldErrors.tool_id}
          nothingFoundMessage="No such tool (add it in the tools catalogue)"
          style={{ flex: '1 1 240px' }}
        />
        <NumberInput label="Quantity" min={1} max={1000} allowDecimal={false} value={quantity} onChange={setQuantity} error={fieldErrors.quantity} w={110} />
        <Button type="submit" mt={25} loading={mutation.isPending} disabled={!toolId}>
          Add
        </Button>
      </Group>
      <FormError error={formError} />
    </form>
  );
}
