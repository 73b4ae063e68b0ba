import { Badge, Button, Card, Grid, Group, Modal, Select, Table, Title } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../components/format';
import { setOrDelete, useLatestSearchParams } from '../../components/latest-search-params';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { IssueLoanForm } from './IssueLoanForm';
import { useLoanNames } from './loan-names';
import { LoanModal } from './LoanModal';
import { LOAN_STATUS_COLOR, LOAN_STATUS_LABEL, PAGE_SIZE, useAllToolkits, useLoans, type Loan, type LoanStatus } from './tools-queries';

const STATUSES = Object.keys(LOAN_STATUS_LABEL) as LoanStatus[];

/** Loans of toolkits to engineers, live: issue one, return it with photos, resolve a review. */
export function LoansPanel() {
  const [params, patchParams] = useLatestSearchParams();
  const status = STATUSES.find((s) => s === params.get('status'));
  const toolkitId = params.get('loan_kit') ?? undefined;
  const offset = Number(params.get('offset') ?? 0) || 0;
  const opened = params.get('loan');
  const loans = useLoans({ status, toolkit_id: toolkitId, offset });
  const toolkits = useAllToolkits();
  const names = useLoanNames();
  const [issuing, setIssuing] = useState(false);

  const update = (changes: Record<string, string | null | undefined>) =>
    patchParams((next) => setOrDelete(next, changes), { replace: false });

  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Loans
        </Title>
        <Button size="xs" onClick={() => setIssuing(true)}>
          Issue a kit
        </Button>
      </Group>
      <Grid mb="sm">
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={STATUSES.map((s) => ({ value: s, label: LOAN_STATUS_LABEL[s] }))}
            value={status ?? null}
            onChange={(value) => update({ status: value, offset: null })}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Select
            label="Toolkit"
            placeholder="Any toolkit"
            clearable
            searchable
            data={(toolkits.data?.items ?? []).map((kit) => ({ value: kit.id, label: kit.name }))}
            value={toolkitId ?? null}
            onChange={(value) => update({ loan_kit: value, offset: null })}
          />
        </Grid.Col>
      </Grid>
      <QueryState query={loans} isEmpty={(data) => data.total === 0} empty={status || toolkitId ? 'No loan matches these filters.' : 'No kit has been lent yet.'}>
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Toolkit</Table.Th>
                    <Table.Th>Engineer</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Issued</Table.Th>
                    <Table.Th>Returned</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((loan) => (
                    <LoanRow key={loan.id} loan={loan} toolkit={names.toolkit(loan)} engineer={names.engineer(loan)} onOpen={() => update({ loan: loan.id })} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={data.total} limit={PAGE_SIZE} offset={offset} onOffset={(next) => update({ offset: next ? String(next) : null })} />
          </>
        )}
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={issuing} onClose={() => setIssuing(false)} title="Issue a kit">
        {issuing && (
          <IssueLoanForm
            onDone={(loan) => {
              setIssuing(false);
              if (loan) update({ loan: loan.id });
            }}
          />
        )}
      </Modal>
      {opened && <LoanModal id={opened} onClose={() => update({ loan: null })} />}
    </Card>
  );
}

function LoanRow({ loan, toolkit, engineer, onOpen }: { loan: Loan; toolkit: string; engineer: string; onOpen: () => void }) {
  const action = loan.status === 'issued' ? 'Return' : loan.status === 'needs_review' ? 'Review' : 'Details';
  return (
    <Table.Tr>
      <Table.Td>{toolkit}</Table.Td>
      <Table.Td>{engineer}</Table.Td>
      <Table.Td>
        <Badge color={LOAN_STATUS_COLOR[loan.status]} variant="light" tt="none">
          {LOAN_STATUS_LABEL[loan.status]}
        </Badge>
      </Table.Td>
      <Table.Td>{formatDateTime(loan.issued_at)}</Table.Td>
      <Table.Td>{formatDateTime(loan.returned_at)}</Table.Td>
      <Table.Td ta="right">
        <Button size="compact-xs" variant={action === 'Details' ? 'default' : 'filled'} onClick={onOpen} aria-label={`${action}: ${toolkit} lent to ${engineer}`}>
          {action}
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
