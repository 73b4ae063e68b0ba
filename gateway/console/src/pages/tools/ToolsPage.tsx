import { Stack, Tabs } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { KitCheckPanel } from './KitCheckPanel';
import { LoansPanel } from './LoansPanel';
import { ToolCatalogue } from './ToolCatalogue';
import { ToolkitsPanel } from './ToolkitsPanel';

const TABS = ['toolkits', 'check', 'loans', 'catalogue'] as const;
type Tab = (typeof TABS)[number];

/** Toolkits and their items, checking a kit from photos, and the loans of kits to engineers. */
export default function ToolsPage() {
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = TABS.includes(requested as Tab) ? (requested as Tab) : 'toolkits';
  // Each tab keeps its own filters in the URL; changing tab starts from a clean slate.
  const select = (next: string | null) => setParams(next && next !== 'toolkits' ? { tab: next } : {});

  return (
    <Stack>
      <PageHeader title="Tools" description="Toolkits and what they hold, kit checks from photos, and loans to engineers." />
      <Tabs value={tab} onChange={select} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="toolkits">Toolkits</Tabs.Tab>
          <Tabs.Tab value="check">Check a kit</Tabs.Tab>
          <Tabs.Tab value="loans">Loans</Tabs.Tab>
          <Tabs.Tab value="catalogue">Tools catalogue</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="toolkits">
          <ToolkitsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="check">
          <KitCheckPanel />
        </Tabs.Panel>
        <Tabs.Panel value="loans">
          <LoansPanel />
        </Tabs.Panel>
        <Tabs.Panel value="catalogue">
          <ToolCatalogue />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
