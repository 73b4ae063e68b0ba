import { useCallback, useMemo } from 'react';
import { useLatestSearchParams } from './latest-search-params';

type FilterPatch = Record<string, string | number | undefined | null>;

/**
 * Filters kept in the URL's search params, so a filtered list is a link that can be shared or
 * reloaded. `update` sets or clears several at once (empty, null and 0 clear) and resets `offset`
 * unless it sets it (the old page may not exist under the new filter).
 */
export function useUrlFilters() {
  const [params, patchParams] = useLatestSearchParams();
  const offset = Number(params.get('offset') ?? 0) || 0;
  const update = useCallback(
    (patch: FilterPatch) =>
      patchParams((next) => {
        if (!('offset' in patch)) next.delete('offset');
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined || value === null || value === '' || value === 0) next.delete(key);
          else next.set(key, String(value));
        }
      }),
    [patchParams],
  );
  return { params, offset, update };
}

/** {@link useUrlFilters} with the named filters read out: `values.status`, `values.train`, ... */
export function useSearchFilters<K extends string>(keys: readonly K[]) {
  const { params, offset, update } = useUrlFilters();
  const values = useMemo(() => Object.fromEntries(keys.map((key) => [key, params.get(key) ?? undefined])) as Record<K, string | undefined>, [keys, params]);
  return { values, offset, update: update as (patch: Partial<Record<K | 'offset' | 'tab', string | number | undefined | null>>) => void };
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
