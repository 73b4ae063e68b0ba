import { Anchor, Center, Image, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { describeError } from '../../api/errors';
import { authorizedObjectUrl } from '../../api/http';

/** An annotated image of the vision media route (it needs the token, so it is fetched as a blob). */
export function AnnotatedImage({ url, alt }: { url: string; alt: string }) {
  const [state, setState] = useState<{ url: string; src?: string; error?: unknown }>({ url });
  useEffect(() => {
    let gone = false;
    let made: string | undefined;
    authorizedObjectUrl(url).then(
      (src) => {
        if (gone) return URL.revokeObjectURL(src);
        made = src;
        setState({ url, src });
      },
      (error: unknown) => !gone && setState({ url, error }),
    );
    return () => {
      gone = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);

  if (state.url === url && state.error) {
    return (
      <Text size="sm" c="red" role="alert">
        The annotated image could not be loaded: {describeError(state.error)}
      </Text>
    );
  }
  if (state.url !== url || !state.src) {
    return (
      <Center h={200}>
        <Loader size="sm" aria-label={`Loading ${alt}`} />
      </Center>
    );
  }
  return (
    <Anchor href={state.src} target="_blank" rel="noreferrer" aria-label={`Open ${alt} full size`}>
      <Image src={state.src} alt={alt} radius="sm" fit="contain" mah={480} />
    </Anchor>
  );
}
