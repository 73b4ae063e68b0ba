import { Badge, Button, Divider, Drawer, Group, Stack, Text, Title } from '@mantine/core';
import { confirmAction } from '../../components/confirm';
import { formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { QueryState } from '../../components/QueryState';
import { useDeactivateEngineer, useEngineer, useUpdateEngineer, type Engineer } from './engineers-api';
import { EngineerForm, updateBody } from './EngineerForm';
import { FaceSection } from './FaceSection';

/** One engineer: edit, face enrollment, deactivation. Opened by `?engineer=<id>` (deep link). */
export function EngineerDrawer({ engineerId, onClose }: { engineerId: string | undefined; onClose: () => void }) {
  const engineer = useEngineer(engineerId);
  return (
    <Drawer opened={engineerId !== undefined} onClose={onClose} position="right" size="xl" title={<Title order={2} size="h4">Engineer</Title>}>
      <QueryState query={engineer}>{(data) => <EngineerDetails key={`${data.id}:${data.version}`} engineer={data} />}</QueryState>
    </Drawer>
  );
}

function EngineerDetails({ engineer }: { engineer: Engineer }) {
  const update = useUpdateEngineer(engineer.id);
  const deactivate = useDeactivateEngineer(engineer.id);
  const name = `${engineer.first_name} ${engineer.last_name}`;

  const onDeactivate = async () => {
    const confirmed = await confirmAction({
      title: `Deactivate ${name}?`,
      message: 'A deactivated engineer can no longer log in at the robots. This cannot be undone.',
      confirmLabel: 'Deactivate',
    });
    if (!confirmed) return;
    deactivate.mutate(undefined, { onSuccess: () => notifySuccess(`${name} is deactivated`), onError: (error) => notifyError(error) });
  };

  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="wrap">
        <div>
          <Text fw={600} size="lg">
            {name}
          </Text>
          <Text size="xs" c="dimmed">
            {engineer.employee_number} · created {formatDateTime(engineer.created_at)} · version {engineer.version}
          </Text>
        </div>
        {engineer.active ? <Badge color="green">Active</Badge> : <Badge color="gray">Deactivated {formatDateTime(engineer.deactivated_at)}</Badge>}
      </Group>
      <EngineerForm
        engineer={engineer}
        submitLabel="Save changes"
        onSubmit={async (values) => {
          const body = updateBody(engineer, values);
          if (Object.keys(body).length === 0) return;
          await update.mutateAsync(body);
          notifySuccess(`${values.first_name} ${values.last_name} is saved`);
        }}
      />
      <Divider />
      <FaceSection engineer={engineer} />
      {engineer.active && (
        <>
          <Divider />
          <Group justify="space-between" wrap="wrap">
            <Text size="sm" c="dimmed">
              Deactivation keeps the record and its history.
            </Text>
            <Button color="red" variant="outline" loading={deactivate.isPending} onClick={() => void onDeactivate()}>
              Deactivate engineer
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
