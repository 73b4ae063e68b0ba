import { Badge } from '@mantine/core';
import type { JobStageView, JobStatus } from './translator-api';

type ShownStatus = JobStatus | JobStageView['status'] | 'stopped' | 'not run';

const COLORS: Record<ShownStatus, string> = {
  queued: 'gray',
  pending: 'gray',
  running: 'blue',
  completed: 'green',
  done: 'green',
  failed: 'red',
  cancelled: 'orange',
  skipped: 'gray',
  stopped: 'orange',
  'not run': 'gray',
};

export function JobStatusBadge({ status }: { status: ShownStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light">
      {status}
    </Badge>
  );
}

export const percentOf = (progress: number) => Math.round(progress * 100);
