import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The search params the console last asked the router for, while the URL has not caught up.
 * react-router hands a functional setSearchParams the params of the render it was made in, and a
 * navigation reaches the URL and the next render a little later; so two updates close together (a
 * debounced filter firing as the operator clicks a row) would both start from the same old params,
 * and the second would undo the first: the engineer's drawer opened by the click closed again by
 * the filter. Every update here starts from the latest request instead. `seen` holds the search the
 * URL had before the first request and every one requested since: while the URL shows one of them,
 * the router is still catching up with us; anything else is someone else's navigation (a tab
 * switch, the back button), and the URL is the truth again.
 */
let pending: { pathname: string; seen: Set<string>; latest: string } | null = null;

const normalise = (search: string) => new URLSearchParams(search).toString();

// Back and forward are the operator's own navigation: whatever we had asked for is history now.
window.addEventListener('popstate', () => {
  pending = null;
});

function latestSearchParams(): URLSearchParams {
  const url = normalise(window.location.search);
  if (pending && pending.pathname === window.location.pathname && pending.seen.has(url) && url !== pending.latest) return new URLSearchParams(pending.latest);
  pending = null;
  return new URLSearchParams(url);
}

function remember(before: string, next: URLSearchParams): void {
  const latest = next.toString();
  if (!pending) pending = { pathname: window.location.pathname, seen: new Set([before]), latest };
  pending.seen.add(latest);
  pending.latest = latest;
}

/**
 * useSearchParams whose `patch` changes the latest params, not the ones this component last
 * rendered with. The patch function edits a copy in place; the URL is replaced unless
 * `replace: false` asks for a history entry.
 */
export function useLatestSearchParams(): [URLSearchParams, (patch: (next: URLSearchParams) => void, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const patch = useCallback(
    (change: (next: URLSearchParams) => void, { replace = true }: { replace?: boolean } = {}) =>
      setParams(
        () => {
          const before = normalise(window.location.search);
          const next = latestSearchParams();
          change(next);
          remember(before, next);
          return next;
        },
        { replace },
      ),
    [setParams],
  );
  return [params, patch];
}

/** Sets each key to its value, and removes the keys without one (null, undefined, empty). */
export function setOrDelete(params: URLSearchParams, changes: Record<string, string | null | undefined>): void {
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, value);
  }
}
