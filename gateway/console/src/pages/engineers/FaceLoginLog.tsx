import { Anchor, Badge, Group, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../components/format';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { FACE_LOGINS_PAGE_SIZE, useEngineer, useFaceLogins, type FaceLoginAttempt } from './engineers-api';

const OUTCOMES: Record<FaceLoginAttempt['outcome'], { label: string; color: string }> = {
  recognised: { label: 'Recognised', color: 'green' },
  not_recognised: { label: 'Not recognised', color: 'yellow' },
  inactive: { label: 'Deactivated engineer', color: 'orange' },
  rejected_image: { label: 'Image refused', color: 'red' },
  error: { label: 'Error', color: 'red' },
};

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);

/** The engineer's name (one cached read per engineer), opening their details. */
function EngineerLink({ id, onOpen }: { id: string; onOpen: (id: string) => void }) {
  const { data } = useEngineer(id);
  return (
    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(id)}>
      {data ? `${data.first_name} ${data.last_name}` : id.slice(0, 8)}
    </Anchor>
  );
}

/** Every face login attempt at the robots, newest first, refreshed every few seconds. */
export function FaceLoginLog({ robotId, offset, onChange, onOpenEngineer }: { robotId: string; offset: number; onChange: (next: { robot?: string; logOffset?: number }) => void; onOpenEngineer: (id: string) => void }) {
  const [robot, setRobot] = useState(robotId);
  const [debounced] = useDebouncedValue(robot, 300);
  useEffect(() => {
    if (debounced.trim() !== robotId) onChange({ robot: debounced.trim(), logOffset: 0 });
  }, [debounced]);
  const logins = useFaceLogins(robotId || undefined, offset);

  return (
    <>
      <Group mb="sm">
        <TextInput label="Robot" placeholder="Robot client id" value={robot} onChange={(e) => setRobot(e.currentTarget.value)} w={{ base: '100%', sm: 280 }} />
      </Group>
      <QueryState query={logins} isEmpty={(page) => page.total === 0} empty="No face login attempts yet.">
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={820}>
              <Table striped aria-label="Face login attempts">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Robot</Table.Th>
                    <Table.Th>Outcome</Table.Th>
                    <Table.Th>Engineer</Table.Th>
                    <Table.Th>Similarity / threshold</Table.Th>
                    <Table.Th>Frames</Table.Th>
                    <Table.Th>Detail</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((attempt) => (
                    <Table.Tr key={attempt.id}>
                      <Table.Td>{formatDateTime(attempt.created_at)}</Table.Td>
                      <Table.Td>{attempt.robot_id}</Table.Td>
                      <Table.Td>
                        <Badge color={OUTCOMES[attempt.outcome]?.color ?? 'gray'} variant="light">
                          {OUTCOMES[attempt.outcome]?.label ?? attempt.outcome}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{attempt.engineer_id ? <EngineerLink id={attempt.engineer_id} onOpen={onOpenEngineer} /> : '—'}</Table.Td>
                      <Table.Td>
                        {percent(attempt.similarity)} / {percent(attempt.threshold)}
                      </Table.Td>
                      <Table.Td>{attempt.frames}</Table.Td>
                      <Table.Td>
                        <Text size="xs" lineClamp={2} title={attempt.detail ?? undefined}>
                          {attempt.detail ?? '—'}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={FACE_LOGINS_PAGE_SIZE} offset={offset} onOffset={(next) => onChange({ logOffset: next })} />
          </>
        )}
      </QueryState>
    </>
  );
}
