import { Badge, Group, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import { QueryState } from '../../components/QueryState';
import { formatBytes } from '../../components/format';
import { useInstances } from './overview-queries';

/** The public services the gateway routes; each gets a row even when none of its instances reports. */
const GATEWAY_SERVICES = ['base', 'store', 'vision', 'video', 'translator'];

/** Every instance of every service (the roll call), grouped by service, with its dependencies. */
export function InstancesPanel() {
  const instances = useInstances();
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h4" mb="sm">
        Services and instances
      </Title>
      <QueryState query={instances}>
        {(roster) => {
          const services = [...new Set([...GATEWAY_SERVICES, ...roster.items.map((item) => item.service)])].sort();
          return (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing={4} striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Service</Table.Th>
                    <Table.Th>Instance</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Dependencies</Table.Th>
                    <Table.Th ta="right">Memory</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {services.map((service) => {
                    const rows = roster.items.filter((item) => item.service === service);
                    const up = rows.filter((row) => row.state === 'reporting' && row.status === 'healthy').length;
                    const serviceState = rows.length === 0 ? 'no instance' : up === rows.length ? 'up' : up === 0 ? 'down' : 'degraded';
                    return rows.length === 0 ? (
                      <Table.Tr key={service} data-testid={`health-${service}`}>
                        <Table.Td fw={600}>{service}</Table.Td>
                        <Table.Td colSpan={4}>
                          <Badge color="red">{serviceState}</Badge>
                        </Table.Td>
                      </Table.Tr>
                    ) : (
                      rows.map((row, index) => (
                        <Table.Tr key={row.instance} data-testid={index === 0 ? `health-${service}` : undefined}>
                          <Table.Td fw={600}>
                            {index === 0 && (
                              <Group gap={6}>
                                {service}
                                <Badge size="sm" variant="light" color={serviceState === 'up' ? 'green' : serviceState === 'degraded' ? 'yellow' : 'red'}>
                                  {serviceState}
                                </Badge>
                              </Group>
                            )}
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>
                            <Text size="sm">{row.instance}</Text>
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>
                            {row.state === 'silent' ? (
                              <Tooltip label={`No report for ${Math.round(row.last_report_age_ms / 1000)} s`}>
                                <Badge color="gray">silent</Badge>
                              </Tooltip>
                            ) : (
                              <Badge color={row.status === 'healthy' ? 'green' : 'red'} variant="light" tt="none">
                                {row.status}
                              </Badge>
                            )}
                          </Table.Td>
                          <Table.Td>
                            <Group gap={4}>
                              {Object.entries(row.dependencies).map(([name, state]) => (
                                <Tooltip key={name} label={row.errors?.[name] ?? `${name} is ${state}`}>
                                  <Badge size="sm" variant="dot" tt="none" color={state === 'up' ? 'green' : 'red'}>
                                    {name}
                                  </Badge>
                                </Tooltip>
                              ))}
                            </Group>
                          </Table.Td>
                          <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                            <Text size="sm">{formatBytes(row.rss_bytes)}</Text>
                          </Table.Td>
                        </Table.Tr>
                      ))
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          );
        }}
      </QueryState>
    </Paper>
  );
}
