import { Alert, Card, Group, SimpleGrid, Text } from '@mantine/core';
import { AnnotatedImage } from './AnnotatedImage';
import type { PhotoResult } from './tools-queries';

/** Each photo as the detector saw it: the annotated image, or why it could not be read. */
export function PhotoResults({ photos }: { photos: readonly PhotoResult[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: photos.length > 1 ? 2 : 1 }} spacing="sm">
      {photos.map((photo, index) => (
        <Card key={`${index}:${photo.filename}`} withBorder padding="xs" data-testid="photo-result">
          {photo.success && photo.annotated_image_url ? (
            <AnnotatedImage url={photo.annotated_image_url} alt={`Annotated ${photo.filename}`} />
          ) : photo.error ? (
            <Alert color="red" title="Not analysed" role="alert">
              {photo.error.message}
            </Alert>
          ) : null}
          <Group justify="space-between" mt="xs" gap="xs">
            <Text size="sm" fw={500} truncate="end" maw="70%" title={photo.filename}>
              {photo.filename}
            </Text>
            {photo.success && (
              <Text size="xs" c="dimmed">
                {photo.count} detection{photo.count === 1 ? '' : 's'}
                {photo.inference_time_ms !== undefined && ` · ${Math.round(photo.inference_time_ms)} ms`}
                {photo.cached && ' · cached'}
              </Text>
            )}
          </Group>
        </Card>
      ))}
    </SimpleGrid>
  );
}
