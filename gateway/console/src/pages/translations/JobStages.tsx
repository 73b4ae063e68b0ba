import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { JobStatusBadge, percentOf } from './JobStatusBadge';
import { isTerminal, type JobStageView, type JobView } from './translator-api';

const STAGE_LABELS: Record<JobStageView['stage'], string> = {
  extract_audio: 'Extract the audio',
  transcribe: 'Transcribe',
  translate: 'Translate',
  synthesize: 'Synthesize the dub',
  mux: 'Make the video',
};

const seconds = (ms: number | null) => (ms === null ? null : `${(ms / 1000).toFixed(1)} s`);

/** A job that ended leaves its unfinished stages as they were: say that they stopped. */
function shownStatus(stage: JobStageView, job: JobView): JobStageView['status'] | 'stopped' | 'not run' {
  if (job.status !== 'cancelled' && job.status !== 'failed') return stage.status;
  if (stage.status === 'running') return 'stopped';
  if (stage.status === 'pending') return 'not run';
  return stage.status;
}

function StageRow({ stage, job }: { stage: JobStageView; job: JobView }) {
  const label = `${STAGE_LABELS[stage.stage]}${stage.target ? ` (${stage.target})` : ''}`;
  return (
    <Stack gap={2} data-testid={`stage-${stage.name}`}>
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {label}
          </Text>
          <JobStatusBadge status={shownStatus(stage, job)} />
          {stage.cached && (
            <Badge size="xs" variant="outline" title="The same input was processed before: its result came from the cache">
              cached
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {[seconds(stage.elapsed_ms), stage.attempts > 1 ? `attempt ${stage.attempts}` : null, stage.worker].filter(Boolean).join(' · ')}
        </Text>
      </Group>
      <Progress value={percentOf(stage.progress)} color={stage.status === 'failed' ? 'red' : undefined} animated={stage.status === 'running' && !isTerminal(job)} aria-label={`${label} progress`} size="sm" />
      {stage.error && (
        <Text size="xs" c="red">
          {stage.error}
        </Text>
      )}
    </Stack>
  );
}

/** The job's overall progress and each stage of its pipeline, as the SSE stream reports them. */
export function JobStages({ job }: { job: JobView }) {
  const percent = percentOf(job.progress);
  return (
    <Stack gap="sm">
      <Group gap="xs" wrap="nowrap">
        <Progress.Root size="xl" style={{ flex: 1 }}>
          <Progress.Section value={percent} color={job.status === 'failed' ? 'red' : job.status === 'completed' ? 'green' : 'blue'} animated={job.status === 'running'} aria-label="Job progress" />
        </Progress.Root>
        <Text fw={600} miw={56} ta="right" style={{ whiteSpace: 'nowrap' }} data-testid="job-progress">
          {percent} %
        </Text>
      </Group>
      {job.error && job.status !== 'cancelled' && (
        <Text c="red" size="sm" role="alert">
          {job.error}
        </Text>
      )}
      {job.stages.map((stage) => (
        <StageRow key={stage.name} stage={stage} job={job} />
      ))}
    </Stack>
  );
}
