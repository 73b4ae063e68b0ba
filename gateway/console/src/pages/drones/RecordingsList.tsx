import { Button, Group, Modal, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { formatBytes, formatDateTime } from '../../components/format';
import { SESSIONS_PAGE_SIZE, useRecordings, type Recording } from './drones-api';
import { RecordingPlayer } from './RecordingPlayer';

/** The drone's recorded MP4 segments (drones with recording on), each playable in a dialog. */
export function RecordingsList({ droneId, recording }: { droneId: string; recording: boolean }) {
  const [offset, setOffset] = useState(0);
  const [playing, setPlaying] = useState<Recording | null>(null);
  const query = useRecordings(droneId, offset);
  const empty = recording ? 'No recordings yet: segments appear while the drone streams.' : 'No recordings: recording is off for this drone.';
  return (
    <>
      <QueryState query={query} isEmpty={(page) => page.total === 0} empty={empty}>
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={640}>
              <Table striped aria-label="Recordings">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>File</Table.Th>
                    <Table.Th>Segment</Table.Th>
                    <Table.Th>Size</Table.Th>
                    <Table.Th>Last written</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((item) => (
                    <Table.Tr key={item.file}>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {item.file}
                        </Text>
                      </Table.Td>
                      <Table.Td>{item.segment}</Table.Td>
                      <Table.Td>{formatBytes(item.size_bytes)}</Table.Td>
                      <Table.Td>{formatDateTime(item.modified_at)}</Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          <Button size="xs" variant="light" onClick={() => setPlaying(item)} aria-label={`Play ${item.file}`}>
                            Play
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager total={page.total} limit={SESSIONS_PAGE_SIZE} offset={page.offset} onOffset={setOffset} />
          </>
        )}
      </QueryState>
      <Modal opened={playing !== null} onClose={() => setPlaying(null)} title={playing?.file} size="xl">
        {playing && <RecordingPlayer recording={playing} />}
      </Modal>
    </>
  );
}
