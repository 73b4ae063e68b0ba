import { Button, Card, Group, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { confirmAction } from '../../components/confirm';
import { FormError, useFormMutation } from './form-mutation';
import { SectionTitle } from './SectionTitle';
import type { Loan } from './tools-queries';

type Decision = 'complete' | 'incomplete';

/** An operator's decision on a doubtful return, with the reason (final, so confirmed first). */
export function ResolveReviewForm({ loan }: { loan: Loan }) {
  const [status, setStatus] = useState<Decision>('complete');
  const [reason, setReason] = useState('');
  const { mutation, fieldErrors, formError } = useFormMutation({
    mutationFn: () => unwrap(visionApi.POST('/transactions/{id}/resolve', { params: { path: { id: loan.id } }, body: { status, reason } })),
    success: () => `Review resolved: ${status}`,
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const confirmed = await confirmAction({
      title: `Resolve as ${status}?`,
      message: `The loan is closed as ${status} with your reason; this decision cannot be changed afterwards.`,
      confirmLabel: `Resolve as ${status}`,
      danger: status === 'incomplete',
    });
    if (confirmed) mutation.mutate(undefined);
  };

  return (
    <Card withBorder>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack gap="sm">
          <SectionTitle>Resolve the review</SectionTitle>
          <div>
            <Text size="sm" fw={500} id={`decision-${loan.id}`} mb={4}>
              Decision
            </Text>
            <SegmentedControl
              aria-labelledby={`decision-${loan.id}`}
              value={status}
              onChange={(value) => setStatus(value as Decision)}
              data={[
                { value: 'complete', label: 'Complete' },
                { value: 'incomplete', label: 'Incomplete' },
              ]}
            />
            {fieldErrors.status && (
              <Text size="xs" c="red" mt={4}>
                {fieldErrors.status}
              </Text>
            )}
          </div>
          <Textarea
            label="Reason"
            required
            description="What you saw on the photos or the kit itself (at least 3 characters)."
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={fieldErrors.reason}
            autosize
            minRows={2}
            maxLength={2000}
          />
          <FormError error={formError} />
          <Group justify="flex-end">
            <Button type="submit" loading={mutation.isPending}>
              Resolve review
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
