import { Badge, Grid, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { baseApi } from '../../api/clients/base';
import { unwrap } from '../../api/http';
import { formatDateTime } from '../../components/format';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { BoardingLookup } from './BoardingLookup';
import { SignatureBadge } from './SignatureBadge';
import { BOARDING_OUTCOMES, PAGE_SIZE, ticketKeys, words, type BoardingDecision, type BoardingListQuery, type BoardingOutcome } from './ticket-api';
import { useSearchFilters } from '../../components/useSearchFilters';

const BOARDING_FILTER_KEYS = ['ticket_code', 'outcome'] as const;

export const OUTCOME_COLOR: Record<BoardingOutcome, string> = {
  boarded: 'green',
  ticket_refused: 'orange',
  not_enrolled: 'gray',
  face_mismatch: 'red',
  liveness_failed: 'red',
  rejected_image: 'yellow',
};

/** Signed boarding decisions, each signature checked by the service (the signing key never reaches the browser). */
export function BoardingDecisions() {
  const { values, offset, update } = useSearchFilters(BOARDING_FILTER_KEYS);
  const [code, setCode] = useState(values.ticket_code ?? '');
  const [debouncedCode] = useDebouncedValue(code.trim(), 400);
  useEffect(() => {
    if (debouncedCode !== (values.ticket_code ?? '')) update({ ticket_code: debouncedCode });
  }, [debouncedCode, values.ticket_code, update]);

  const query: BoardingListQuery = { limit: PAGE_SIZE, offset, ticket_code: values.ticket_code, outcome: values.outcome as BoardingOutcome | undefined };
  const decisions = useQuery({
    queryKey: ticketKeys.boarding(query),
    queryFn: () => unwrap(baseApi.GET('/admin/boarding-decisions', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: offset === 0 ? 5_000 : false,
  });

  return (
    <>
      <BoardingLookup />
      <Grid align="flex-end" mb="md">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="Ticket code" value={code} onChange={(event) => setCode(event.currentTarget.value)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label="Outcome"
            placeholder="Any outcome"
            clearable
            data={BOARDING_OUTCOMES.map((outcome) => ({ value: outcome, label: words(outcome) }))}
            value={values.outcome ?? null}
            onChange={(outcome) => update({ outcome })}
          />
        </Grid.Col>
      </Grid>
      <QueryState query={decisions} isEmpty={(page) => page.total === 0} empty="No boarding decisions under these filters.">
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label="Boarding decisions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Ticket</Table.Th>
                    <Table.Th>Robot</Table.Th>
                    <Table.Th>Outcome</Table.Th>
                    <Table.Th>Ticket decision</Table.Th>
                    <Table.Th>Face</Table.Th>
                    <Table.Th>Liveness</Table.Th>
                    <Table.Th>Signature</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((decision) => (
                    <BoardingRow key={decision.id} decision={decision} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={page.limit} offset={page.offset} onOffset={(next) => update({ offset: next })} />
          </>
        )}
      </QueryState>
    </>
  );
}

function BoardingRow({ decision }: { decision: BoardingDecision }) {
  return (
    <Table.Tr data-testid={`boarding-${decision.id}`}>
      <Table.Td>{formatDateTime(decision.decided_at)}</Table.Td>
      <Table.Td>
        <Text ff="monospace" size="sm">
          {decision.ticket_code}
        </Text>
      </Table.Td>
      <Table.Td>{decision.robot_name ?? <Text c="dimmed">{decision.robot_id.slice(0, 8)}</Text>}</Table.Td>
      <Table.Td>
        <Badge color={OUTCOME_COLOR[decision.outcome]} variant="light">
          {words(decision.outcome)}
        </Badge>
      </Table.Td>
      <Table.Td>{words(decision.ticket_decision)}</Table.Td>
      <Table.Td>
        {decision.face_similarity === null ? '—' : `${decision.face_similarity.toFixed(3)} (needs ${decision.face_threshold?.toFixed(3) ?? '?'})`}
      </Table.Td>
      <Table.Td>{decision.liveness ? `${decision.liveness.mode}: ${decision.liveness.passed ? 'passed' : 'failed'}` : 'off'}</Table.Td>
      <Table.Td>
        <Tooltip label={decision.signature} multiline maw={360}>
          <span>
            <SignatureBadge valid={decision.signature_valid} />
          </span>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}
