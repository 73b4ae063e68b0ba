import type { EntityManager } from 'typeorm';

/**
 * Runs SQL and gives back the rows it returned. TypeORM's postgres driver answers UPDATE and
 * DELETE with `[rows, rowCount]` but SELECT and INSERT with the bare rows; this hides that.
 */
export async function returning<T>(manager: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await manager.query(text, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
