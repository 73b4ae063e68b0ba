import { Badge, Group, Table, Text } from '@mantine/core';
import type { KitComparison, KitLine } from './tools-queries';

const percent = (confidence: number | null) => (confidence === null ? '—' : `${Math.round(confidence * 100)} %`);
const times = (count: number, className: string) => (count > 1 ? `${className} × ${count}` : className);

/** The per-class table of a kit check: expected, found, missing, extra and the lowest confidence. */
export function KitComparisonTable({ comparison }: { comparison: KitComparison }) {
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table striped horizontalSpacing="xs" data-testid="kit-comparison" aria-label="Per-class comparison">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Class</Table.Th>
            <Table.Th ta="right">Expected</Table.Th>
            <Table.Th ta="right">Found</Table.Th>
            <Table.Th ta="right">Missing</Table.Th>
            <Table.Th ta="right">Extra</Table.Th>
            <Table.Th ta="right">Confidence</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {comparison.lines.map((line) => (
            <LineRow key={line.class_name} line={line} />
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr fw={600}>
            <Table.Td>Total</Table.Td>
            <Table.Td ta="right">{comparison.expected_total}</Table.Td>
            <Table.Td ta="right">{comparison.found_total}</Table.Td>
            <Table.Td ta="right">{comparison.missing_total}</Table.Td>
            <Table.Td ta="right">{comparison.extra_total}</Table.Td>
            <Table.Td />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}

function LineRow({ line }: { line: KitLine }) {
  const tone = line.missing > 0 ? 'red' : line.extra > 0 ? 'orange' : undefined;
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500} c={tone}>
          {line.class_name}
        </Text>
        <Text size="xs" c="dimmed">
          {line.tools.length ? line.tools.join(', ') : 'not part of the kit'}
        </Text>
      </Table.Td>
      <Table.Td ta="right">{line.expected}</Table.Td>
      <Table.Td ta="right">{line.found}</Table.Td>
      <Table.Td ta="right" c={line.missing ? 'red' : undefined}>
        {line.missing}
      </Table.Td>
      <Table.Td ta="right" c={line.extra ? 'orange' : undefined}>
        {line.extra}
      </Table.Td>
      <Table.Td ta="right">{percent(line.confidence)}</Table.Td>
    </Table.Tr>
  );
}

/** "complete", or what is missing and extra ("missing: hammer", "extra: utility_knife × 2"). */
export function ComparisonVerdict({ comparison }: { comparison: KitComparison }) {
  if (comparison.complete) {
    return (
      <Badge color="green" size="lg" tt="none">
        Kit complete
      </Badge>
    );
  }
  return (
    <Group gap="xs" data-testid="kit-verdict">
      {comparison.lines
        .filter((line) => line.missing > 0)
        .map((line) => (
          <Badge key={`m-${line.class_name}`} color="red" size="lg" tt="none">
            missing: {times(line.missing, line.class_name)}
          </Badge>
        ))}
      {comparison.lines
        .filter((line) => line.extra > 0)
        .map((line) => (
          <Badge key={`e-${line.class_name}`} color="orange" size="lg" tt="none">
            extra: {times(line.extra, line.class_name)}
          </Badge>
        ))}
    </Group>
  );
}
