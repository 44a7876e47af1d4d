/*
 * Optional instrumentation for `yarn bench`:
 * - BENCH_PROFILE=1: time every SQL statement Knex runs during a scenario
 *   (from Knex's `query` to `query-response` events, so pool waits are not
 *   included) and print the most expensive statements.
 * - BENCH_EXPLAIN=1: capture the statements of one request per read scenario
 *   and print the engine's plan for each SELECT (EXPLAIN (ANALYZE, BUFFERS)
 *   on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
 */
import { Knex } from 'knex';

type Stat = { n: number; totalMs: number; maxMs: number };

export class QueryProfiler {
  private readonly started = new Map<string, number>();
  private stats = new Map<string, Stat>();
  private captured: Array<{ sql: string; bindings: unknown[] }> | undefined;
  private enabled = false;

  constructor(knex: Knex) {
    knex.on('query', (q: any) => {
      if (this.captured) {
        this.captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
      }
      if (this.enabled) {
        this.started.set(q.__knexQueryUid, performance.now());
      }
    });
    const done = (q: any) => {
      const t0 = this.started.get(q.__knexQueryUid);
      if (t0 === undefined) return;
      this.started.delete(q.__knexQueryUid);
      const ms = performance.now() - t0;
      const key = normalize(q.sql);
      const stat = this.stats.get(key) ?? { n: 0, totalMs: 0, maxMs: 0 };
      stat.n += 1;
      stat.totalMs += ms;
      stat.maxMs = Math.max(stat.maxMs, ms);
      this.stats.set(key, stat);
    };
    knex.on('query-response', (_r: unknown, q: any) => done(q));
    knex.on('query-error', (_e: unknown, q: any) => done(q));
  }

  startTiming() {
    this.stats = new Map();
    this.enabled = true;
  }

  stopTiming(requests: number, top = 6): string {
    this.enabled = false;
    const rows = [...this.stats.entries()].sort(
      (a, b) => b[1].totalMs - a[1].totalMs,
    );
    const lines = rows
      .slice(0, top)
      .map(
        ([sql, s]) =>
          `    ${(s.totalMs / requests).toFixed(2).padStart(7)} ms/req  ` +
          `avg ${(s.totalMs / s.n).toFixed(2).padStart(6)}  max ${s.maxMs
            .toFixed(1)
            .padStart(6)}  n=${String(s.n).padStart(5)}  ${sql.slice(0, 220)}`,
      );
    return lines.join('\n');
  }

  capture() {
    this.captured = [];
  }

  takeCaptured() {
    const list = this.captured ?? [];
    this.captured = undefined;
    return list;
  }
}

function normalize(sql: string) {
  // Collapse IN lists of placeholders so one statement shape is one key.
  return sql
    .replace(/\s+/g, ' ')
    .replace(/\((?:\s*(?:\?|\$\d+)\s*,)+\s*(?:\?|\$\d+)\s*\)/g, '(…)');
}

/** The plans of the SELECT statements one request ran. */
export async function explainStatements(
  knex: Knex,
  statements: Array<{ sql: string; bindings: unknown[] }>,
): Promise<string> {
  const isPostgres = knex.client.config.client === 'pg';
  const out: string[] = [];
  const seen = new Set<string>();
  for (const { sql, bindings } of statements) {
    if (!/^\s*(select|with)\b/i.test(sql) || seen.has(normalize(sql))) {
      continue;
    }
    seen.add(normalize(sql));
    out.push(`  SQL: ${sql.slice(0, 600)}`);
    out.push(`  bindings: ${JSON.stringify(bindings).slice(0, 300)}`);
    if (isPostgres) {
      // The captured SQL already has $n placeholders: use the driver directly.
      const conn = await knex.client.acquireConnection();
      try {
        const res = await conn.query(
          `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
          bindings,
        );
        for (const row of res.rows) out.push(`    ${row['QUERY PLAN']}`);
      } finally {
        await knex.client.releaseConnection(conn);
      }
    } else {
      const rows = await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as any);
      for (const row of rows) out.push(`    ${row.detail}`);
    }
  }
  return out.join('\n');
}
