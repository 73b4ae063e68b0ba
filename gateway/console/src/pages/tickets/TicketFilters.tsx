import { Button, Grid, Group, Select, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { TICKET_STATUSES, words } from './ticket-api';

export const TICKET_FILTER_KEYS = ['code', 'passenger', 'train', 'departure_station', 'status', 'valid_at'] as const;
export type TicketFilterValues = Record<(typeof TICKET_FILTER_KEYS)[number], string | undefined>;

const EMPTY: TicketFilterValues = { code: undefined, passenger: undefined, train: undefined, departure_station: undefined, status: undefined, valid_at: undefined };

/** The ticket search: text fields apply on Enter or "Search", the status at once. */
export function TicketFilters({ values, onChange }: { values: TicketFilterValues; onChange: (values: Partial<TicketFilterValues>) => void }) {
  const [draft, setDraft] = useState(values);
  const field = (key: keyof TicketFilterValues) => ({
    value: draft[key] ?? '',
    onChange: (event: { currentTarget: { value: string } }) => setDraft({ ...draft, [key]: event.currentTarget.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };

  return (
    <form onSubmit={submit} aria-label="Search tickets">
      <Grid align="flex-end" mb="md">
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <TextInput label="Passenger" description="Part of the name" {...field('passenger')} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 6, md: 2 }}>
          <TextInput label="Ticket code" description="Exact" {...field('code')} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 4, md: 2 }}>
          <TextInput label="Train" description="Exact" {...field('train')} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 4, md: 2 }}>
          <TextInput label="Departure station" description="Exact" {...field('departure_station')} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 4, md: 3 }}>
          <TextInput type="datetime-local" label="Valid at" description="Window contains this time" {...field('valid_at')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}>
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={TICKET_STATUSES.map((status) => ({ value: status, label: words(status) }))}
            value={draft.status ?? null}
            onChange={(status) => {
              setDraft({ ...draft, status: status ?? undefined });
              onChange({ ...draft, status: status ?? undefined });
            }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 9 }}>
          <Group gap="xs">
            <Button type="submit">Search</Button>
            <Button
              variant="subtle"
              onClick={() => {
                setDraft(EMPTY);
                onChange(EMPTY);
              }}
            >
              Clear
            </Button>
          </Group>
        </Grid.Col>
      </Grid>
    </form>
  );
}
