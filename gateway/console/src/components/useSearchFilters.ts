import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Filters kept in the URL's search params, so a filtered list is a link that can be shared or
 * reloaded. Setting a filter resets `offset` (the old page may not exist under the new filter).
 */
export function useSearchFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => Object.fromEntries(keys.map((key) => [key, params.get(key) ?? undefined])) as Record<K, string | undefined>, [keys, params]);
  const offset = Number(params.get('offset') ?? 0) || 0;

  const update = useCallback(
    (patch: Partial<Record<K | 'offset' | 'tab', string | number | undefined | null>>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (!('offset' in patch)) next.delete('offset');
          for (const [key, value] of Object.entries(patch)) {
            if (value === undefined || value === null || value === '' || value === 0) next.delete(key);
            else next.set(key, String(value));
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return { values, offset, update };
}

/** `datetime-local` input text (the operator's zone) to ISO 8601, or undefined when empty/invalid. */
export function localInputToIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** An instant as `datetime-local` input text in the operator's zone. */
export function isoToLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
