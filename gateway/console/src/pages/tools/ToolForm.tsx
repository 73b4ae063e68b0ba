import { Autocomplete, Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { FormError, useFormMutation } from './form-mutation';
import { useAllTools, type Tool } from './tools-queries';

/** Adds a tool to the catalogue or edits one; the detector class is what kit checks count it as. */
export function ToolForm({ tool, onDone }: { tool?: Tool; onDone: () => void }) {
  const [name, setName] = useState(tool?.name ?? '');
  const [serial, setSerial] = useState(tool?.serial_number ?? '');
  const [category, setCategory] = useState(tool?.category ?? '');
  const [className, setClassName] = useState(tool?.class_name ?? '');
  const known = useAllTools();
  const classes = [...new Set((known.data?.items ?? []).map((t) => t.class_name))].sort();

  const { mutation, fieldErrors, formError } = useFormMutation({
    mutationFn: () => {
      const body = { name, serial_number: serial, category, ...(className ? { class_name: className } : {}) };
      return tool ? unwrap(visionApi.PATCH('/tools/{id}', { params: { path: { id: tool.id } }, body })) : unwrap(visionApi.POST('/tools', { body }));
    },
    success: (saved) => (tool ? `Tool ${saved.name} saved` : `Tool ${saved.name} added to the catalogue`),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(undefined);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldErrors.name} maxLength={200} />
        <TextInput label="Serial number" required value={serial} onChange={(e) => setSerial(e.currentTarget.value)} error={fieldErrors.serial_number} maxLength={64} />
        <TextInput label="Category" required value={category} onChange={(e) => setCategory(e.currentTarget.value)} error={fieldErrors.category} maxLength={100} />
        <Autocomplete
          label="Detector class"
          description="The label the detector gives this tool (defaults to the category)."
          data={classes}
          value={className}
          onChange={setClassName}
          error={fieldErrors.class_name}
        />
        <FormError error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {tool ? 'Save tool' : 'Add tool'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
