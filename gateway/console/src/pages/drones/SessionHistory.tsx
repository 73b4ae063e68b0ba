import { Badge, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { formatBytes, formatDateTime } from '../../components/format';
import { SESSIONS_PAGE_SIZE, useSessions, type StreamSession } from './drones-api';

function duration(session: StreamSession): string {
  if (session.duration_s === null) return '—';
  const s = Math.round(session.duration_s);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function SessionRow({ session }: { session: StreamSession }) {
  const { video } = session;
  return (
    <Table.Tr>
      <Table.Td miw={96}>
        <Badge variant="light" color={session.kind === 'publish' ? 'blue' : 'grape'}>
          {session.kind}
        </Badge>
      </Table.Td>
      <Table.Td>{formatDateTime(session.started_at)}</Table.Td>
      <Table.Td>{session.ended_at ? formatDateTime(session.ended_at) : <Badge color="green">open</Badge>}</Table.Td>
      <Table.Td>{duration(session)}</Table.Td>
      <Table.Td>{formatBytes(session.bytes)}</Table.Td>
      <Table.Td>{video.codec ? `${video.codec} ${video.width}×${video.height} ${video.fps ?? '?'} fps` : '—'}</Table.Td>
      <Table.Td>{session.client_address}</Table.Td>
      <Table.Td>{session.instance}</Table.Td>
      <Table.Td>{session.end_reason ?? '—'}</Table.Td>
    </Table.Tr>
  );
}

/** The drone's connection history: every publish and play session, newest first. */
export function SessionHistory({ droneId }: { droneId: string }) {
  const [offset, setOffset] = useState(0);
  const query = useSessions(droneId, offset);
  return (
    <QueryState query={query} isEmpty={(page) => page.total === 0} empty="No connections yet: sessions appear when the drone publishes or someone watches.">
      {(page) => (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover aria-label="Connection history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Started</Table.Th>
                  <Table.Th>Ended</Table.Th>
                  <Table.Th>Duration</Table.Th>
                  <Table.Th>Bytes</Table.Th>
                  <Table.Th>Video</Table.Th>
                  <Table.Th>Client</Table.Th>
                  <Table.Th>Instance</Table.Th>
                  <Table.Th>End reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((session) => (
                  <SessionRow key={session.id} session={session} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager total={page.total} limit={SESSIONS_PAGE_SIZE} offset={page.offset} onOffset={setOffset} />
          <Text size="xs" c="dimmed">
            Refreshed every few seconds.
          </Text>
        </>
      )}
    </QueryState>
  );
}
