import { PageHeader } from '../../components/PageHeader';

export default function DronesPage() {
  return <PageHeader title="Drones" />;
}
