import { Button, Group, MultiSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { FormError, useFormMutation } from './form-mutation';
import { toolOptions } from './tool-options';
import { useAllTools, type Toolkit } from './tools-queries';

/** Creates a toolkit (with its first tools, one of each) or renames and re-describes one. */
export function ToolkitForm({ kit, onSaved, onCancel }: { kit?: Toolkit; onSaved?: (kit: Toolkit) => void; onCancel?: () => void }) {
  const [name, setName] = useState(kit?.name ?? '');
  const [description, setDescription] = useState(kit?.description ?? '');
  const [toolIds, setToolIds] = useState<string[]>([]);
  const tools = useAllTools();

  const { mutation, fieldErrors, formError } = useFormMutation({
    mutationFn: () =>
      kit
        ? unwrap(visionApi.PATCH('/toolkits/{id}', { params: { path: { id: kit.id } }, body: { name, description } }))
        : unwrap(visionApi.POST('/toolkits', { body: { name, description, items: toolIds.map((tool_id) => ({ tool_id, quantity: 1 })) } })),
    success: (saved) => (kit ? `Toolkit ${saved.name} saved` : `Toolkit ${saved.name} created`),
    onSuccess: (saved) => onSaved?.(saved),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(undefined);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldErrors.name} maxLength={200} />
        <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fieldErrors.description} autosize minRows={2} maxLength={2000} />
        {!kit && (
          <MultiSelect
            label="Tools in the kit"
            description="One of each; change quantities after creating the kit."
            searchable
            data={toolOptions(tools.data?.items ?? [])}
            value={toolIds}
            onChange={setToolIds}
            error={fieldErrors.items}
            disabled={tools.isPending}
            nothingFoundMessage="No such tool in the catalogue"
          />
        )}
        <FormError error={formError} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={mutation.isPending}>
            {kit ? 'Save toolkit' : 'Create toolkit'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
