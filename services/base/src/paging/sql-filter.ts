/**
 * Builds a `WHERE a = $1 AND b >= $2` clause from optional filters, keeping the SQL text fixed
 * per filter combination and every value a bound parameter.
 */
export class SqlFilter {
  private readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  /** Adds `template` (with `?` standing for the value's placeholder) when `value` is defined. */
  add(template: string, value: unknown): this {
    if (value === undefined || value === null || value === '') return this;
    this.params.push(value);
    this.clauses.push(template.replace('?', `$${this.params.length}`));
    return this;
  }

  /** Case-insensitive substring match of `expression` on `value`, with LIKE's wildcards escaped. */
  contains(expression: string, value: string | undefined): this {
    return this.add(`${expression} ILIKE '%' || ? || '%'`, value?.replace(/[\\%_]/g, (c) => `\\${c}`));
  }

  where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }

  /** The placeholder for one more parameter (limit, offset). */
  next(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

/**
 * One page of `SELECT <columns> FROM <from> <where> ORDER BY <orderBy>` and the total count
 * under the same filter, both in flight at once.
 */
export async function queryPage<Row>(
  db: { query(sql: string, params: unknown[]): Promise<unknown> },
  filter: SqlFilter,
  sql: { columns: string; from: string; orderBy: string },
  limit: number,
  offset: number,
): Promise<{ rows: Row[]; total: number }> {
  const where = filter.where();
  const countParams = [...filter.params];
  const [rows, counted] = (await Promise.all([
    db.query(`SELECT ${sql.columns} FROM ${sql.from} ${where} ORDER BY ${sql.orderBy} LIMIT ${filter.next(limit)} OFFSET ${filter.next(offset)}`, filter.params),
    db.query(`SELECT count(*) AS total FROM ${sql.from} ${where}`, countParams),
  ])) as [Row[], Array<{ total: string }>];
  return { rows, total: Number(counted[0].total) };
}
