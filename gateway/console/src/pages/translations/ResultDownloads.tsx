import { Button, Group } from '@mantine/core';
import { useState } from 'react';
import { authorizedFetch } from '../../api/http';
import { notifyError } from '../../components/notify';
import { OUTPUT_LABELS } from './languages';
import { type JobOutput, type JobView } from './translator-api';

const DOWNLOADS: JobOutput[] = ['srt', 'vtt', 'transcript', 'dub', 'video'];

/** The file name the service suggests (`content-disposition`), or one made from the link. */
function fileNameOf(response: Response, url: string): string {
  const match = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1] ?? url.split('/').slice(-3).join('.');
}

/** Saves an authorized download: fetched with the token, then handed to the browser as a file. */
async function save(url: string): Promise<void> {
  const response = await authorizedFetch(url);
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = objectUrl;
  link.download = fileNameOf(response, url);
  link.click();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}

/** One button per result of one target language; the ones not ready (or not asked for) are disabled. */
export function ResultDownloads({ job, target }: { job: JobView; target: string }) {
  const links = job.results[target] ?? {};
  const [saving, setSaving] = useState<JobOutput | null>(null);

  const download = async (output: JobOutput) => {
    setSaving(output);
    try {
      await save(links[output]!);
    } catch (error) {
      notifyError(error, `Could not download the ${OUTPUT_LABELS[output].toLowerCase()}`);
    } finally {
      setSaving(null);
    }
  };

  return (
    <Group gap="xs" wrap="wrap" role="group" aria-label={`Downloads (${target})`}>
      {DOWNLOADS.filter((output) => job.outputs.includes(output)).map((output) => (
        <Button key={output} variant="light" size="xs" disabled={!links[output]} loading={saving === output} onClick={() => void download(output)}>
          Download {OUTPUT_LABELS[output]}
        </Button>
      ))}
    </Group>
  );
}
