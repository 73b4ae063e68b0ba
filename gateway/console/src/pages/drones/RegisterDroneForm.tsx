import { Alert, Button, Checkbox, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { describeError, fieldErrorsOf } from '../../api/errors';
import type { CreateDrone, DroneWithKey } from './drones-api';

/** Registers a drone; a 400's field errors go next to their fields, anything else above the buttons. */
export function RegisterDroneForm({ onSubmit, onCancel }: { onSubmit: (body: CreateDrone) => Promise<DroneWithKey>; onCancel: () => void }) {
  const [values, setValues] = useState<CreateDrone>({ name: '', keycloak_client_id: '', record: false });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setErrors({});
    setFailure(null);
    try {
      await onSubmit({ ...values, name: values.name.trim(), keycloak_client_id: values.keycloak_client_id.trim() });
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFailure(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" required data-autofocus value={values.name} onChange={(e) => setValues({ ...values, name: e.currentTarget.value })} error={errors.name} />
        <TextInput
          label="Keycloak client id"
          description="The drone's own identity client (posts its telemetry); created if it does not exist"
          required
          value={values.keycloak_client_id}
          onChange={(e) => setValues({ ...values, keycloak_client_id: e.currentTarget.value })}
          error={errors.keycloak_client_id}
        />
        <Checkbox label="Record the live stream (MP4 segments)" checked={values.record ?? false} onChange={(e) => setValues({ ...values, record: e.currentTarget.checked })} error={errors.record} />
        {failure !== null && (
          <Alert color="red" role="alert">
            {describeError(failure)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={saving}>
            Register
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
