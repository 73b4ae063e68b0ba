import { TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A list's filters live in the URL search params (deep links, back button). `update` sets or
 * clears several at once and goes back to the first page unless it sets `offset` itself.
 */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(changes)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      if (!('offset' in changes)) next.delete('offset');
      return next;
    });
  return { params, update, offset: Number(params.get('offset') ?? 0) };
}

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
