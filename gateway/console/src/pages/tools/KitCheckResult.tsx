import { Card, Grid, Group, Stack, Table, Text, Title } from '@mantine/core';
import { ComparisonVerdict, KitComparisonTable } from './KitComparisonTable';
import { PhotoResults } from './PhotoResults';
import type { Prediction } from './tools-queries';

/** A kit check's answer: the annotated photos beside the per-class table (or the detections, without a kit). */
export function KitCheckResult({ prediction }: { prediction: Prediction }) {
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">
          {prediction.successful} of {prediction.total_images} photo{prediction.total_images === 1 ? '' : 's'} analysed
          {prediction.model && ` by ${prediction.model.name} ${prediction.model.version}`} in {Math.round(prediction.total_time_ms)} ms (confidence ≥{' '}
          {prediction.confidence})
        </Text>
        {prediction.comparison && <ComparisonVerdict comparison={prediction.comparison} />}
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <PhotoResults photos={prediction.results} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">
              {prediction.comparison ? 'Against the kit' : 'Detected'}
            </Title>
            {prediction.comparison ? <KitComparisonTable comparison={prediction.comparison} /> : <DetectionSummary prediction={prediction} />}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** Without a kit: how many of each class the photo showing most of it had, and the lowest confidence. */
function DetectionSummary({ prediction }: { prediction: Prediction }) {
  const classes = new Map<string, { found: number; confidence: number }>();
  for (const photo of prediction.results) {
    const perClass = new Map<string, number[]>();
    for (const d of photo.detections) perClass.set(d.class_name, [...(perClass.get(d.class_name) ?? []), d.confidence]);
    for (const [name, scores] of perClass) {
      const known = classes.get(name);
      if (!known || scores.length > known.found) classes.set(name, { found: scores.length, confidence: Math.min(...scores) });
    }
  }
  if (classes.size === 0) return <Text c="dimmed" size="sm">Nothing detected.</Text>;
  return (
    <Table.ScrollContainer minWidth={300}>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Class</Table.Th>
            <Table.Th ta="right">Found</Table.Th>
            <Table.Th ta="right">Confidence</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...classes].sort(([a], [b]) => a.localeCompare(b)).map(([name, line]) => (
            <Table.Tr key={name}>
              <Table.Td>{name}</Table.Td>
              <Table.Td ta="right">{line.found}</Table.Td>
              <Table.Td ta="right">{Math.round(line.confidence * 100)} %</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
