import { PageHeader } from '../../components/PageHeader';

export default function RobotsPage() {
  return <PageHeader title="Robots" />;
}
