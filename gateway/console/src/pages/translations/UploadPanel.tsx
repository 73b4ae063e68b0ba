import { Button, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useRef, useState } from 'react';
import { ErrorNotice } from '../../components/QueryState';
import { formatBytes } from '../../components/format';
import type { UploadProgress } from '../../api/http';
import { uploadMedia, type UploadedFile } from './translator-api';

const ACCEPT = ['video/*', 'audio/*'];

/** Picks a video or audio file and uploads it with a real progress bar; reports the stored file. */
export function UploadPanel({ uploaded, onUploaded }: { uploaded: UploadedFile | null; onUploaded: (file: UploadedFile | null) => void }) {
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const upload = async (file: File) => {
    abort.current = new AbortController();
    setName(file.name);
    setError(null);
    setProgress({ loaded: 0, total: file.size });
    onUploaded(null);
    try {
      onUploaded(await uploadMedia(file, setProgress, abort.current.signal));
    } catch (failure) {
      if (!(failure instanceof DOMException && failure.name === 'AbortError')) setError(failure);
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Text fw={600}>1. Upload a video or audio file</Text>
        <Dropzone
          onDrop={(files) => files[0] && void upload(files[0])}
          onReject={(rejections) => {
            setName(rejections[0]?.file.name ?? null);
            setError(new Error(rejections.length > 1 ? 'Choose one file at a time' : 'Only video or audio files can be translated'));
          }}
          accept={ACCEPT}
          multiple={false}
          disabled={progress !== null}
          aria-label="Choose a video or audio file"
        >
          <Stack gap={4} align="center" py="md">
            <Text>Drop a video or audio file here, or click to choose one</Text>
            <Text size="sm" c="dimmed">
              Speech in the source language; MP4, WebM, MKV, WAV, MP3…
            </Text>
          </Stack>
        </Dropzone>
        {progress && (
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm">Uploading {name}</Text>
              <Text size="sm" c="dimmed">
                {formatBytes(progress.loaded)} of {formatBytes(progress.total)} ({percent} %)
              </Text>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Progress value={percent} aria-label="Upload progress" style={{ flex: 1 }} animated={percent < 100} />
              <Button size="xs" variant="default" onClick={() => abort.current?.abort()}>
                Cancel upload
              </Button>
            </Group>
          </Stack>
        )}
        {error !== null && <ErrorNotice error={error} title={`Could not upload ${name ?? 'the file'}`} />}
        {uploaded && (
          <Text size="sm" data-testid="uploaded-file">
            Uploaded <b>{uploaded.filename}</b>: {formatBytes(uploaded.size)}, {uploaded.content_type}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
