import { PageHeader } from '../../components/PageHeader';

export default function TranslationsPage() {
  return <PageHeader title="Translations" />;
}
