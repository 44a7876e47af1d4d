import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { memoized } from './memo';

/** Prepared statements kept per SQLite connection (LRU). */
const SQLITE_STATEMENTS_PER_CONNECTION = 200;

type SqliteStatement = { all(bindings: unknown[]): unknown[] };
type SqliteConnection = { prepare(sql: string): SqliteStatement };
type PgTypeParsers = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown;
};
type PgQueryConfig = {
  name: string;
  text: string;
  values: unknown[];
  types?: PgTypeParsers;
};
type PgConnection = {
  query(
    config: PgQueryConfig,
    callback: (error: Error | null, result: { rows: unknown[] }) => void,
  ): void;
};

/**
 * Runs a named statement on a connection of Knex's PostgreSQL pool (from
 * `knex.client.acquireConnection()`).
 *
 * With a callback, as Knex calls the driver: through the driver's promise
 * API, a list read under load kept about 7 MB of every 48 MB it allocated
 * alive into the old generation, and the minor GCs that copied it paused the
 * server for 10-25 ms each (seen with node --trace-gc-nvp; 1-2 ms this way).
 * @internal
 */
export function queryPostgres<T>(
  connection: unknown,
  config: PgQueryConfig,
): Promise<{ rows: T[] }> {
  return new Promise((resolve, reject) =>
    (connection as PgConnection).query(config, (error, result) =>
      error ? reject(error) : resolve(result as { rows: T[] }),
    ),
  );
}

/** PostgreSQL's `timestamptz`. */
const TIMESTAMPTZ_OID = 1184;

/**
 * The driver's parsers, but `timestamptz` values stay text: the reads map
 * every timestamp to an ISO string (`toIso`), which parses PostgreSQL's text
 * directly, so building a Date for it first is wasted.
 */
const pgTypes = new WeakMap<object, PgTypeParsers>();
function pgTypeParsers(driverTypes: PgTypeParsers): PgTypeParsers {
  let types = pgTypes.get(driverTypes);
  if (!types) {
    types = {
      getTypeParser: (oid, format) =>
        oid === TIMESTAMPTZ_OID && format !== 'binary'
          ? (value: string) => value
          : driverTypes.getTypeParser(oid, format),
    };
    pgTypes.set(driverTypes, types);
  }
  return types;
}

let queryCount = 0;

/**
 * The name a PostgreSQL prepared statement is kept under on each connection:
 * a digest of its text, computed once per text.
 */
const statementName = memoized(
  (sql: string) =>
    `vigil_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`,
  1000,
);

/** A binding as Knex passes it to better-sqlite3. */
function sqliteValue(value: unknown): unknown {
  if (value instanceof Date) return value.valueOf();
  if (typeof value === 'boolean') return Number(value);
  return value;
}

const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();

/**
 * Runs a read (a SELECT built with Knex) as a prepared statement that is
 * parsed and planned once per connection and reused: by name on PostgreSQL
 * (the server keeps the plan), from a per-connection cache on SQLite
 * (better-sqlite3 statements). Knex itself prepares every statement afresh,
 * which on the hot read paths cost as much as running them. Other engines
 * run it through Knex. On PostgreSQL, `timestamptz` columns come back as
 * PostgreSQL's text (e.g. `2026-11-22 11:29:30.163+00`), which `toIso` and
 * `new Date` read.
 */
export async function selectPrepared<T>(
  knex: Knex,
  query: Knex.QueryBuilder | Knex.Raw,
): Promise<T[]> {
  const client = knex.client.config.client;
  if (client !== 'pg' && client !== 'better-sqlite3') {
    return (await query) as T[];
  }
  const { sql, bindings } = query.toSQL().toNative();
  // The events Knex emits for its own queries (logging, profiling).
  const event = {
    method: 'select',
    sql,
    bindings,
    __knexQueryUid: `prepared-${++queryCount}`,
  };
  knex.client.emit('query', event);
  const connection = await knex.client.acquireConnection();
  try {
    if (client === 'pg') {
      const result = await queryPostgres<T>(connection, {
        name: statementName(sql),
        text: sql,
        values: bindings as unknown[],
        types: pgTypeParsers(knex.client.driver.types),
      });
      knex.client.emit('query-response', result.rows, event);
      return result.rows;
    }
    let statements = sqliteStatements.get(connection);
    if (!statements) {
      statements = new Map();
      sqliteStatements.set(connection, statements);
    }
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql);
    } else {
      statement = (connection as SqliteConnection).prepare(sql);
      if (statements.size >= SQLITE_STATEMENTS_PER_CONNECTION) {
        statements.delete(statements.keys().next().value!);
      }
    }
    statements.set(sql, statement);
    // As Knex binds values for better-sqlite3.
    const rows = statement.all((bindings as unknown[]).map(sqliteValue)) as T[];
    knex.client.emit('query-response', rows, event);
    return rows;
  } catch (error) {
    knex.client.emit('query-error', error, event);
    throw error;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
