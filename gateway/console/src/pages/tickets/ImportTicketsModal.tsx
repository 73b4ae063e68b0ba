import { Alert, Anchor, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../../api/errors';
import { authorizedFetch, SERVICE_PREFIX } from '../../api/http';
import { ImportReport } from './ImportReport';
import { ticketKeys, type TicketImportReport } from './ticket-api';

const TEMPLATE = [
  'code,passenger_name,train,car,seat,departure_station,valid_from,valid_until',
  'IC-101-0001,Ada Lovelace,IC-101,7,42A,Central,2026-12-01T08:00:00Z,2026-12-01T12:00:00Z',
].join('\n');
const TEMPLATE_URL = `data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE + '\n')}`;

const isJson = (file: File) => file.type === 'application/json' || file.name.toLowerCase().endsWith('.json');

/** The file is sent as it is (text/csv or application/json); the service answers with every rejected row's reasons. */
async function importFile(file: File): Promise<TicketImportReport> {
  const response = await authorizedFetch(`${SERVICE_PREFIX.base}/admin/tickets/import`, {
    method: 'POST',
    headers: { 'Content-Type': isJson(file) ? 'application/json' : 'text/csv' },
    body: file,
  });
  return (await response.json()) as TicketImportReport;
}

export function ImportTicketsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: (file: File) => importFile(file),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ticketKeys.all }),
  });
  const close = () => {
    upload.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title="Import tickets" size="xl">
      <Stack>
        <Text size="sm">
          A CSV file with a header row naming the columns (any order), or a JSON array of tickets. Valid rows with new codes are created; the others are
          listed below with every reason. <Anchor href={TEMPLATE_URL} download="tickets-template.csv">Download a CSV template</Anchor>
        </Text>
        <Dropzone
          onDrop={(files) => files[0] && upload.mutate(files[0])}
          onReject={() => upload.reset()}
          accept={{ 'text/csv': ['.csv'], 'application/json': ['.json'], 'text/plain': ['.csv'] }}
          multiple={false}
          loading={upload.isPending}
          aria-label="Tickets file"
        >
          <Group justify="center" mih={90} style={{ pointerEvents: 'none' }}>
            <div>
              <Text ta="center">Drop a .csv or .json file here, or press to choose one</Text>
              <Text ta="center" size="xs" c="dimmed">
                Up to 10 000 rows
              </Text>
            </div>
          </Group>
        </Dropzone>
        {upload.isPending && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Importing {upload.variables?.name}…</Text>
          </Group>
        )}
        {upload.isError && (
          <Alert color="red" role="alert" title="The file was not imported">
            {describeError(upload.error)}
          </Alert>
        )}
        {upload.data && <ImportReport report={upload.data} fileName={upload.variables?.name} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
