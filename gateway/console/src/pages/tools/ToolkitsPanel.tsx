import { Button, Card, Grid, Group, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { setOrDelete, useLatestSearchParams } from '../../components/latest-search-params';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { ToolkitEditor } from './ToolkitEditor';
import { ToolkitForm } from './ToolkitForm';
import { PAGE_SIZE, useToolkitPage, type Toolkit } from './tools-queries';

const NEW = 'new';

/** The toolkits (left) and the selected one's editor or the new-kit form (right); `?kit=` deep-links. */
export function ToolkitsPanel() {
  const [params, patchParams] = useLatestSearchParams();
  const offset = Number(params.get('offset') ?? 0) || 0;
  const selected = params.get('kit');
  const page = useToolkitPage(offset);

  const update = (changes: Record<string, string | null>) =>
    patchParams((next) => setOrDelete(next, changes), { replace: false });

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              Toolkits
            </Title>
            <Button size="xs" onClick={() => update({ kit: NEW })}>
              New toolkit
            </Button>
          </Group>
          <QueryState query={page} isEmpty={(data) => data.total === 0} empty="No toolkits yet: create the first one.">
            {(data) => (
              <>
                <Table.ScrollContainer minWidth={320}>
                  <Table highlightOnHover>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Name</Table.Th>
                        <Table.Th ta="right">Tools</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.items.map((kit) => (
                        <ToolkitRow key={kit.id} kit={kit} selected={kit.id === selected} onSelect={() => update({ kit: kit.id })} />
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
                <Pager total={data.total} limit={PAGE_SIZE} offset={offset} onOffset={(next) => update({ offset: next ? String(next) : null })} />
              </>
            )}
          </QueryState>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        {selected === NEW ? (
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              New toolkit
            </Title>
            <ToolkitForm onSaved={(kit) => update({ kit: kit.id })} onCancel={() => update({ kit: null })} />
          </Card>
        ) : selected ? (
          <ToolkitEditor id={selected} onDeleted={() => update({ kit: null })} />
        ) : (
          <Text c="dimmed" p="lg" ta="center">
            Select a toolkit to edit it and its items.
          </Text>
        )}
      </Grid.Col>
    </Grid>
  );
}

function ToolkitRow({ kit, selected, onSelect }: { kit: Toolkit; selected: boolean; onSelect: () => void }) {
  const pieces = kit.items.reduce((total, item) => total + item.quantity, 0);
  return (
    <Table.Tr bg={selected ? 'var(--mantine-primary-color-light)' : undefined} aria-selected={selected}>
      <Table.Td>
        <UnstyledButton onClick={onSelect} fw={500} aria-label={`Edit toolkit ${kit.name}`}>
          {kit.name}
        </UnstyledButton>
        {kit.description && (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {kit.description}
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">{pieces}</Table.Td>
    </Table.Tr>
  );
}
