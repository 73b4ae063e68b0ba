import { Button, Modal, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useLatestSearchParams } from '../../components/latest-search-params';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { QueryState } from '../../components/QueryState';
import { notifySuccess } from '../../components/notify';
import { ENGINEERS_PAGE_SIZE, useCreateEngineer, useEngineers, type EngineerFilter } from './engineers-api';
import { EngineerDrawer } from './EngineerDrawer';
import { EngineerFilters, type FilterValues, type StatusFilter } from './EngineerFilters';
import { createBody, EngineerForm } from './EngineerForm';
import { EngineersTable } from './EngineersTable';
import { FaceLoginLog } from './FaceLoginLog';
import { isEngineerRole } from './roles';

const STATUS_FILTER: Record<StatusFilter, boolean | undefined> = { active: true, inactive: false, all: undefined };

/** Engineers: the list with filters, create and edit, faces, and the face-login log. State lives in the URL. */
export default function EngineersPage() {
  const [params, patchParams] = useLatestSearchParams();
  const [creating, setCreating] = useState(false);
  const create = useCreateEngineer();

  const update = (changes: Record<string, string | number | null | undefined>) =>
    patchParams((next) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === undefined || value === '' || value === 0) next.delete(key);
        else next.set(key, String(value));
      }
    });

  const tab = params.get('tab') === 'logins' ? 'logins' : 'engineers';
  const status = (['active', 'inactive', 'all'] as const).find((value) => value === params.get('status')) ?? 'active';
  const role = params.get('role');
  const filters: FilterValues = { name: params.get('name') ?? '', role: isEngineerRole(role) ? role : null, status };
  const filter: EngineerFilter = {
    name: filters.name || undefined,
    role: isEngineerRole(role) ? role : undefined,
    active: STATUS_FILTER[status],
    offset: Number(params.get('offset')) || 0,
  };
  const engineers = useEngineers(filter);
  const openEngineer = (id: string | undefined) => update({ engineer: id });

  return (
    <>
      <PageHeader
        title="Engineers"
        description="The people who work on the robots, their faces for login at the robots, and every face login attempt."
        actions={<Button onClick={() => setCreating(true)}>New engineer</Button>}
      />
      <Tabs value={tab} onChange={(value) => update({ tab: value === 'logins' ? 'logins' : null })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="engineers">Engineers</Tabs.Tab>
          <Tabs.Tab value="logins">Face logins</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="engineers">
          <EngineerFilters value={filters} onChange={(next) => update({ ...next, offset: 0 })} />
          <QueryState query={engineers} isEmpty={(page) => page.total === 0} empty="No engineers match these filters.">
            {(page) => (
              <>
                <EngineersTable engineers={page.items} onOpen={openEngineer} />
                <Pager total={page.total} limit={ENGINEERS_PAGE_SIZE} offset={filter.offset} onOffset={(offset) => update({ offset })} />
              </>
            )}
          </QueryState>
        </Tabs.Panel>
        <Tabs.Panel value="logins">
          <FaceLoginLog robotId={params.get('robot') ?? ''} offset={Number(params.get('logOffset')) || 0} onChange={update} onOpenEngineer={openEngineer} />
        </Tabs.Panel>
      </Tabs>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New engineer" size="lg">
        <EngineerForm
          submitLabel="Create engineer"
          onCancel={() => setCreating(false)}
          onSubmit={async (values) => {
            const engineer = await create.mutateAsync(createBody(values));
            notifySuccess(`${engineer.first_name} ${engineer.last_name} is registered`);
            setCreating(false);
            openEngineer(engineer.id);
          }}
        />
      </Modal>
      <EngineerDrawer engineerId={params.get('engineer') ?? undefined} onClose={() => openEngineer(undefined)} />
    </>
  );
}
