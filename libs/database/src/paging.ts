import type { CursorPage, Page } from '@fleet/contracts';

/** `?limit=&offset=` once validated (each service's query DTO sets its own bounds and default). */
export interface PageRequest {
  limit: number;
  offset: number;
}

/** The page a list route answers, from the rows of one page and the count under the same filter. */
export function toPage<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, total, limit: request.limit, offset: request.offset };
}

/**
 * A page of a list that is whole in memory already (a directory, the live registry, a short table
 * read at once): the same shape as a SQL page, so callers never tell the two apart.
 */
export function pageOfList<T>(all: readonly T[], request: PageRequest): Page<T> {
  return toPage(all.slice(request.offset, request.offset + request.limit), all.length, request);
}

/**
 * A cursor page from `limit + 1` rows read in order after the previous cursor: the extra row only
 * says that there is a next page, whose cursor is the key of the last row returned.
 */
export function toCursorPage<Row, T>(rows: readonly Row[], limit: number, keyOf: (row: Row) => Array<string | number>, view: (row: Row) => T): CursorPage<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** An opaque cursor for a row key (`[ts, id]`); `|` never occurs in the keys we page on. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(key.join('|')).toString('base64url');
}

/** The key of a cursor, or undefined when it is not one of ours (the caller answers 400). */
export function decodeCursor(cursor: string, parts: number): string[] | undefined {
  const key = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return key.length === parts && key.every((part) => part.length > 0) ? key : undefined;
}
