import { PageHeader } from '../../components/PageHeader';

export default function ShopsPage() {
  return <PageHeader title="Shops" />;
}
