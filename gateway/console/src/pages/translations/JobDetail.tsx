import { Badge, Button, Card, CloseButton, Divider, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { QueryState } from '../../components/QueryState';
import { confirmAction } from '../../components/confirm';
import { formatDateTime } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { JobStages } from './JobStages';
import { JobStatusBadge } from './JobStatusBadge';
import { ResultDownloads } from './ResultDownloads';
import { ResultPlayer } from './ResultPlayer';
import { languageName } from './languages';
import { cancelJob, isTerminal, jobKeys, useJob, type JobView } from './translator-api';
import { useJobEvents, type StreamState } from './use-job-events';

const STREAM_LABELS: Record<StreamState, { label: string; color: string }> = {
  connecting: { label: 'connecting…', color: 'gray' },
  live: { label: 'live', color: 'green' },
  reconnecting: { label: 'reconnecting…', color: 'yellow' },
  ended: { label: '', color: 'gray' },
};

function CancelButton({ job }: { job: JobView }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelJob(job.id),
    onSuccess: (view) => {
      queryClient.setQueryData(jobKeys.one(view.id), view);
      void queryClient.invalidateQueries({ queryKey: jobKeys.all });
      notifySuccess(view.status === 'cancelled' ? 'Job cancelled' : `The job had already ended (${view.status})`);
    },
    onError: (error) => notifyError(error, 'The job was not cancelled'),
  });
  const ask = async () => {
    const confirmed = await confirmAction({
      title: 'Cancel this job?',
      message: `The translation to ${job.target_languages.map(languageName).join(', ')} stops; results made so far stay downloadable.`,
      confirmLabel: 'Cancel the job',
    });
    if (confirmed) cancel.mutate();
  };
  return (
    <Button color="red" variant="light" size="xs" onClick={() => void ask()} loading={cancel.isPending}>
      Cancel job
    </Button>
  );
}

function JobBody({ job }: { job: JobView }) {
  const stream = useJobEvents(job);
  const [chosen, setChosen] = useState<string | null>(null);
  const target = chosen && job.target_languages.includes(chosen) ? chosen : job.target_languages[0];
  const live = STREAM_LABELS[stream];
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <JobStatusBadge status={job.status} />
          {!isTerminal(job) && live.label && (
            <Badge variant="dot" color={live.color} aria-label={`Progress updates: ${live.label}`}>
              {live.label}
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            {languageName(job.source_language)} → {job.target_languages.map(languageName).join(', ')} · created {formatDateTime(job.created_at)}
            {job.burn_subtitles ? ' · burned subtitles' : ''}
          </Text>
        </Group>
        {!isTerminal(job) && <CancelButton job={job} />}
      </Group>
      <JobStages job={job} />
      <Divider label="Results" labelPosition="left" />
      {job.target_languages.length > 1 && (
        <SegmentedControl aria-label="Result language" value={target} onChange={setChosen} data={job.target_languages.map((code) => ({ value: code, label: languageName(code) }))} />
      )}
      <ResultDownloads job={job} target={target} />
      {job.status === 'completed' || job.results[target]?.video ? (
        <ResultPlayer job={job} target={target} />
      ) : (
        <Text c="dimmed" size="sm">
          {isTerminal(job) ? `The job ${job.status} before its video was made.` : 'The video plays here once the job has made it.'}
        </Text>
      )}
    </Stack>
  );
}

/** One job: live stage-by-stage progress over SSE, then its video with subtitles and its downloads. */
export function JobDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const job = useJob(id);
  return (
    <Card withBorder component="section" aria-labelledby="job-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="job-title">
          Job <Text span ff="monospace" size="sm">{id}</Text>
        </Title>
        <CloseButton onClick={onClose} aria-label="Close the job" />
      </Group>
      <QueryState query={job}>{(view) => <JobBody job={view} />}</QueryState>
    </Card>
  );
}
