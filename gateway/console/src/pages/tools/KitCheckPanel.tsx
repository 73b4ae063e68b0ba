import { Alert, Card, Grid, NumberInput, Progress, Select, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { uploadWithProgress } from '../../api/http';
import { formatBytes } from '../../components/format';
import { setOrDelete, useLatestSearchParams } from '../../components/latest-search-params';
import { ErrorNotice } from '../../components/QueryState';
import { KitCheckResult } from './KitCheckResult';
import { PhotoDropzone } from './PhotoDropzone';
import { useAllToolkits, type Prediction } from './tools-queries';
import { planUpload } from './upload-kind';

interface Upload {
  loaded: number;
  total: number;
}

/** "Check a kit": photos or a ZIP against a toolkit, the annotated images beside the per-class table. */
export function KitCheckPanel() {
  const [params, patchParams] = useLatestSearchParams();
  const toolkitId = params.get('kit');
  const toolkits = useAllToolkits();
  const [confidence, setConfidence] = useState<number | string>(0.5);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [mistake, setMistake] = useState<string | null>(null);

  const check = useMutation({
    mutationFn: async (files: File[]) => {
      const plan = planUpload(files);
      if ('error' in plan) throw new Error(plan.error);
      const body = new FormData();
      for (const file of files) body.append(plan.field, file, file.name);
      if (toolkitId) body.append('toolkit_id', toolkitId);
      if (typeof confidence === 'number') body.append('confidence', String(confidence));
      setUpload({ loaded: 0, total: files.reduce((sum, f) => sum + f.size, 0) });
      try {
        return await uploadWithProgress<Prediction>(plan.path, body, (progress) => setUpload({ loaded: progress.loaded, total: progress.total }));
      } finally {
        setUpload(null);
      }
    },
  });

  const onFiles = (files: File[]) => {
    const plan = planUpload(files);
    setMistake('error' in plan ? plan.error : null);
    if (!('error' in plan)) check.mutate(files);
  };
  const selectKit = (id: string | null) =>
    patchParams((next) => setOrDelete(next, { kit: id || null }), { replace: false });

  return (
    <Stack>
      <Card withBorder>
        <Grid align="flex-end">
          <Grid.Col span={{ base: 12, sm: 8 }}>
            <Select
              label="Compare with toolkit"
              placeholder={toolkits.isPending ? 'Loading toolkits…' : 'No kit: only detect'}
              description="The per-class table compares what the photos show with what this kit should hold."
              searchable
              clearable
              data={(toolkits.data?.items ?? []).map((kit) => ({ value: kit.id, label: kit.name }))}
              value={toolkitId}
              onChange={selectKit}
              error={toolkits.isError ? 'The toolkits could not be loaded' : undefined}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <NumberInput label="Minimum confidence" min={0} max={1} step={0.05} decimalScale={2} value={confidence} onChange={setConfidence} />
          </Grid.Col>
        </Grid>
        <Stack mt="md" gap="xs">
          <PhotoDropzone label="Photos of the opened kit" onFiles={onFiles} loading={check.isPending} />
          {upload && <UploadProgress upload={upload} />}
          {mistake && (
            <Alert color="orange" role="alert">
              {mistake}
            </Alert>
          )}
        </Stack>
      </Card>
      {check.isError && <ErrorNotice error={check.error} title="The kit could not be checked" />}
      {check.data && !check.isPending && <KitCheckResult prediction={check.data} />}
    </Stack>
  );
}

function UploadProgress({ upload }: { upload: Upload }) {
  const done = upload.total > 0 && upload.loaded >= upload.total;
  const percent = upload.total ? Math.min(100, (upload.loaded / upload.total) * 100) : 0;
  return (
    <div>
      <Progress value={done ? 100 : percent} animated={done} aria-label="Upload progress" />
      <Text size="xs" c="dimmed" mt={4}>
        {done ? 'Uploaded; the detector is looking at the photos…' : `Uploading ${formatBytes(upload.loaded)} of ${formatBytes(upload.total)}`}
      </Text>
    </div>
  );
}
