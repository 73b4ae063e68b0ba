import { Alert, Badge, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { visionApi } from '../../api/clients/vision';
import { unwrap } from '../../api/http';
import { formatDateTime } from '../../components/format';
import { QueryState } from '../../components/QueryState';
import { ComparisonVerdict, KitComparisonTable } from './KitComparisonTable';
import { useLoanNames } from './loan-names';
import { PhotoResults } from './PhotoResults';
import { ResolveReviewForm } from './ResolveReviewForm';
import { ReturnLoanForm } from './ReturnLoanForm';
import { LOAN_STATUS_COLOR, LOAN_STATUS_LABEL, LOANS_INTERVAL_MS, TOOLS_KEY, type Loan } from './tools-queries';

/** One loan: return it with photos while issued, then what the photos showed, and the review. */
export function LoanModal({ id, onClose }: { id: string; onClose: () => void }) {
  const loan = useQuery({
    queryKey: [...TOOLS_KEY, 'loan', id],
    queryFn: () => unwrap(visionApi.GET('/transactions/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data?.status === 'issued' ? LOANS_INTERVAL_MS : false),
  });
  const names = useLoanNames();
  const title = loan.data ? `${names.toolkit(loan.data)} → ${names.engineer(loan.data)}` : 'Loan';
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened onClose={onClose} title={title} size="xl">
      <QueryState query={loan}>{(data) => <LoanDetails loan={data} />}</QueryState>
    </Modal>
  );
}

function LoanDetails({ loan }: { loan: Loan }) {
  const comparison = loan.comparison;
  return (
    <Stack>
      <Group gap="md" wrap="wrap">
        <Badge color={LOAN_STATUS_COLOR[loan.status]} size="lg" tt="none" data-testid="loan-status">
          {LOAN_STATUS_LABEL[loan.status]}
        </Badge>
        <Text size="sm">Issued {formatDateTime(loan.issued_at)}</Text>
        {loan.returned_at && <Text size="sm">Returned {formatDateTime(loan.returned_at)}</Text>}
      </Group>
      {loan.status === 'issued' && <ReturnLoanForm loan={loan} />}
      {comparison && (
        <>
          {comparison.reasons.length > 0 && (
            <Alert color={loan.detected_status === 'needs_review' ? 'orange' : 'red'} title={`The photos showed: ${LOAN_STATUS_LABEL[loan.detected_status ?? loan.status].toLowerCase()}`}>
              <List size="sm">
                {comparison.reasons.map((reason) => (
                  <List.Item key={reason}>{reason}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <ComparisonVerdict comparison={comparison} />
          {/* The dialog is narrower than the page: the table first, the photos under it. */}
          <KitComparisonTable comparison={comparison} />
          <PhotoResults photos={comparison.photos} />
        </>
      )}
      {loan.status === 'needs_review' && <ResolveReviewForm loan={loan} />}
      {loan.review && (
        <Alert color="gray" title="Review">
          <Text size="sm">
            Resolved as {LOAN_STATUS_LABEL[loan.status].toLowerCase()} on {formatDateTime(loan.review.resolved_at)} by {loan.review.resolved_by}: “{loan.review.reason}”
          </Text>
        </Alert>
      )}
    </Stack>
  );
}
