import { ActionIcon, Button, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { uploadWithProgress } from '../../api/http';
import { formatBytes } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { FormError } from './form-mutation';
import { SectionTitle } from './SectionTitle';
import { PhotoDropzone } from './PhotoDropzone';
import { LOAN_STATUS_LABEL, TOOLS_KEY, type Loan } from './tools-queries';

/** Takes a kit back: photos of the opened kit, compared with what it should hold, close the loan. */
export function ReturnLoanForm({ loan }: { loan: Loan }) {
  const queryClient = useQueryClient();
  const [photos, setPhotos] = useState<File[]>([]);
  const [progress, setProgress] = useState(0);
  const ret = useMutation({
    mutationFn: () => {
      const body = new FormData();
      for (const photo of photos) body.append('images', photo, photo.name);
      return uploadWithProgress<Loan>(`/vision_api/transactions/${loan.id}/return`, body, (p) => setProgress(p.total ? (p.loaded / p.total) * 100 : 0));
    },
    onSuccess: async (returned) => {
      notifySuccess(`Kit returned: ${LOAN_STATUS_LABEL[returned.status].toLowerCase()}`);
      await queryClient.invalidateQueries({ queryKey: TOOLS_KEY });
    },
    onSettled: () => setProgress(0),
  });

  return (
    <Card withBorder>
      <Stack gap="sm">
        <SectionTitle>Return the kit</SectionTitle>
        <PhotoDropzone label="Photos of the returned kit" zip={false} onFiles={(files) => setPhotos((current) => [...current, ...files])} />
        {photos.length > 0 && (
          <Stack gap={4} aria-label="Photos to send">
            {photos.map((photo, index) => (
              <Group key={`${index}:${photo.name}`} justify="space-between" gap="xs">
                <Text size="sm">
                  {photo.name} · {formatBytes(photo.size)}
                </Text>
                <ActionIcon variant="subtle" color="gray" aria-label={`Leave out ${photo.name}`} onClick={() => setPhotos((current) => current.filter((_, i) => i !== index))}>
                  ✕
                </ActionIcon>
              </Group>
            ))}
          </Stack>
        )}
        {ret.isPending && <Progress value={progress} animated={progress >= 100} aria-label="Upload progress" />}
        <FormError error={ret.error} />
        <Group justify="flex-end">
          <Button onClick={() => ret.mutate()} disabled={photos.length === 0} loading={ret.isPending}>
            Return kit with {photos.length} photo{photos.length === 1 ? '' : 's'}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
