import { Button, Group, Select, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { FormError, useFormMutation } from './form-mutation';
import { useAllToolkits, useEngineers, type Loan } from './tools-queries';

/** Lends a toolkit to an engineer (a kit is lent to one engineer at a time: a 409 says so). */
export function IssueLoanForm({ onDone }: { onDone: (loan?: Loan) => void }) {
  const toolkits = useAllToolkits();
  const engineers = useEngineers();
  const [toolkitId, setToolkitId] = useState<string | null>(null);
  const [engineerId, setEngineerId] = useState<string | null>(null);
  const { mutation, fieldErrors, formError } = useFormMutation({
    mutationFn: () => unwrap(visionApi.POST('/transactions/issue', { body: { toolkit_id: toolkitId ?? '', engineer_id: engineerId ?? '' } })),
    success: () => 'Kit issued',
    onSuccess: (loan) => onDone(loan),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(undefined);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Select
          label="Toolkit"
          required
          searchable
          data-autofocus
          placeholder={toolkits.isPending ? 'Loading toolkits…' : 'Choose a toolkit'}
          data={(toolkits.data?.items ?? []).map((kit) => ({ value: kit.id, label: kit.name }))}
          value={toolkitId}
          onChange={setToolkitId}
          error={fieldErrors.toolkit_id}
        />
        <Select
          label="Engineer"
          required
          searchable
          placeholder={engineers.isPending ? 'Loading engineers…' : 'Search by name or number'}
          data={(engineers.data ?? []).filter((e) => e.active).map((e) => ({ value: e.id, label: `${e.first_name} ${e.last_name} (${e.employee_number})` }))}
          value={engineerId}
          onChange={setEngineerId}
          error={fieldErrors.engineer_id ?? (engineers.isError ? 'The engineers could not be loaded' : undefined)}
          nothingFoundMessage="No active engineer by that name"
        />
        <FormError error={formError} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone()}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            Issue kit
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
