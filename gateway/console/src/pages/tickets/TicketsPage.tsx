import { Button, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { BoardingDecisions } from './BoardingDecisions';
import { CheckLog } from './CheckLog';
import { CreateTicketModal } from './CreateTicketModal';
import { ImportTicketsModal } from './ImportTicketsModal';
import { TicketList } from './TicketList';

const TABS = ['tickets', 'checks', 'boarding'] as const;
type Tab = (typeof TABS)[number];

/** Tickets, the robots' check log and the signed boarding decisions; the tab and its filters live in the URL. */
export default function TicketsPage() {
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((name) => name === params.get('tab')) ?? 'tickets';
  const [dialog, setDialog] = useState<'create' | 'import' | null>(null);

  // Each tab has its own filters: switching starts from a clean URL.
  const openTab = (next: string | null) => setParams(next && next !== 'tickets' ? { tab: next } : {});

  return (
    <>
      <PageHeader
        title="Tickets"
        description="Search and manage tickets, follow the robots' checks and audit boarding decisions."
        actions={
          <>
            <Button variant="default" onClick={() => setDialog('import')}>
              Import…
            </Button>
            <Button onClick={() => setDialog('create')}>New ticket</Button>
          </>
        }
      />
      <Tabs value={tab} onChange={openTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="tickets">Tickets</Tabs.Tab>
          <Tabs.Tab value="checks">Check log</Tabs.Tab>
          <Tabs.Tab value="boarding">Boarding decisions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="tickets">
          <TicketList />
        </Tabs.Panel>
        <Tabs.Panel value="checks">
          <CheckLog />
        </Tabs.Panel>
        <Tabs.Panel value="boarding">
          <BoardingDecisions />
        </Tabs.Panel>
      </Tabs>
      <CreateTicketModal opened={dialog === 'create'} onClose={() => setDialog(null)} />
      <ImportTicketsModal opened={dialog === 'import'} onClose={() => setDialog(null)} />
    </>
  );
}
