import { PageHeader } from '../../components/PageHeader';

export default function ToolsPage() {
  return <PageHeader title="Tools" />;
}
