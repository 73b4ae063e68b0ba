import { AspectRatio, Center, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { authorizedObjectUrl } from '../../api/http';
import { ErrorNotice } from '../../components/QueryState';
import { languageName } from './languages';
import type { JobView } from './translator-api';

interface Sources {
  video: string;
  subtitles: string | null;
}

/**
 * The translated video with its subtitles as a <track>. Media elements cannot send the token, so
 * both are fetched with it and played from object URLs (revoked when the player goes).
 */
export function ResultPlayer({ job, target }: { job: JobView; target: string }) {
  const links = job.results[target] ?? {};
  const [sources, setSources] = useState<Sources | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!links.video) return;
    let live = true;
    const made: string[] = [];
    // A URL that arrives after the player went is revoked at once.
    const keep = (url: string) => {
      if (live) made.push(url);
      else URL.revokeObjectURL(url);
      return url;
    };
    setSources(null);
    setError(null);
    Promise.all([authorizedObjectUrl(links.video).then(keep), links.vtt ? authorizedObjectUrl(links.vtt).then(keep) : null]).then(
      ([video, subtitles]) => live && setSources({ video, subtitles }),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
      made.forEach((url) => URL.revokeObjectURL(url));
    };
  }, [links.video, links.vtt]);

  if (!links.video) {
    return <Text c="dimmed">{job.outputs.includes('video') ? 'The video is not ready yet.' : 'This job makes no video (the file had none, or it was not asked for).'}</Text>;
  }
  if (error) return <ErrorNotice error={error} title="Could not load the video" />;
  if (!sources) {
    return (
      <Center h={200}>
        <Loader aria-label="Loading the video" />
      </Center>
    );
  }
  return (
    <AspectRatio ratio={16 / 9} maw={800}>
      <video controls playsInline src={sources.video} aria-label={`Translated video (${languageName(target)})`} data-testid="result-video" style={{ background: 'black' }}>
        {sources.subtitles && <track kind="subtitles" src={sources.subtitles} srcLang={target} label={languageName(target)} default={!job.burn_subtitles} />}
      </video>
    </AspectRatio>
  );
}
