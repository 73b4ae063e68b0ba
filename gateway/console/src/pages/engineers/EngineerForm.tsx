import { Alert, Button, Group, MultiSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describeError, fieldErrorsOf } from '../../api/errors';
import type { CreateEngineer, Engineer, EngineerRole, UpdateEngineer } from './engineers-api';
import { ENGINEER_ROLES } from './roles';

interface Values {
  employee_number: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  roles: EngineerRole[];
}

const valuesOf = (engineer?: Engineer): Values => ({
  employee_number: engineer?.employee_number ?? '',
  first_name: engineer?.first_name ?? '',
  last_name: engineer?.last_name ?? '',
  email: engineer?.email ?? '',
  phone: engineer?.phone ?? '',
  roles: engineer?.roles ?? [],
});

/** What a create sends: empty optional fields are left out. */
export function createBody(values: Values): CreateEngineer {
  const { email, phone, ...required } = values;
  return { ...required, ...(email.trim() ? { email: email.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) };
}

/** What an edit sends: only the changed fields; a cleared email or phone is null. */
export function updateBody(before: Engineer, values: Values): UpdateEngineer {
  const body: UpdateEngineer = {};
  if (values.employee_number !== before.employee_number) body.employee_number = values.employee_number;
  if (values.first_name !== before.first_name) body.first_name = values.first_name;
  if (values.last_name !== before.last_name) body.last_name = values.last_name;
  if (values.email.trim() !== (before.email ?? '')) body.email = values.email.trim() || null;
  if (values.phone.trim() !== (before.phone ?? '')) body.phone = values.phone.trim() || null;
  if (values.roles.join() !== before.roles.join()) body.roles = values.roles;
  return body;
}

/**
 * Create (no `engineer`) or edit an engineer. A 400's field errors go next to their fields; any
 * other error (a 409 for a taken employee number) is a sentence above the buttons.
 */
export function EngineerForm({ engineer, submitLabel, onSubmit, onCancel }: { engineer?: Engineer; submitLabel: string; onSubmit: (values: Values) => Promise<unknown>; onCancel?: () => void }) {
  const [values, setValues] = useState<Values>(() => valuesOf(engineer));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof Values>(key: K) => (value: Values[K]) => setValues((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    setFailure(null);
    try {
      await onSubmit(values);
    } catch (error) {
      // `roles.0` belongs to the roles field.
      const fields = Object.fromEntries(Object.entries(fieldErrorsOf(error)).map(([field, message]) => [field.split('.')[0], message]));
      setErrors(fields);
      if (!Object.keys(fields).some((field) => field in values)) setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Employee number" required value={values.employee_number} onChange={(e) => set('employee_number')(e.currentTarget.value)} error={errors.employee_number} description="Letters, digits or -" />
          <MultiSelect label="Roles" data={ENGINEER_ROLES} value={values.roles} onChange={(roles) => set('roles')(roles as EngineerRole[])} error={errors.roles} clearable />
          <TextInput label="First name" required value={values.first_name} onChange={(e) => set('first_name')(e.currentTarget.value)} error={errors.first_name} />
          <TextInput label="Last name" required value={values.last_name} onChange={(e) => set('last_name')(e.currentTarget.value)} error={errors.last_name} />
          <TextInput label="Email" type="email" value={values.email} onChange={(e) => set('email')(e.currentTarget.value)} error={errors.email} />
          <TextInput label="Phone" type="tel" value={values.phone} onChange={(e) => set('phone')(e.currentTarget.value)} error={errors.phone} />
        </SimpleGrid>
        {failure !== null && (
          <Alert color="red" role="alert">
            {describeError(failure)}
          </Alert>
        )}
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={saving}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export type EngineerFormValues = Values;
