import { Group, Stack, Text } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';

const ACCEPT = {
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'application/zip': ['.zip'],
  'application/x-zip-compressed': ['.zip'],
};

/** Photos (and, when `zip`, one ZIP archive) dropped or picked with the keyboard. */
export function PhotoDropzone({ onFiles, loading, zip = true, label }: { onFiles: (files: File[]) => void; loading?: boolean; zip?: boolean; label: string }) {
  const accept = zip ? ACCEPT : Object.fromEntries(Object.entries(ACCEPT).filter(([type]) => type.startsWith('image/')));
  const rejected = (rejections: FileRejection[]) =>
    notifications.show({ color: 'red', title: 'Not taken', message: rejections.map((r) => `${r.file.name}: ${r.errors.map((e) => e.message).join(', ')}`).join('\n') });
  return (
    <Dropzone onDrop={onFiles} onReject={rejected} accept={accept} loading={loading} multiple aria-label={label} activateOnKeyboard>
      <Group justify="center" mih={110} style={{ pointerEvents: 'none' }}>
        <Stack gap={4} align="center">
          <Dropzone.Accept>
            <Text fw={500}>Drop to check</Text>
          </Dropzone.Accept>
          <Dropzone.Reject>
            <Text fw={500} c="red">
              {zip ? 'Only photos (JPEG, PNG, WebP) or a ZIP archive' : 'Only photos (JPEG, PNG, WebP)'}
            </Text>
          </Dropzone.Reject>
          <Dropzone.Idle>
            <Text fw={500}>{label}</Text>
          </Dropzone.Idle>
          <Text size="sm" c="dimmed">
            {zip ? 'Drop one photo, several, or a ZIP archive here, or press to choose files' : 'Drop photos here, or press to choose files'}
          </Text>
        </Stack>
      </Group>
    </Dropzone>
  );
}
