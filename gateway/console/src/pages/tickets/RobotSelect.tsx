import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { baseApi } from '../../api/clients/base';
import { unwrap } from '../../api/http';

/** A robot filter by name (the registry's first 500 robots; logs filter by robot id). */
export function RobotSelect({ value, onChange }: { value: string | undefined; onChange: (robotId: string | undefined) => void }) {
  const robots = useQuery({
    queryKey: ['base', 'robots', 'names'],
    queryFn: () => unwrap(baseApi.GET('/admin/robots', { params: { query: { limit: 500 } } })),
    staleTime: 60_000,
  });
  return (
    <Select
      label="Robot"
      placeholder={robots.isError ? 'Robots unavailable' : 'Any robot'}
      clearable
      searchable
      nothingFoundMessage="No robot of that name"
      data={(robots.data?.items ?? []).map((robot) => ({ value: robot.id, label: `${robot.name} (${robot.station})` }))}
      value={value ?? null}
      onChange={(robotId) => onChange(robotId ?? undefined)}
    />
  );
}
