import { Badge, Tabs } from '@mantine/core';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { OrdersPanel } from './OrdersPanel';
import { OutboxPanel } from './OutboxPanel';
import { ShopDetail } from './ShopDetail';
import { ShopList } from './ShopList';
import { useFailedExportCount } from './shops-queries';

const TABS = [
  { value: 'shops', label: 'Shops and products', path: '/shops' },
  { value: 'orders', label: 'Orders', path: '/shops/orders' },
  { value: 'exports', label: 'Accounting export', path: '/shops/exports' },
] as const;

/** Which tab a path belongs to: a shop's own page (/shops/<id>) is under "Shops and products". */
const tabOf = (pathname: string) => TABS.find((tab) => tab.value !== 'shops' && pathname.startsWith(tab.path))?.value ?? 'shops';

export default function ShopsPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const failed = useFailedExportCount();

  return (
    <>
      <PageHeader title="Shops" description="The station's shops, their opening hours and products, the orders robots place, and the export to accounting." />
      <Tabs value={tabOf(location.pathname)} onChange={(value) => navigate(TABS.find((tab) => tab.value === value)?.path ?? '/shops')} mb="md">
        <Tabs.List>
          {TABS.map((tab) => (
            <Tabs.Tab
              key={tab.value}
              value={tab.value}
              rightSection={
                tab.value === 'exports' && (failed.data ?? 0) > 0 ? (
                  <Badge color="red" size="sm" aria-label={`${failed.data} failed`}>
                    {failed.data}
                  </Badge>
                ) : undefined
              }
            >
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route index element={<ShopList />} />
        <Route path="orders" element={<OrdersPanel />} />
        <Route path="exports" element={<OutboxPanel />} />
        <Route path=":shopId" element={<ShopDetail />} />
      </Routes>
    </>
  );
}
