import type { EntityManager } from 'typeorm';
import { returnedRows } from '@fleet/database';

/** Runs SQL and gives back the rows it returned, whatever the statement (see returnedRows). */
export async function returning<T>(manager: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return returnedRows<T>(await manager.query(text, params));
}
