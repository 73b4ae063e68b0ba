import { Button, Menu } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { baseApi } from '../../api/clients/base';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { notifyError, notifySuccess } from '../../components/notify';
import { robotKeys, type RobotCredentials, type RobotView } from './robot-api';

/** Per-robot actions: rotate the secret (shown once afterwards), deactivate or reactivate. */
export function RobotActions({ robot, onRotated }: { robot: RobotView; onRotated: (robot: RobotView, credentials: RobotCredentials) => void }) {
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: () => unwrap(baseApi.POST('/admin/robots/{id}/client-secret', { params: { path: { id: robot.id } } })),
    onSuccess: (credentials) => onRotated(robot, credentials),
    onError: (error) => notifyError(error, `Could not rotate the secret of ${robot.name}`),
  });
  const setActive = useMutation({
    mutationFn: (active: boolean) => unwrap(baseApi.PATCH('/admin/robots/{id}', { params: { path: { id: robot.id } }, body: { active } })),
    onSuccess: (updated) => {
      notifySuccess(`${updated.name} ${updated.active ? 'reactivated' : 'deactivated'}`);
      void queryClient.invalidateQueries({ queryKey: robotKeys.all });
    },
    onError: (error) => notifyError(error, `Could not change ${robot.name}`),
  });

  const askRotate = async () => {
    const ok = await confirmAction({
      title: `Rotate the secret of ${robot.name}?`,
      message: 'A new client secret is made and the current one stops working at once: the robot cannot sign in again until it gets the new secret.',
      confirmLabel: 'Rotate secret',
    });
    if (ok) rotate.mutate();
  };
  const askDeactivate = async () => {
    const ok = await confirmAction({
      title: `Deactivate ${robot.name}?`,
      message: 'Its tokens are refused from now on and it goes offline. You can reactivate it later.',
      confirmLabel: 'Deactivate',
    });
    if (ok) setActive.mutate(false);
  };

  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-sm" variant="default" loading={rotate.isPending || setActive.isPending} aria-label={`Actions for ${robot.name}`}>
          Actions
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => void askRotate()} disabled={!robot.active}>
          Rotate secret
        </Menu.Item>
        {robot.active ? (
          <Menu.Item color="red" onClick={() => void askDeactivate()}>
            Deactivate
          </Menu.Item>
        ) : (
          <Menu.Item onClick={() => setActive.mutate(true)}>Reactivate</Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
