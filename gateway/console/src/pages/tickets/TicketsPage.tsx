import { PageHeader } from '../../components/PageHeader';

export default function TicketsPage() {
  return <PageHeader title="Tickets" />;
}
