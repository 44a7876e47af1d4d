import { Knex } from 'knex';
import { memoized } from './memo';

/**
 * Formatting a timestamp costs about a microsecond and a list page has a few
 * hundred, mostly the same from one request to the next (the same incidents,
 * polled by every open page): the strings are kept by stored value.
 */
const isoOf = memoized(
  (value: string | number) => new Date(value).toISOString(),
  20_000,
);

/**
 * Timestamps come back as Date from PostgreSQL through Knex, as PostgreSQL's
 * text from prepared reads (see `selectPrepared`) and as epoch milliseconds
 * from SQLite (Knex stores JavaScript Dates as numbers there).
 * @internal
 */
export function toIso(
  value: Date | string | number | null | undefined,
): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  return value instanceof Date ? value.toISOString() : isoOf(value);
}

/**
 * Inserts many rows in statements of at most `chunk` rows (SQLite bounds the
 * number of bound parameters per statement).
 * @internal
 */
export async function insertChunked(
  tx: Knex.Transaction | Knex,
  table: string,
  rows: Record<string, unknown>[],
  chunk = 200,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await tx(table).insert(rows.slice(i, i + chunk));
  }
}

/**
 * Whether a write failed on a unique index or primary key (23505 on
 * PostgreSQL, a constraint code on SQLite).
 * @internal
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * The row count and newest `created_at` of an insert-mostly table: changes
 * when rows are added, or replaced by new ones (a cache key).
 */
export async function tableStamp(knex: Knex, table: string): Promise<string> {
  const row: any = await knex(table)
    .count({ n: '*' })
    .max({ m: 'created_at' })
    .first();
  return `${row?.n ?? 0}:${toIso(row?.m) ?? ''}`;
}
