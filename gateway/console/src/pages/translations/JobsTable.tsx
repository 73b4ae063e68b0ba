import { Card, Group, Progress, SegmentedControl, Table, Text, UnstyledButton } from '@mantine/core';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../components/format';
import { JobStatusBadge, percentOf } from './JobStatusBadge';
import { JOB_STATUSES, PAGE_SIZE, useJobs, type JobStatus } from './translator-api';

interface JobsTableProps {
  status: JobStatus | null;
  offset: number;
  selected: string | null;
  onFilter: (status: JobStatus | null) => void;
  onOffset: (offset: number) => void;
  onSelect: (id: string) => void;
}

/** Every job, newest first, with its status and progress; a row opens the job. */
export function JobsTable({ status, offset, selected, onFilter, onOffset, onSelect }: JobsTableProps) {
  const jobs = useJobs(status, offset);
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Text fw={600}>Jobs</Text>
        <SegmentedControl
          size="xs"
          aria-label="Filter jobs by status"
          value={status ?? 'all'}
          onChange={(value) => onFilter(value === 'all' ? null : (value as JobStatus))}
          data={[{ value: 'all', label: 'All' }, ...JOB_STATUSES.map((value) => ({ value, label: value }))]}
        />
      </Group>
      <QueryState query={jobs} isEmpty={(page) => page.total === 0} empty={status ? `No ${status} jobs.` : 'No translation jobs yet: upload a file and create one.'}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={560}>
              <Table highlightOnHover aria-label="Translation jobs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Languages</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th w={160}>Progress</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((job) => (
                    <Table.Tr key={job.id} bg={job.id === selected ? 'var(--mantine-primary-color-light)' : undefined} aria-selected={job.id === selected}>
                      <Table.Td>
                        <UnstyledButton onClick={() => onSelect(job.id)} aria-label={`Open job ${job.id}`} td="underline">
                          {formatDateTime(job.created_at)}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td>
                        {job.source_language} → {job.target_languages.join(', ')}
                      </Table.Td>
                      <Table.Td>
                        <JobStatusBadge status={job.status} />
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Progress value={percentOf(job.progress)} style={{ flex: 1 }} aria-label={`Progress of job ${job.id}`} />
                          <Text size="xs" miw={40} ta="right" style={{ whiteSpace: 'nowrap' }}>
                            {percentOf(job.progress)} %
                          </Text>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={PAGE_SIZE} offset={offset} onOffset={onOffset} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
