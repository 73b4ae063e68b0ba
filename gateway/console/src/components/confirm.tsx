import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';

/** Asks before a destructive action; resolves true only on the explicit confirm button. */
export function confirmAction({ title, message, confirmLabel, danger = true }: { title: string; message: string; confirmLabel: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    modals.openConfirmModal({
      title,
      children: <Text size="sm">{message}</Text>,
      labels: { confirm: confirmLabel, cancel: 'Cancel' },
      confirmProps: { color: danger ? 'red' : undefined },
      onConfirm: () => resolve(true),
      onCancel: () => resolve(false),
      onClose: () => resolve(false),
    });
  });
}
