import { PageHeader } from '../../components/PageHeader';

export default function EngineersPage() {
  return <PageHeader title="Engineers" />;
}
