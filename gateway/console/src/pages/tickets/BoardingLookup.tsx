import { Alert, Button, Code, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { baseApi } from '../../api/clients/base';
import { describeError } from '../../api/errors';
import { unwrap } from '../../api/http';
import { formatDateTime } from '../../components/format';
import { SignatureBadge } from './SignatureBadge';
import { words } from './ticket-api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks one decision by the id a robot reported (its `decision_id`): the stored record and the service's signature verdict. */
export function BoardingLookup() {
  const [id, setId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const audit = useMutation({ mutationFn: (decisionId: string) => unwrap(baseApi.GET('/admin/boarding-decisions/{id}', { params: { path: { id: decisionId } } })) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = id.trim();
    if (!UUID.test(value)) {
      setError('A decision id is a UUID');
      return;
    }
    setError(undefined);
    audit.mutate(value);
  };

  return (
    <Paper withBorder p="sm" mb="md">
      <form onSubmit={submit} aria-label="Verify a boarding decision">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Verify a decision by id"
            placeholder="decision_id from the robot"
            style={{ flex: 1, minWidth: 260 }}
            value={id}
            error={error}
            onChange={(event) => setId(event.currentTarget.value)}
          />
          <Button type="submit" variant="light" loading={audit.isPending}>
            Verify
          </Button>
        </Group>
      </form>
      {audit.isError && (
        <Alert color="red" mt="sm" role="alert">
          {describeError(audit.error)}
        </Alert>
      )}
      {audit.data && (
        <Stack gap={4} mt="sm" data-testid="boarding-audit">
          <Group gap="xs">
            <SignatureBadge valid={audit.data.signature_valid} />
            <Text size="sm">
              {words(audit.data.outcome)} · ticket {audit.data.ticket_code} ({words(audit.data.ticket_decision)}) · {formatDateTime(audit.data.decided_at)}
            </Text>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4}>
            <Text size="xs" c="dimmed">
              Robot <Code>{audit.data.robot_id}</Code>
            </Text>
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              Signature <Code>{audit.data.signature}</Code>
            </Text>
          </SimpleGrid>
        </Stack>
      )}
    </Paper>
  );
}
