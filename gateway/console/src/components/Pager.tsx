import { Group, Pagination, Text } from '@mantine/core';

/** Paging of an offset list (`{ items, total, limit, offset }`, the fleet's list convention). */
export function Pager({ total, limit, offset, onOffset }: { total: number; limit: number; offset: number; onOffset: (offset: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed">
        {total === 0 ? 'None' : `${offset + 1}–${Math.min(offset + limit, total)} of ${total}`}
      </Text>
      {pages > 1 && <Pagination size="sm" total={pages} value={page} onChange={(next) => onOffset((next - 1) * limit)} />}
    </Group>
  );
}
