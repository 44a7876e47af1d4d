/*
 * `yarn bench:status`: the public status page under a crowd, on SQLite and
 * PostgreSQL.
 *
 * A real Backstage backend (backend-defaults: root HTTP router, auth
 * policies, the catalog backend holding the demo components, the incidents
 * plugin) runs in this process; 64 closed-loop clients in a worker thread
 * (bench/httpWorker.cjs, node:http keep-alive) read:
 *
 * 1. `/.backstage/health/v1/liveness`: the framework's own ceiling;
 * 2. `/api/incidents/public/api/v2/summary.json`;
 * 3. `/api/incidents/public/status` (the HTML page);
 *
 * while, during 2 and 3, a writer opens sev1 incidents on a listed component
 * and moves them to investigating, mitigated and resolved, one change every
 * 250 ms, and measures how long each change takes to show in summary.json.
 *
 * Targets (issue 13): ≥ 5,000 requests/s, ≥ half the liveness rate,
 * p99 < 20 ms, a public change visible within 2 s.
 *
 * Environment: BENCH_STATUS_REQUESTS=20000 per scenario (after 3,000
 * warm-up), BENCH_CONCURRENCY=64, BENCH_ENGINES=sqlite,postgres,
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, runLoad, stopLoad } from './load';
import {
  benchDatabase,
  dropPgDatabases,
  freePort,
  intEnv,
  startRealBackend,
  benchBackendConfig,
} from './realBackend';

const cfg = {
  requests: intEnv('BENCH_STATUS_REQUESTS', 20_000),
  warmup: intEnv('BENCH_STATUS_WARMUP', 3000),
  concurrency: intEnv('BENCH_CONCURRENCY', 64),
  engines: (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(','),
  pgUrl:
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432',
};
// Backstage logs every request at info level; a crowd would be measured as
// log lines. The ceiling (liveness) runs with the same setting.
process.env.LOG_LEVEL ??= 'warn';

const TARGETS = { rate: 5000, ofLiveness: 0.5, p99: 20, visibleMs: 2000 };
const TOKEN = `bench-${randomBytes(12).toString('hex')}`;
const COMPONENTS = [
  'storefront',
  'checkout-web',
  'payments-api',
  'search-api',
  'edge-gateway',
];

type Row = {
  engine: string;
  scenario: string;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  ofLiveness?: number;
  visibleP99?: number;
  changes?: number;
};

/** The bench backend's app-config. */
function benchConfig(dir: string, port: number, database: object): object {
  const entities = join(dir, 'entities.yaml');
  writeFileSync(
    entities,
    [
      'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: sre }\nspec: { type: team, children: [] }',
      ...COMPONENTS.map(
        c =>
          `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: ${c} }\nspec: { type: service, lifecycle: production, owner: group:default/sre }`,
      ),
    ].join('\n---\n'),
  );
  const config = {
    ...benchBackendConfig(port, database, TOKEN),
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User'] }],
      locations: [{ type: 'file', target: entities }],
    },
    incidents: {
      statusPage: {
        name: 'Bench Status',
        components: COMPONENTS.map(c => ({
          entityRef: `component:default/${c}`,
        })),
      },
    },
  };
  return config;
}

/** Opens and moves incidents while `running()`, timing each change's visibility. */
async function writer(baseUrl: string, running: () => boolean) {
  const visible: number[] = [];
  const headers = {
    authorization: `Bearer ${TOKEN}`,
    'content-type': 'application/json',
  };
  const summary = async () =>
    (await fetch(`${baseUrl}/api/incidents/public/api/v2/summary.json`)).json();
  const waitFor = async (ok: (s: any) => boolean) => {
    const started = performance.now();
    while (!ok(await summary())) {
      if (performance.now() - started > 10_000) break;
      await sleep(20);
    }
    visible.push(performance.now() - started);
  };
  while (running()) {
    const res = await fetch(`${baseUrl}/api/incidents/incidents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: `Bench outage ${Date.now()}`,
        severity: 'sev1',
        affectedServices: ['component:default/checkout-web'],
      }),
    });
    const incident = await res.json();
    const name = incident.title;
    await waitFor(s => s.incidents.some((i: any) => i.name === name));
    for (const [status, shown] of [
      ['mitigated', 'monitoring'],
      ['resolved', undefined],
    ] as const) {
      await sleep(250);
      await fetch(`${baseUrl}/api/incidents/incidents/${incident.ref}/status`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ status }),
      });
      await waitFor(s => {
        const found = s.incidents.find((i: any) => i.name === name);
        return shown ? found?.status === shown : !found;
      });
    }
    await sleep(250);
  }
  return visible;
}

async function measure(
  engine: string,
  baseUrl: string,
  scenario: string,
  path: string,
  withWriter: boolean,
): Promise<Row> {
  const requests = (n: number) =>
    Array.from({ length: n }, () => ({ method: 'GET', path }));
  await runLoad(baseUrl, {}, requests(cfg.warmup), cfg.concurrency);
  let running = true;
  const writes = withWriter
    ? writer(baseUrl, () => running)
    : Promise.resolve([]);
  const load = await runLoad(
    baseUrl,
    {},
    requests(cfg.requests),
    cfg.concurrency,
  );
  running = false;
  const visible = (await writes).sort((a, b) => a - b);
  const bad = Object.entries(load.statuses).filter(([code]) => code !== '200');
  if (bad.length) {
    throw new Error(
      `${scenario}: non-200 answers ${JSON.stringify(bad)} ${load.failures[0]}`,
    );
  }
  const sorted = [...load.latencies].sort((a, b) => a - b);
  return {
    engine,
    scenario,
    rate: Math.round(cfg.requests / (load.wallMs / 1000)),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    ...(withWriter
      ? { visibleP99: percentile(visible, 99), changes: visible.length }
      : {}),
  };
}

async function benchEngine(engine: string): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-status-'));
  const port = await freePort();
  const prefix = `vigil_bench_status_${randomBytes(4).toString('hex')}_`;
  const database = benchDatabase(engine, dir, cfg.pgUrl, prefix);
  const baseUrl = `http://127.0.0.1:${port}`;
  // Ready once the status page's components are in the catalog.
  const backend = await startRealBackend(
    dir,
    benchConfig(dir, port, database),
    baseUrl,
    '/api/incidents/public/api/v2/components.json',
  );
  try {
    const liveness = await measure(
      engine,
      baseUrl,
      'liveness (ceiling)',
      '/.backstage/health/v1/liveness',
      false,
    );
    const rows = [liveness];
    for (const [scenario, path] of [
      ['summary.json', '/api/incidents/public/api/v2/summary.json'],
      ['status page (HTML)', '/api/incidents/public/status'],
    ]) {
      const row = await measure(engine, baseUrl, scenario, path, true);
      rows.push({ ...row, ofLiveness: row.rate / liveness.rate });
    }
    return rows;
  } finally {
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
    if (engine !== 'sqlite') await dropPgDatabases(cfg.pgUrl, prefix);
  }
}

function print(rows: Row[]) {
  const f = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(1));
  const met = (r: Row) => {
    if (r.ofLiveness === undefined) return '';
    const ok =
      r.rate >= TARGETS.rate &&
      r.ofLiveness >= TARGETS.ofLiveness &&
      r.p99 < TARGETS.p99 &&
      (r.visibleP99 ?? 0) < TARGETS.visibleMs;
    return ok ? 'yes' : 'NO';
  };
  const lines = [
    `Vigil status page bench: ${cfg.concurrency} clients, ${cfg.requests} requests per scenario after ${cfg.warmup} warm-up`,
    `LOG_LEVEL=${process.env.LOG_LEVEL}; host: ${
      os.cpus().length
    } cores, load ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}`,
    `targets: ≥ ${TARGETS.rate} req/s, ≥ ${
      TARGETS.ofLiveness * 100
    }% of liveness, p99 < ${TARGETS.p99} ms, a change visible < ${
      TARGETS.visibleMs
    } ms`,
    '',
    '| engine | scenario | req/s | of liveness | p50 ms | p95 ms | p99 ms | changes | visible p99 ms | met |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      r =>
        `| ${r.engine} | ${r.scenario} | ${r.rate} | ${
          r.ofLiveness === undefined
            ? '–'
            : `${Math.round(r.ofLiveness * 100)}%`
        } | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${r.changes ?? '–'} | ${f(
          r.visibleP99,
        )} | ${met(r)} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const rows: Row[] = [];
  for (const engine of cfg.engines) {
    rows.push(...(await benchEngine(engine)));
  }
  print(rows);
  await stopLoad();
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
