/*
 * `yarn bench:insights`: the metrics endpoints on 100,000 incidents, on
 * SQLite and PostgreSQL.
 *
 * A real Backstage backend (backend-defaults: root HTTP router, auth with a
 * static external-access token, permissions; the catalog backend; the
 * incidents plugin with 1,000 on-call schedules) runs in this process. A year
 * of incidents with realistic acknowledge / mitigate / resolve times
 * (bench/seed.ts, about 12% from a change) and 20,000 pages sent through the
 * schedules are loaded into the plugin's database; then 10 closed-loop
 * clients in a worker thread (bench/httpWorker.cjs) read each endpoint, and
 * the framework's liveness endpoint as the anchor in the same run.
 *
 * Target (issue 14): p95 < 100 ms per endpoint at 10 clients.
 *
 * Environment: BENCH_INCIDENTS=100000, BENCH_SCHEDULES=1000,
 * BENCH_PAGES=20000, BENCH_REQUESTS=400 per scenario (after 40 warm-up),
 * BENCH_CONCURRENCY=10, BENCH_ENGINES=sqlite,postgres,
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
 */
import knexFactory, { Knex } from 'knex';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, runLoad, stopLoad } from './load';
import {
  benchDatabase,
  dropPgDatabases,
  freePort,
  intEnv,
  startRealBackend,
  benchBackendConfig,
} from './realBackend';
import { COMPONENT_COUNT, componentRef, seedIncidents } from './seed';

const cfg = {
  incidents: intEnv('BENCH_INCIDENTS', 100_000),
  schedules: intEnv('BENCH_SCHEDULES', 1000),
  pages: intEnv('BENCH_PAGES', 20_000),
  requests: intEnv('BENCH_REQUESTS', 400),
  warmup: intEnv('BENCH_WARMUP', 40),
  concurrency: intEnv('BENCH_CONCURRENCY', 10),
  engines: (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(','),
  pgUrl:
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432',
};
process.env.LOG_LEVEL ??= 'warn';

const TARGET_P95 = 100;
const TOKEN = `bench-${randomBytes(12).toString('hex')}`;
const DAY = 86_400_000;
const MEMBERS = 4;
const member = (schedule: number, i: number) =>
  `user:default/oncall-${String((schedule * MEMBERS + i) % 2000).padStart(
    4,
    '0',
  )}`;

function benchConfig(port: number, database: object) {
  const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC'];
  return {
    ...benchBackendConfig(port, database, TOKEN),
    catalog: { rules: [{ allow: ['Component', 'Group', 'User'] }] },
    incidents: {
      metrics: { timeZone: 'Europe/Berlin' },
      oncall: {
        horizonWeeks: 2,
        schedules: Array.from({ length: cfg.schedules }, (_, s) => ({
          id: `s-${s}`,
          name: `Rota ${s}`,
          timeZone: zones[s % zones.length],
          start: new Date(Date.now() - 400 * DAY).toISOString().slice(0, 10),
          rotation: { type: 'weekly', handoffTime: '09:00' },
          members: Array.from({ length: MEMBERS }, (__, i) => member(s, i)),
        })),
      },
    },
  };
}

/** Pages through the schedules, on incidents of the last year. */
async function seedPages(knex: Knex) {
  const incidents: Array<{ id: string; opened_at: unknown }> = await knex(
    'incident',
  )
    .whereNot('status', 'cancelled')
    .select('id', 'opened_at');
  let seed = 20261203;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const rows = Array.from({ length: cfg.pages }, () => {
    const incident = incidents[Math.floor(rand() * incidents.length)];
    const schedule = Math.floor(rand() * cfg.schedules);
    const opened =
      incident.opened_at instanceof Date
        ? incident.opened_at.getTime()
        : Number(incident.opened_at);
    const at = new Date(opened + Math.floor(rand() * 120_000));
    return {
      id: randomUUID(),
      incident_id: incident.id,
      escalation_id: randomUUID(),
      timer_id: randomUUID(),
      round: 1,
      step: 1,
      recipient: member(schedule, Math.floor(rand() * MEMBERS)),
      via: `schedule:s-${schedule}`,
      due_at: at,
      created_at: at,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await knex('incident_page').insert(rows.slice(i, i + 500));
  }
  // The rotas' past: a running backend keeps the slots it generated, this
  // one was started now. Weekly slots of the last 60 days before the first
  // generated one.
  const firsts: Array<{ schedule_id: string; start: unknown }> = await knex(
    'oncall_slot',
  )
    .groupBy('schedule_id')
    .select('schedule_id', knex.raw('min(start_at) as start'));
  const slots = firsts.flatMap(({ schedule_id, start }) => {
    const first = start instanceof Date ? start.getTime() : Number(start);
    const s = Number(schedule_id.slice(2));
    return Array.from({ length: 9 }, (_, w) => ({
      id: randomUUID(),
      schedule_id,
      user_ref: member(s, w % MEMBERS),
      start_at: new Date(first - (w + 1) * 7 * DAY),
      end_at: new Date(first - w * 7 * DAY),
      is_override: false,
      rotation_index: -1 - w,
      created_at: new Date(),
    }));
  });
  for (let i = 0; i < slots.length; i += 500) {
    await knex('oncall_slot').insert(slots.slice(i, i + 500));
  }
  if (knex.client.config.client === 'pg') await knex.raw('VACUUM ANALYZE');
  else await knex.raw('ANALYZE');
}

const SCENARIOS: Array<[string, string]> = [
  ['liveness (anchor)', '/.backstage/health/v1/liveness'],
  ['summary, 90 days', '/api/incidents/metrics/summary'],
  [
    'summary, one component, a year',
    `/api/incidents/metrics/summary?entityRef=${encodeURIComponent(
      componentRef(7),
    )}&from=FROM_YEAR`,
  ],
  [
    'frequency, weekly, a year',
    `/api/incidents/metrics/frequency?from=FROM_YEAR`,
  ],
  ['SLA compliance, 90 days', '/api/incidents/metrics/sla'],
  ['change failure, 90 days', '/api/incidents/metrics/change-failure'],
  [
    'on-call load, 1,000 rotas, 30 days',
    '/api/incidents/metrics/oncall-load?from=FROM_MONTH',
  ],
  ['summary as CSV, 90 days', '/api/incidents/metrics/summary?format=csv'],
  // A new range each request: every answer computed, none from the cache;
  // 2 clients (at 10, a request waits longer than Node's 5 s keep-alive
  // timeout and the server resets the client's next request).
  [
    'summary, 90 days, uncached, 2 clients',
    '/api/incidents/metrics/summary?from=FROM_VARY',
  ],
  [
    'SLA compliance, 90 days, uncached, 2 clients',
    '/api/incidents/metrics/sla?from=FROM_VARY',
  ],
];

type Row = {
  engine: string;
  scenario: string;
  rate: number;
  p50: number;
  p95: number;
  /** The scenario's first request, alone: computed, not from the cache. */
  alone: number;
};

async function measure(engine: string, baseUrl: string): Promise<Row[]> {
  const headers = { authorization: `Bearer ${TOKEN}` };
  const fromYear = new Date(Date.now() - 364 * DAY).toISOString();
  const fromMonth = new Date(Date.now() - 30 * DAY).toISOString();
  const rows: Row[] = [];
  for (const [scenario, template] of SCENARIOS) {
    // FROM_VARY: 90 days back and i minutes more, a range never asked before.
    const pathOf = (i: number) =>
      template
        .replace('FROM_YEAR', encodeURIComponent(fromYear))
        .replace('FROM_MONTH', encodeURIComponent(fromMonth))
        .replace(
          'FROM_VARY',
          encodeURIComponent(
            new Date(Date.now() - 90 * DAY - i * 60_000).toISOString(),
          ),
        );
    let served = 0;
    const requests = (n: number) =>
      Array.from({ length: n }, () => ({
        method: 'GET',
        path: pathOf(served++),
      }));
    const single = performance.now();
    const first = await fetch(`${baseUrl}${pathOf(served++)}`, { headers });
    await first.text();
    const alone = performance.now() - single;
    const clients = scenario.includes('2 clients') ? 2 : cfg.concurrency;
    const count = scenario.includes('uncached')
      ? cfg.requests / 4
      : cfg.requests;
    await runLoad(baseUrl, headers, requests(cfg.warmup), clients);
    const load = await runLoad(baseUrl, headers, requests(count), clients);
    if (first.status !== 200) throw new Error(`${scenario}: ${first.status}`);
    const bad = Object.entries(load.statuses).filter(([c]) => c !== '200');
    if (bad.length) {
      throw new Error(
        `${scenario}: non-200 answers ${JSON.stringify(bad)} ${
          load.failures[0]
        }`,
      );
    }
    const sorted = [...load.latencies].sort((a, b) => a - b);
    rows.push({
      engine,
      scenario,
      rate: Math.round(count / (load.wallMs / 1000)),
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      alone,
    });
  }
  return rows;
}

async function benchEngine(engine: string): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-insights-'));
  const port = await freePort();
  const prefix = `vigil_bench_insights_${randomBytes(4).toString('hex')}_`;
  const database = benchDatabase(engine, dir, cfg.pgUrl, prefix);
  const baseUrl = `http://127.0.0.1:${port}`;
  const backend = await startRealBackend(
    dir,
    benchConfig(port, database),
    baseUrl,
    '/api/incidents/health',
  );
  // The plugin's own database, as backend-defaults named it.
  const knex = knexFactory(
    engine === 'sqlite'
      ? {
          client: 'better-sqlite3',
          connection: { filename: join(dir, 'incidents.sqlite') },
          useNullAsDefault: true,
        }
      : {
          client: 'pg',
          connection: `${cfg.pgUrl.replace(/\/$/, '')}/${prefix}incidents`,
        },
  );
  try {
    const started = performance.now();
    const seeded = await seedIncidents(knex, cfg.incidents);
    await seedPages(knex);
    process.stderr.write(
      `${engine}: ${seeded.incidents} incidents, ${
        cfg.pages
      } pages loaded in ${Math.round(
        (performance.now() - started) / 1000,
      )} s\n`,
    );
    return await measure(engine, baseUrl);
  } finally {
    await knex.destroy();
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
    if (engine !== 'sqlite') await dropPgDatabases(cfg.pgUrl, prefix);
  }
}

function met(r: Row) {
  if (r.scenario.includes('anchor')) return '';
  return r.p95 < TARGET_P95 ? 'yes' : 'NO';
}

function print(rows: Row[]) {
  const lines = [
    `Vigil insights bench: ${cfg.incidents} incidents over a year (${COMPONENT_COUNT} components), ${cfg.schedules} schedules, ${cfg.pages} pages; ${cfg.concurrency} clients, ${cfg.requests} requests per scenario after ${cfg.warmup} warm-up`,
    `host: ${os.cpus().length} cores, load ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}; target p95 < ${TARGET_P95} ms`,
    '',
    '| engine | scenario | first request alone ms | req/s | p50 ms | p95 ms | met |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      r =>
        `| ${r.engine} | ${r.scenario} | ${r.alone.toFixed(0)} | ${
          r.rate
        } | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${met(r)} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const rows: Row[] = [];
  for (const engine of cfg.engines) rows.push(...(await benchEngine(engine)));
  print(rows);
  await stopLoad();
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
