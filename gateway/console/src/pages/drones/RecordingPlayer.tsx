import { Alert, Center, Loader } from '@mantine/core';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/errors';
import { authorizedObjectUrl } from '../../api/http';
import type { Recording } from './drones-api';

/** One recorded segment, fetched with the operator's token and played from a blob URL (freed on close). */
export function RecordingPlayer({ recording }: { recording: Recording }) {
  const [source, setSource] = useState<{ url: string } | { error: unknown } | null>(null);
  const [unplayable, setUnplayable] = useState(false);
  useEffect(() => {
    let objectUrl: string | undefined;
    let cancelled = false;
    authorizedObjectUrl(recording.url)
      .then((url) => {
        if (cancelled) URL.revokeObjectURL(url);
        else setSource({ url: (objectUrl = url) });
      })
      .catch((error: unknown) => !cancelled && setSource({ error }));
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [recording.url]);

  if (!source) {
    return (
      <Center p="lg">
        <Loader aria-label="Loading the recording" />
      </Center>
    );
  }
  if ('error' in source) {
    return (
      <Alert color="red" title="Could not load the recording">
        {describeError(source.error)}
      </Alert>
    );
  }
  if (unplayable) {
    return (
      <Alert color="yellow" title="This segment cannot be played yet">
        The browser could not decode it; a segment still being written has no index until it is closed.
      </Alert>
    );
  }
  return (
    <video onError={() => setUnplayable(true)} src={source.url} controls autoPlay muted playsInline aria-label={`Recording ${recording.file}`} data-testid="recording-video" style={{ width: '100%', maxHeight: '70vh', background: 'black' }} />
  );
}
