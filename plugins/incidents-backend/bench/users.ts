/*
 * `yarn bench:users`: what a signed-in user gets. The incident list and
 * detail of `yarn bench`, served by a real Backstage backend with the real
 * auth, httpAuth and permission services and the demo permission policy
 * (bench/authBackend.ts), requested as a user (a guest sign-in token: the
 * token check and a permission round trip per request) and as a service
 * (a static token: the token check, no round trip), next to the catalog's
 * `entities/by-query?limit=1` in the same run as the framework's own
 * ceiling for an authenticated, permission-checked read.
 *
 * Environment: BENCH_INCIDENTS=100000, BENCH_REQUESTS=2000 per scenario
 * (after BENCH_WARMUP=500), BENCH_CONCURRENCY=10, BENCH_ENGINES=sqlite,postgres,
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
 */
import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDatabaseMigrations } from '../src/lib/migrations';
import { startAuthBackend } from './authBackend';
import { cpuSince, cpuSnapshot } from './cpu';
import { LoadRequest, percentile, runLoad, stopLoad } from './load';
import {
  benchDatabase,
  dropPgDatabases,
  freePort,
  intEnv,
} from './realBackend';
import { seedIncidents } from './seed';
import { incidentIds, warRoomRequests } from './warRoom';

const cfg = {
  incidents: intEnv('BENCH_INCIDENTS', 100_000),
  requests: intEnv('BENCH_REQUESTS', 2000),
  warmup: intEnv('BENCH_WARMUP', 500),
  concurrency: intEnv('BENCH_CONCURRENCY', 10),
  engines: (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(','),
  pgUrl:
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432',
};
// Backstage logs every request at info level; the load would be measured
// as log lines. The catalog anchor runs with the same setting.
process.env.LOG_LEVEL ??= 'warn';

const log = (line: string) => process.stderr.write(`${line}\n`);

type Scenario = {
  name: string;
  make: () => LoadRequest;
  /** Requests per page load, for the pages/s column. */
  perPage?: number;
  /** Only as a user (the browser's permission request). */
  userOnly?: boolean;
};
type Row = {
  scenario: string;
  as: string;
  engine: string;
  p50: number;
  p95: number;
  rate: number;
  pages?: number;
  ofCatalog: number;
  cpu: string;
};

/** Page loads of random incidents of `pool`, one request at a time. */
function pageLoads(
  pool: Array<{ ref: string; id: string }>,
  withPermissionRequest: boolean,
): () => LoadRequest {
  let queue: LoadRequest[] = [];
  return () => {
    if (!queue.length) {
      const incident = pool[Math.floor(Math.random() * pool.length)];
      queue = warRoomRequests(incident, withPermissionRequest);
    }
    return queue.shift()!;
  };
}

function scenarios(pool: Array<{ ref: string; id: string }>): Scenario[] {
  const random = () => 1 + Math.floor(Math.random() * cfg.incidents);
  const get = (path: string) => () => ({ method: 'GET', path });
  return [
    {
      name: 'catalog entities/by-query?limit=1',
      make: get('/api/catalog/entities/by-query?limit=1'),
    },
    { name: 'list first page', make: get('/api/incidents/incidents') },
    {
      name: 'list by entityRef',
      make: get(
        `/api/incidents/incidents?entityRef=${encodeURIComponent(
          'component:default/svc-07',
        )}`,
      ),
    },
    {
      name: 'get by ref',
      make: () => ({
        method: 'GET',
        path: `/api/incidents/incidents/INC-${random()}`,
      }),
    },
    {
      name: 'war room load, as before (3 reads + permission request)',
      make: pageLoads(pool, true),
      perPage: 4,
      userOnly: true,
    },
    {
      name: 'war room load (3 reads, permissions in the incident)',
      make: pageLoads(pool, false),
      perPage: 3,
      userOnly: true,
    },
  ];
}

/** Migrates and loads the plugin's database before the backend starts. */
async function seed(engine: string, dir: string, prefix: string) {
  const knex = knexFactory(
    engine === 'sqlite'
      ? {
          client: 'better-sqlite3',
          connection: { filename: join(dir, 'incidents.sqlite') },
          useNullAsDefault: true,
        }
      : { client: 'pg', connection: cfg.pgUrl },
  );
  let db = knex;
  if (engine !== 'sqlite') {
    await knex.raw(`create database "${prefix}incidents"`);
    const url = new URL(cfg.pgUrl);
    url.pathname = `/${prefix}incidents`;
    db = knexFactory({ client: 'pg', connection: url.toString() });
  }
  try {
    await applyDatabaseMigrations({ getClient: async () => db }, db);
    const seeded = await seedIncidents(db, cfg.incidents, { log });
    log(`${engine}: loaded ${seeded.incidents} incidents`);
  } finally {
    if (db !== knex) await db.destroy();
    await knex.destroy();
  }
}

async function measure(
  baseUrl: string,
  token: string,
  scenario: Scenario,
): Promise<Omit<Row, 'as' | 'engine' | 'ofCatalog'>> {
  const perPage = scenario.perPage ?? 1;
  const headers = { authorization: `Bearer ${token}` };
  const probe = scenario.make();
  const res = await fetch(baseUrl + probe.path, { headers });
  if (res.status !== 200) {
    throw new Error(
      `${probe.path} answered ${res.status}: ${await res.text()}`,
    );
  }
  await runLoad(
    baseUrl,
    headers,
    Array.from({ length: cfg.warmup }, scenario.make),
    cfg.concurrency,
  );
  const cpu = cpuSnapshot();
  const result = await runLoad(
    baseUrl,
    headers,
    Array.from({ length: cfg.requests }, scenario.make),
    cfg.concurrency,
  );
  const bad = Object.entries(result.statuses).filter(([s]) => s !== '200');
  if (bad.length) {
    throw new Error(`${scenario.name}: ${JSON.stringify(result.statuses)}`);
  }
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const rate = sorted.length / (result.wallMs / 1000);
  return {
    scenario: scenario.name,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    rate,
    pages: perPage > 1 ? rate / perPage : undefined,
    cpu: cpuSince(cpu),
  };
}

async function benchEngine(engine: string): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-users-'));
  const prefix = `vigil_users_${randomBytes(3).toString('hex')}_`;
  const rows: Row[] = [];
  try {
    await seed(engine, dir, prefix);
    const port = await freePort();
    const database = benchDatabase(engine, dir, cfg.pgUrl, prefix);
    const { backend, baseUrl, userToken, serviceToken } =
      await startAuthBackend(dir, port, database);
    try {
      const pool = await incidentIds(
        baseUrl,
        userToken,
        Math.min(50, cfg.incidents),
      );
      for (const [as, token] of [
        ['user', userToken],
        ['service', serviceToken],
      ]) {
        let catalogRate = NaN;
        for (const scenario of scenarios(pool)) {
          if (scenario.userOnly && as !== 'user') continue;
          const row = await measure(baseUrl, token, scenario);
          catalogRate = Number.isNaN(catalogRate) ? row.rate : catalogRate;
          rows.push({ ...row, as, engine, ofCatalog: row.rate / catalogRate });
          log(`${engine} / ${as} / ${scenario.name}: ${row.rate.toFixed(0)}/s`);
        }
      }
    } finally {
      await backend.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (engine !== 'sqlite') await dropPgDatabases(cfg.pgUrl, prefix);
  }
  return rows;
}

function printTable(rows: Row[]) {
  const lines = [
    '',
    '| scenario | as | engine | p50 ms | p95 ms | req/s | pages/s | of catalog | CPU host / bench |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      r =>
        `| ${r.scenario} | ${r.as} | ${r.engine} | ${r.p50.toFixed(
          1,
        )} | ${r.p95.toFixed(1)} | ${r.rate.toFixed(0)} | ${
          r.pages === undefined ? '' : r.pages.toFixed(0)
        } | ${Math.round(r.ofCatalog * 100)}% | ${r.cpu} |`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  process.stdout.write(
    `Vigil users bench: ${cfg.incidents} incidents, ${cfg.concurrency} ` +
      `clients, ${cfg.requests} requests per scenario (+${cfg.warmup} ` +
      `warm-up); ${availableParallelism()} cores, load average ${loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}\n`,
  );
  const rows: Row[] = [];
  for (const engine of cfg.engines) rows.push(...(await benchEngine(engine)));
  printTable(rows);
  await stopLoad();
  process.exit(0);
}

main().catch(async error => {
  process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
  await stopLoad();
  process.exit(1);
});
