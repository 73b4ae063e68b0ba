import { QueryFailedError } from 'typeorm';

/**
 * The rows a statement returned. TypeORM's postgres driver answers `DataSource.query()` for
 * UPDATE and DELETE with `[rows, affectedCount]`, but for SELECT and INSERT with the bare rows.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/** How many rows an UPDATE or DELETE touched (`[rows, affectedCount]` from the driver). */
export function affectedCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}

export enum DatabaseConflictCode {
  /** A unique key already holds the value (Postgres 23505). */
  Duplicate = 'duplicate',
  /** A foreign key points at nothing, or a row still referenced was deleted (Postgres 23503). */
  Reference = 'reference',
}

const CONFLICT_OF_SQLSTATE: Record<string, DatabaseConflictCode> = {
  '23505': DatabaseConflictCode.Duplicate,
  '23503': DatabaseConflictCode.Reference,
};

/**
 * A write broke a key: a fact about the data, raised by repositories so that services decide
 * what it means for the caller (usually a 409) without knowing Postgres error codes.
 */
export class DatabaseConflict extends Error {
  constructor(
    readonly code: DatabaseConflictCode,
    /** The constraint's name, e.g. `drone_keycloak_client_id_active`. */
    readonly constraint: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = DatabaseConflict.name;
  }
}

/** Runs a write; unique and foreign key violations come out as {@link DatabaseConflict}. */
export async function writeOrConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const driver = (error instanceof QueryFailedError ? error.driverError : error) as { code?: string; constraint?: string; detail?: string } | undefined;
    const code = driver?.code ? CONFLICT_OF_SQLSTATE[driver.code] : undefined;
    if (!code) throw error;
    throw new DatabaseConflict(code, driver?.constraint, driver?.detail ?? (error as Error).message);
  }
}

/** True for a {@link DatabaseConflict} of `code` (any code when omitted). */
export function isConflict(error: unknown, code?: DatabaseConflictCode): error is DatabaseConflict {
  return error instanceof DatabaseConflict && (code === undefined || error.code === code);
}
