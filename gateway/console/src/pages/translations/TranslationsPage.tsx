import { Grid, Stack } from '@mantine/core';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { setOrDelete, useLatestSearchParams } from '../../components/latest-search-params';
import { PageHeader } from '../../components/PageHeader';
import { CreateJobForm } from './CreateJobForm';
import { JobDetail } from './JobDetail';
import { JobsTable } from './JobsTable';
import { UploadPanel } from './UploadPanel';
import { JOB_STATUSES, type JobStatus, type UploadedFile } from './translator-api';

/** The page's state that deserves a link: the open job (`/translations/<id>`), the list's filter and its page. */
function useTranslationsParams() {
  const [params, patchParams] = useLatestSearchParams();
  const navigate = useNavigate();
  const job = useParams()['*'] || null;
  const status = params.get('status');
  const update = (changes: Record<string, string | null>) =>
    patchParams((next) => setOrDelete(next, changes), { replace: false });
  const openJob = (id: string | null) => navigate({ pathname: id ? `/translations/${id}` : '/translations', search: params.toString() });
  return {
    job,
    openJob,
    status: JOB_STATUSES.includes(status as JobStatus) ? (status as JobStatus) : null,
    offset: Math.max(0, Number(params.get('offset')) || 0),
    update,
  };
}

export default function TranslationsPage() {
  const { job, openJob, status, offset, update } = useTranslationsParams();
  const [uploaded, setUploaded] = useState<UploadedFile | null>(null);
  return (
    <>
      <PageHeader title="Translations" description="Translate the speech of a video: subtitles, a transcript, a dubbed track and the video with them." />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <UploadPanel uploaded={uploaded} onUploaded={setUploaded} />
            <CreateJobForm file={uploaded} onCreated={(created) => openJob(created.id)} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            {job && <JobDetail key={job} id={job} onClose={() => openJob(null)} />}
            <JobsTable
              status={status}
              offset={offset}
              selected={job}
              onFilter={(next) => update({ status: next, offset: null })}
              onOffset={(next) => update({ offset: next ? String(next) : null })}
              onSelect={openJob}
            />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
