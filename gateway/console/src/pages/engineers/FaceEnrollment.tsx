import { Alert, Badge, Button, Card, CloseButton, Group, Image, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../api/errors';
import { formatBytes } from '../../components/format';
import { notifySuccess } from '../../components/notify';
import { enrollFace, type FaceEnrollment as Enrollment } from './engineers-api';
import { pendingPhoto, reasonLabel, rejectionsOf, type PendingPhoto } from './face-photos';
import { WebcamCapture } from './WebcamCapture';

const MAX_PHOTOS = 8;
const MAX_PHOTO_BYTES = 6 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * Enrolls an engineer's face from files and/or webcam photos. The face service refuses the whole
 * batch when one photo fails its quality gate; each refused photo then shows why, and can be removed.
 */
export function FaceEnrollment({ engineerId, disabled, onEnrolled }: { engineerId: string; disabled?: boolean; onEnrolled: (result: Enrollment) => void }) {
  const [photos, setPhotos] = useState<PendingPhoto[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [dropped, setDropped] = useState<string[]>([]);
  const urls = useRef(new Set<string>());

  useEffect(() => {
    const owned = urls.current;
    return () => owned.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const add = (items: PendingPhoto[]) => {
    items.forEach((item) => urls.current.add(item.previewUrl));
    setPhotos((current) => [...current, ...items].slice(0, MAX_PHOTOS));
  };
  const remove = (keys: string[]) => {
    setPhotos((current) => current.filter((photo) => !keys.includes(photo.key)));
    photos.filter((photo) => keys.includes(photo.key)).forEach((photo) => {
      URL.revokeObjectURL(photo.previewUrl);
      urls.current.delete(photo.previewUrl);
    });
  };

  const onDrop = (files: File[]) => add(files.map((file) => pendingPhoto(file, file.name)));
  const onReject = (rejections: FileRejection[]) => setDropped(rejections.map(({ file, errors }) => `${file.name}: ${errors.map((e) => e.message).join('; ')}`));

  const enroll = async () => {
    setFailure(null);
    setProgress(0);
    try {
      const result = await enrollFace(engineerId, photos.map((photo) => photo.blob), ({ loaded, total }) => setProgress(total ? Math.round((loaded / total) * 100) : 0));
      remove(photos.map((photo) => photo.key));
      notifySuccess(`Face enrolled: ${result.templates_added} photo(s) added`);
      onEnrolled(result);
    } catch (error) {
      const rejections = rejectionsOf(error);
      setPhotos((current) =>
        current.map((photo, index) => {
          const refused = rejections.find((rejection) => rejection.index === index);
          return refused ? { ...photo, refused: { reason: refused.reason, message: refused.message } } : photo;
        }),
      );
      setFailure(error);
    } finally {
      setProgress(null);
    }
  };

  const refused = photos.filter((photo) => photo.refused);
  const busy = progress !== null;

  return (
    <Stack gap="sm">
      <Title order={3} size="h5">
        Enroll a face
      </Title>
      <Dropzone onDrop={onDrop} onReject={onReject} accept={PHOTO_TYPES} maxSize={MAX_PHOTO_BYTES} maxFiles={MAX_PHOTOS} disabled={disabled || busy} aria-label="Face photos">
        <Text ta="center" size="sm" py="md">
          Drop face photos here or click to choose files (JPEG, PNG or WebP, up to {formatBytes(MAX_PHOTO_BYTES)} each, {MAX_PHOTOS} at most). One face per photo.
        </Text>
      </Dropzone>
      {dropped.length > 0 && (
        <Alert color="orange" withCloseButton onClose={() => setDropped([])} title="Not added">
          {dropped.map((line) => (
            <Text size="sm" key={line}>
              {line}
            </Text>
          ))}
        </Alert>
      )}
      <WebcamCapture disabled={disabled || busy || photos.length >= MAX_PHOTOS} onCapture={(blob) => add([pendingPhoto(blob, `Camera photo ${new Date().toLocaleTimeString()}`)])} />
      {photos.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }} spacing="xs" aria-label="Photos to enroll">
          {photos.map((photo) => (
            <Card key={photo.key} withBorder padding="xs" data-testid="face-photo" aria-label={photo.name} style={{ borderColor: photo.refused ? 'var(--mantine-color-red-6)' : undefined }}>
              <Card.Section pos="relative">
                <Image src={photo.previewUrl} alt={photo.name} h={110} fit="cover" />
                <CloseButton pos="absolute" top={4} right={4} size="sm" variant="white" aria-label={`Remove ${photo.name}`} onClick={() => remove([photo.key])} disabled={busy} />
              </Card.Section>
              <Text size="xs" truncate mt={4}>
                {photo.name}
              </Text>
              {photo.refused && (
                <Stack gap={2} mt={4}>
                  <Badge color="red" variant="light" size="sm">
                    {reasonLabel(photo.refused.reason)}
                  </Badge>
                  {photo.refused.message.toLowerCase() !== reasonLabel(photo.refused.reason).toLowerCase() && (
                    <Text size="xs" c="red">
                      {photo.refused.message}
                    </Text>
                  )}
                </Stack>
              )}
            </Card>
          ))}
        </SimpleGrid>
      )}
      {failure !== null && (
        <Alert color="red" role="alert" title={refused.length > 0 ? `${refused.length} photo(s) refused; nothing was enrolled` : 'Enrollment failed'}>
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">{refused.length > 0 ? 'Remove the refused photos (or replace them) and enroll again.' : describeError(failure)}</Text>
            {refused.length > 0 && (
              <Button size="xs" color="red" variant="white" onClick={() => remove(refused.map((photo) => photo.key))}>
                Remove refused photos
              </Button>
            )}
          </Group>
        </Alert>
      )}
      {busy && <Progress value={progress} aria-label="Upload progress" animated />}
      <Group>
        <Button onClick={() => void enroll()} disabled={disabled || photos.length === 0} loading={busy}>
          {photos.length > 0 ? `Enroll ${photos.length} photo(s)` : 'Enroll photos'}
        </Button>
      </Group>
    </Stack>
  );
}
