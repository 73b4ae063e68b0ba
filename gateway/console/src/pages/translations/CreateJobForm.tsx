import { Alert, Button, Card, Checkbox, Group, MultiSelect, Select, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { describeError, fieldErrorsOf } from '../../api/errors';
import { notifySuccess } from '../../components/notify';
import { LANGUAGES, OUTPUT_LABELS } from './languages';
import { createJob, jobKeys, type JobOutput, type JobView, type UploadedFile } from './translator-api';

const ALL_OUTPUTS = Object.keys(OUTPUT_LABELS) as JobOutput[];
const FIELDS = ['file_id', 'source_language', 'target_languages', 'outputs', 'burn_subtitles'];

/** A 400's field errors by the form's fields (`target_languages.1` is the target languages field). */
function formErrorsOf(error: unknown): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrorsOf(error))) {
    const field = path.split('.')[0];
    if (FIELDS.includes(field)) byField[field] = byField[field] ? `${byField[field]}; ${message}` : message;
  }
  return byField;
}

/** Source and target languages, outputs and burned subtitles for the uploaded file; creates the job. */
export function CreateJobForm({ file, onCreated }: { file: UploadedFile | null; onCreated: (job: JobView) => void }) {
  const queryClient = useQueryClient();
  const [source, setSource] = useState<string | null>('en');
  const [targets, setTargets] = useState<string[]>(['es']);
  const [outputs, setOutputs] = useState<JobOutput[]>(ALL_OUTPUTS);
  const [burn, setBurn] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const hasVideo = file === null || file.content_type.startsWith('video/');

  const create = useMutation({
    mutationFn: () =>
      createJob({
        file_id: file!.file_id,
        source_language: source ?? '',
        target_languages: targets,
        outputs: outputs.filter((output) => hasVideo || output !== 'video'),
        burn_subtitles: burn,
      }),
    onMutate: () => setErrors({}),
    onSuccess: (job) => {
      notifySuccess(`Job created: ${job.source_language} → ${job.target_languages.join(', ')}`);
      queryClient.setQueryData(jobKeys.one(job.id), job);
      void queryClient.invalidateQueries({ queryKey: jobKeys.lists });
      onCreated(job);
    },
    onError: (error) => setErrors(formErrorsOf(error)),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!source) missing.source_language = 'Choose the spoken language';
    if (targets.length === 0) missing.target_languages = 'Choose at least one language';
    if (outputs.length === 0) missing.outputs = 'Choose at least one output';
    setErrors(missing);
    if (Object.keys(missing).length === 0) create.mutate();
  };

  const fieldError = Object.keys(errors).length > 0;
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label="Create a translation job">
      <Stack gap="sm">
        <Text fw={600}>2. Create a job</Text>
        <Group grow align="flex-start" wrap="wrap">
          <Select label="Source language" description="The language spoken in the file" data={LANGUAGES} value={source} onChange={setSource} error={errors.source_language} searchable required miw={180} />
          <MultiSelect
            label="Target languages"
            description="Up to 5"
            data={LANGUAGES.filter((language) => language.value !== source)}
            value={targets}
            onChange={setTargets}
            maxValues={5}
            error={errors.target_languages}
            searchable
            required
            miw={180}
          />
        </Group>
        <Checkbox.Group label="Outputs" value={outputs} onChange={(value) => setOutputs(value as JobOutput[])} error={errors.outputs}>
          <Group mt={4} gap="md">
            {ALL_OUTPUTS.map((output) => (
              <Checkbox key={output} value={output} label={OUTPUT_LABELS[output]} disabled={output === 'video' && !hasVideo} />
            ))}
          </Group>
        </Checkbox.Group>
        <Switch
          label="Burn the subtitles into the picture"
          description="Otherwise the video carries them as a subtitle stream viewers can switch off"
          checked={burn}
          onChange={(event) => setBurn(event.currentTarget.checked)}
          disabled={!outputs.includes('video') || !hasVideo}
          error={errors.burn_subtitles}
        />
        {create.isError && !fieldError && (
          <Alert color="red" role="alert" title="The job was not created">
            {describeError(create.error)}
          </Alert>
        )}
        {errors.file_id && (
          <Alert color="red" role="alert">
            {errors.file_id}
          </Alert>
        )}
        <Group justify="flex-end">
          {!file && (
            <Text size="sm" c="dimmed">
              Upload a file first
            </Text>
          )}
          <Button type="submit" disabled={!file} loading={create.isPending}>
            Translate
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
