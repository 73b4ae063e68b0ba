import { Title } from '@mantine/core';

/** The heading of a section inside a card or dialog of this page. */
export function SectionTitle({ children }: { children: string }) {
  return (
    <Title order={3} size="h5">
      {children}
    </Title>
  );
}
