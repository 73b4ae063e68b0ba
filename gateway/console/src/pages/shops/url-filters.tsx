import { TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useUrlFilters } from '../../components/useSearchFilters';

/** A search box written to the URL parameter `name` 300 ms after typing stops. */
export function UrlSearchInput({ name = 'q', label, placeholder }: { name?: string; label: string; placeholder?: string }) {
  const { params, update } = useUrlFilters();
  const inUrl = params.get(name) ?? '';
  const [text, setText] = useState(inUrl);
  const [debounced] = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if (debounced !== inUrl) update({ [name]: debounced || undefined });
    // Written only when the typed text settles; the URL changing (back button) does not retype it.
  }, [debounced]);
  return <TextInput label={label} placeholder={placeholder} value={text} onChange={(event) => setText(event.currentTarget.value)} w={260} />;
}
