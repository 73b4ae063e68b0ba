import { Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { ENGINEER_ROLES } from './roles';

export type StatusFilter = 'active' | 'inactive' | 'all';

export interface FilterValues {
  name: string;
  role: string | null;
  status: StatusFilter;
}

/** Name (debounced), role and status; the page keeps them in the URL. */
export function EngineerFilters({ value, onChange }: { value: FilterValues; onChange: (next: Partial<FilterValues>) => void }) {
  const [name, setName] = useState(value.name);
  const [debounced] = useDebouncedValue(name, 300);
  useEffect(() => {
    if (debounced !== value.name) onChange({ name: debounced });
    // Only a settled change of the typed name updates the URL.
  }, [debounced]);

  return (
    <Group align="flex-end" gap="sm" wrap="wrap" mb="sm">
      <TextInput label="Search by name" placeholder="First or last name" value={name} onChange={(e) => setName(e.currentTarget.value)} w={{ base: '100%', sm: 260 }} />
      <Select label="Role" placeholder="Any role" data={ENGINEER_ROLES} value={value.role} onChange={(role) => onChange({ role })} clearable w={{ base: '100%', sm: 180 }} />
      <SegmentedControl
        aria-label="Status"
        value={value.status}
        onChange={(status) => onChange({ status: status as StatusFilter })}
        data={[
          { value: 'active', label: 'Active' },
          { value: 'inactive', label: 'Deactivated' },
          { value: 'all', label: 'All' },
        ]}
      />
    </Group>
  );
}
