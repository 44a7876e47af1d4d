/*
 * CPU accounting for the benches: the whole host, this process, and the
 * server's share (its main thread and, on PostgreSQL, the bench database's
 * backend processes), read from /proc.
 */
import { Knex } from 'knex';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * With a directory (BENCH_CPU_PROF), profiles this (the server's main)
 * thread while `run` runs and writes <dir>/<name>.cpuprofile, then returns
 * what `run` returned; without one, just runs it.
 */
export async function withCpuProfile<T>(
  dir: string | undefined,
  name: string,
  run: () => Promise<T>,
  onWritten?: (file: string) => void,
): Promise<T> {
  if (!dir) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(dir, { recursive: true });
    const file = join(
      dir,
      `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.cpuprofile`,
    );
    writeFileSync(file, JSON.stringify(profile));
    onWritten?.(file);
  }
}

/** CPU time of the whole host (all cores) and of this process, in ms. */
export function cpuSnapshot() {
  let host = 0;
  try {
    // /proc/stat: cpu user nice system idle iowait irq softirq steal ...
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy =
      fields.reduce((a, b) => a + b, 0) - fields[3] - (fields[4] ?? 0);
    host = (busy * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    host = NaN;
  }
  const own = process.cpuUsage();
  return { host, own: (own.user + own.system) / 1000, at: performance.now() };
}

/**
 * CPU time spent serving: the server's main thread (express, the store,
 * better-sqlite3, the pg driver; not the client worker) and, on PostgreSQL,
 * the bench database's backend processes. Divided by the requests this is
 * the cost of one request, which unlike latency hardly depends on what else
 * the shared machine is doing.
 */
export async function serverCpuSnapshot(knex: Knex) {
  const thread = process.threadCpuUsage();
  let db = 0;
  if (knex.client.config.client === 'pg') {
    const backends = await knex.raw(
      'select pid from pg_stat_activity where datname = current_database()',
    );
    for (const { pid } of backends.rows) {
      try {
        // /proc/<pid>/stat: fields 14 and 15 are utime and stime in ticks;
        // the command name (field 2) may contain spaces, so split after ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        db += ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      } catch {
        // a backend that exited (pool churn) is not counted
      }
    }
  }
  return { server: (thread.user + thread.system) / 1000, db };
}

export async function serverCpuPerRequest(
  knex: Knex,
  start: Awaited<ReturnType<typeof serverCpuSnapshot>>,
  requests: number,
) {
  const end = await serverCpuSnapshot(knex);
  const per = (ms: number) => (ms / Math.max(1, requests)).toFixed(2);
  return knex.client.config.client === 'pg'
    ? `${per(end.server - start.server)} + ${per(end.db - start.db)}`
    : per(end.server - start.server);
}

/** "host% / bench%" of one core over the interval, e.g. "190% / 120%". */
export function cpuSince(start: ReturnType<typeof cpuSnapshot>) {
  const end = cpuSnapshot();
  const wall = end.at - start.at;
  const pct = (ms: number) => `${Math.round((100 * ms) / wall)}%`;
  return `${pct(end.host - start.host)} / ${pct(end.own - start.own)}`;
}
