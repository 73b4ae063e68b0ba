import { Badge, Grid, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { baseApi } from '../../api/clients/base';
import { unwrap } from '../../api/http';
import { formatDateTime } from '../../components/format';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { RobotSelect } from './RobotSelect';
import { DECISION_COLOR, PAGE_SIZE, TICKET_DECISIONS, ticketKeys, words, type CheckListQuery } from './ticket-api';
import { localInputToIso, useSearchFilters } from '../../components/useSearchFilters';

const CHECK_FILTER_KEYS = ['ticket_code', 'robot_id', 'decision', 'direction', 'from', 'to'] as const;

/** Every check the robots recorded, newest first; the first page follows new checks live. */
export function CheckLog() {
  const { values, offset, update } = useSearchFilters(CHECK_FILTER_KEYS);
  const [code, setCode] = useState(values.ticket_code ?? '');
  const [debouncedCode] = useDebouncedValue(code.trim(), 400);
  useEffect(() => {
    if (debouncedCode !== (values.ticket_code ?? '')) update({ ticket_code: debouncedCode });
  }, [debouncedCode, values.ticket_code, update]);

  const query: CheckListQuery = {
    limit: PAGE_SIZE,
    offset,
    ticket_code: values.ticket_code,
    robot_id: values.robot_id,
    decision: values.decision as CheckListQuery['decision'],
    direction: values.direction as CheckListQuery['direction'],
    from: localInputToIso(values.from),
    to: localInputToIso(values.to),
  };
  const checks = useQuery({
    queryKey: ticketKeys.checks(query),
    queryFn: () => unwrap(baseApi.GET('/admin/ticket-checks', { params: { query } })),
    placeholderData: keepPreviousData,
    refetchInterval: offset === 0 ? 3_000 : false,
  });

  return (
    <>
      <Grid align="flex-end" mb="md">
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <TextInput label="Ticket code" value={code} onChange={(event) => setCode(event.currentTarget.value)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <RobotSelect value={values.robot_id} onChange={(robot_id) => update({ robot_id })} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 6, md: 3 }}>
          <Select
            label="Decision"
            placeholder="Any decision"
            clearable
            data={TICKET_DECISIONS.map((decision) => ({ value: decision, label: words(decision) }))}
            value={values.decision ?? null}
            onChange={(decision) => update({ decision })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 6, md: 3 }}>
          <Select
            label="Direction"
            placeholder="Both"
            clearable
            data={[
              { value: 'entry', label: 'entry' },
              { value: 'exit', label: 'exit' },
            ]}
            value={values.direction ?? null}
            onChange={(direction) => update({ direction })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 6, md: 3 }}>
          <TextInput type="datetime-local" label="From" value={values.from ?? ''} onChange={(event) => update({ from: event.currentTarget.value })} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 6, md: 3 }}>
          <TextInput type="datetime-local" label="Until" value={values.to ?? ''} onChange={(event) => update({ to: event.currentTarget.value })} />
        </Grid.Col>
      </Grid>
      <QueryState query={checks} isEmpty={(page) => page.total === 0} empty="No checks recorded under these filters.">
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={800}>
              <Table striped aria-label="Check log">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Ticket</Table.Th>
                    <Table.Th>Robot</Table.Th>
                    <Table.Th>Direction</Table.Th>
                    <Table.Th>Decision</Table.Th>
                    <Table.Th>Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((check) => (
                    <Table.Tr key={check.id} data-testid={`check-${check.id}`}>
                      <Table.Td>{formatDateTime(check.checked_at)}</Table.Td>
                      <Table.Td>
                        <Text ff="monospace" size="sm">
                          {check.ticket_code}
                        </Text>
                      </Table.Td>
                      <Table.Td>{check.robot_name}</Table.Td>
                      <Table.Td>{check.direction}</Table.Td>
                      <Table.Td>
                        <Badge color={DECISION_COLOR[check.decision]} variant="light">
                          {words(check.decision)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{check.reason}</Text>
                      </Table.Td>
                    </Table.Tr>
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
