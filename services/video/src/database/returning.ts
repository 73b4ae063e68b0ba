/**
 * TypeORM's postgres driver answers `UPDATE … RETURNING` through DataSource.query() as
 * `[rows, affectedCount]` (INSERT and SELECT answer the rows alone): the rows of an UPDATE.
 */
export function updated<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
