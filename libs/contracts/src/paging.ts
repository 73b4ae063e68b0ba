/**
 * The two list shapes of every HTTP API (README, "API conventions"). A list answers one
 * offset page; data that only grows in time order (telemetry, chat history) answers a cursor
 * page instead, so that rows arriving meanwhile never shift what the next page returns.
 */
export interface Page<T> {
  items: T[];
  /** Rows under the same filter, on every page. */
  total: number;
  limit: number;
  offset: number;
}

/** Time-ordered data: pass `next_cursor` back as `?cursor=` until it is null (the last page). */
export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}
