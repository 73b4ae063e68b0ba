import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { confirmAction } from '../../components/confirm';
import { notifyError, notifySuccess } from '../../components/notify';
import { forgetFace, type Engineer, type FaceEnrollment as Enrollment } from './engineers-api';
import { FaceEnrollment } from './FaceEnrollment';

/** What this session did to the engineer's face (the API has no "is enrolled" read). */
type FaceState = { kind: 'enrolled'; added: number; total: number; model: string } | { kind: 'forgotten'; removed: number };

const faceKey = (engineerId: string) => ['engineers', 'face', engineerId] as const;

/** Enroll and forget an engineer's face; the last outcome stays shown while the console is open. */
export function FaceSection({ engineer }: { engineer: Engineer }) {
  const queryClient = useQueryClient();
  const { data: state } = useQuery<FaceState | null>({ queryKey: faceKey(engineer.id), queryFn: () => null, staleTime: Infinity, gcTime: Infinity });
  const [forgetting, setForgetting] = useState(false);
  const name = `${engineer.first_name} ${engineer.last_name}`;

  const remember = (state: FaceState) => queryClient.setQueryData(faceKey(engineer.id), state);
  const enrolled = (result: Enrollment) => remember({ kind: 'enrolled', added: result.templates_added, total: result.total_templates, model: result.model_version });

  const forget = async () => {
    const confirmed = await confirmAction({
      title: 'Forget this face?',
      message: `Every face template of ${name} is deleted. The robots stop recognising them until a face is enrolled again.`,
      confirmLabel: 'Forget face',
    });
    if (!confirmed) return;
    setForgetting(true);
    try {
      const result = await forgetFace(engineer.id);
      remember({ kind: 'forgotten', removed: result.templates_removed });
      notifySuccess(result.templates_removed > 0 ? `The face of ${name} is forgotten` : `${name} had no face enrolled`);
    } catch (error) {
      notifyError(error, 'The face was not forgotten');
    } finally {
      setForgetting(false);
    }
  };

  return (
    <Stack gap="md">
      {state?.kind === 'enrolled' && (
        <Alert color="green" title="Face enrolled" data-testid="face-state">
          {state.added} photo(s) added; {state.total} face template(s) in all (model {state.model}). Robots can now log {name} in by face.
        </Alert>
      )}
      {state?.kind === 'forgotten' && (
        <Alert color="gray" title="Face forgotten" data-testid="face-state">
          {state.removed} face template(s) deleted.
        </Alert>
      )}
      {!engineer.active && <Text c="dimmed" size="sm">A deactivated engineer cannot enroll a face.</Text>}
      <FaceEnrollment engineerId={engineer.id} disabled={!engineer.active} onEnrolled={enrolled} />
      <Group justify="space-between" align="center" wrap="wrap">
        <Text size="sm" c="dimmed">
          Forgetting deletes every face template of the engineer.
        </Text>
        <Button color="red" variant="light" loading={forgetting} onClick={() => void forget()}>
          Forget face
        </Button>
      </Group>
    </Stack>
  );
}
