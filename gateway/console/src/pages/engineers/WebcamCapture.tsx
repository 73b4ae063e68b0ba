import { Alert, AspectRatio, Button, Group, Stack } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

const CAPTURE_QUALITY = 0.92;

function cameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return 'The browser was not allowed to use the camera. Allow it in the address bar and try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found on this device.';
  if (name === 'NotReadableError') return 'The camera is in use by another application.';
  return `The camera could not be started: ${error instanceof Error ? error.message : String(error)}`;
}

/** The webcam (getUserMedia) with a "Take photo" button; each photo is a JPEG handed to `onCapture`. */
export function WebcamCapture({ onCapture, disabled }: { onCapture: (photo: Blob) => void; disabled?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A photo can be taken once the camera delivers frames; a click before that would capture nothing.
  const [ready, setReady] = useState(false);

  useEffect(() => {
    setReady(false);
    if (video.current) video.current.srcObject = stream;
    return () => stream?.getTracks().forEach((track) => track.stop());
  }, [stream]);

  const start = async () => {
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) return setError('This browser cannot use a camera here (a camera needs https or localhost).');
    setStarting(true);
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' }, audio: false }));
    } catch (failure) {
      setError(cameraError(failure));
    } finally {
      setStarting(false);
    }
  };

  const capture = () => {
    const source = video.current;
    if (!source || source.videoWidth === 0) return;
    const canvas = document.createElement('canvas');
    canvas.width = source.videoWidth;
    canvas.height = source.videoHeight;
    canvas.getContext('2d')?.drawImage(source, 0, 0);
    canvas.toBlob((blob) => blob && onCapture(blob), 'image/jpeg', CAPTURE_QUALITY);
  };

  return (
    <Stack gap="xs">
      {error && (
        <Alert color="orange" role="alert">
          {error}
        </Alert>
      )}
      {stream ? (
        <>
          <AspectRatio ratio={16 / 9} maw={480}>
            <video
              ref={video}
              autoPlay
              playsInline
              muted
              aria-label="Camera preview"
              onLoadedData={(event) => setReady(event.currentTarget.videoWidth > 0)}
              style={{ background: 'black', borderRadius: 4 }}
            />
          </AspectRatio>
          <Group gap="xs">
            <Button onClick={capture} disabled={disabled || !ready} loading={!ready} loaderProps={{ type: 'dots' }}>
              Take photo
            </Button>
            <Button variant="default" onClick={() => setStream(null)}>
              Stop camera
            </Button>
          </Group>
        </>
      ) : (
        <Group>
          <Button variant="light" onClick={() => void start()} loading={starting} disabled={disabled}>
            Use the camera
          </Button>
        </Group>
      )}
    </Stack>
  );
}
