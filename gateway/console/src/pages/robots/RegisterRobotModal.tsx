import { Alert, Button, Group, Modal, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { baseApi, type BaseSchemas } from '../../api/clients/base';
import { ApiError, describeError, fieldErrorsOf } from '../../api/errors';
import { unwrap } from '../../api/http';
import { notifySuccess } from '../../components/notify';
import { CredentialsOnce } from './CredentialsOnce';
import { robotKeys } from './robot-api';

type Registered = BaseSchemas['RegisteredRobotView'];
const EMPTY = { name: '', station: '', assigned_train: '', keycloak_client_id: '' };

/** "robot-gate-3" from "Gate 3": the suggested Keycloak client id. */
const clientIdFor = (name: string) => (name.trim() ? `robot-${name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}` : '');

/** Registers a robot, then shows its credentials once; closing the dialog forgets them. */
export function RegisterRobotModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(EMPTY);
  const [clientIdTouched, setClientIdTouched] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [registered, setRegistered] = useState<Registered | null>(null);
  const register = useMutation({
    mutationFn: () =>
      unwrap(
        baseApi.POST('/admin/robots', {
          body: { name: draft.name.trim(), station: draft.station.trim(), keycloak_client_id: draft.keycloak_client_id.trim(), ...(draft.assigned_train.trim() ? { assigned_train: draft.assigned_train.trim() } : {}) },
        }),
      ),
    onSuccess: (robot) => {
      setRegistered(robot);
      notifySuccess(`Robot ${robot.name} registered`);
      void queryClient.invalidateQueries({ queryKey: robotKeys.all });
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  const close = () => {
    setDraft(EMPTY);
    setClientIdTouched(false);
    setErrors({});
    setRegistered(null);
    register.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    register.mutate();
  };
  const set = (key: keyof typeof EMPTY) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((current) => ({ ...current, [key]: value, ...(key === 'name' && !clientIdTouched ? { keycloak_client_id: clientIdFor(value) } : {}) }));
  };
  const generalError = register.isError && !(register.error instanceof ApiError && Object.keys(fieldErrorsOf(register.error)).length > 0);

  return (
    <Modal opened={opened} onClose={close} title={registered ? `Robot ${registered.name} registered` : 'Register a robot'} size="lg" closeOnClickOutside={!registered}>
      {registered ? (
        <Stack>
          <CredentialsOnce credentials={registered} />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Name" required data-autofocus value={draft.name} error={errors.name} onChange={set('name')} />
              <TextInput label="Station" required value={draft.station} error={errors.station} onChange={set('station')} />
              <TextInput label="Assigned train" description="Optional: refuses tickets of other trains" value={draft.assigned_train} error={errors.assigned_train} onChange={set('assigned_train')} />
              <TextInput
                label="Keycloak client id"
                description="The client the robot signs in as"
                required
                value={draft.keycloak_client_id}
                error={errors.keycloak_client_id}
                onChange={(event) => {
                  setClientIdTouched(true);
                  set('keycloak_client_id')(event);
                }}
              />
            </SimpleGrid>
            {generalError && (
              <Alert color="red" role="alert">
                {describeError(register.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={register.isPending}>
                Register
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
