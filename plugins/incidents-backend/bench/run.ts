/*
 * `yarn bench`: load a year of incidents into SQLite and PostgreSQL, start
 * the real incidents HTTP API on each and measure it over real HTTP at a
 * fixed concurrency. Prints one markdown table per engine and a combined one.
 *
 * Environment (all optional):
 *   BENCH_INCIDENTS=100000   incidents to load
 *   BENCH_REQUESTS=2000      measured requests per read scenario (after warm-up)
 *   BENCH_WARMUP=500         warm-up requests per scenario, after the wait for
 *                            a quiet host and right before measuring, so the
 *                            server is measured warm (JIT-compiled, caches
 *                            filled), as a running backend is
 *   BENCH_CONCURRENCY=10     concurrent HTTP clients
 *   BENCH_OPENS=1000         measured POST /incidents
 *   BENCH_DEEP_PAGE=20       page of the filtered list the deep scenario reads
 *   BENCH_ENGINES=sqlite,postgres
 *   BENCH_PROFILE=1          print the most expensive SQL per scenario
 *   BENCH_EXPLAIN=1          print query plans of the read scenarios
 *   BENCH_BREAKDOWN=1        also time each read sequentially in-process
 *                            (IncidentService call, no HTTP) and over HTTP
 *                            with one client, to separate DB/store cost from
 *                            HTTP/express/validation cost and from queueing
 *   BENCH_CPU_PROF=<dir>     write a V8 CPU profile of the server thread for
 *                            each measured scenario (<engine>-<scenario>.cpuprofile;
 *                            open in Chrome DevTools or summarise with
 *                            `node bench/cpuprofileSummary.cjs <file>`)
 *   BENCH_SQLITE_WAL=1       PRAGMA journal_mode=WAL, synchronous=NORMAL
 *   BENCH_QUIET_WAIT_S=20    before each measurement wait (at most this long)
 *                            until the host is idle, as other processes on a
 *                            shared machine skew the numbers; 0 disables
 *   BENCH_KEEP=1             keep the databases (SQLite file, PostgreSQL
 *                            vigil_bench_*) for manual EXPLAIN; prints where
 *   BENCH_REUSE_SQLITE=<file>, BENCH_REUSE_PG=<database>
 *                            measure a database kept by BENCH_KEEP=1 again
 *                            (migrated to the current schema, not re-loaded
 *                            and kept afterwards) to iterate faster; opens of
 *                            earlier runs stay in it
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 *                            default postgresql://postgres@127.0.0.1:5432
 *
 * Exits 1 if any measured request answered with a non-2xx status (or
 * something else broke); missed latency targets are reported, not fatal.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startBenchApp } from './app';
import { applyDatabaseMigrations } from '../src/lib/migrations';
import {
  cpuSince,
  cpuSnapshot,
  serverCpuPerRequest,
  serverCpuSnapshot,
  withCpuProfile,
} from './cpu';
import { explainStatements, QueryProfiler } from './profile';
import { seedIncidents } from './seed';

const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  }
  return value;
};

const cfg = {
  incidents: int('BENCH_INCIDENTS', 100_000),
  requests: int('BENCH_REQUESTS', 2000),
  warmup: int('BENCH_WARMUP', 500),
  concurrency: int('BENCH_CONCURRENCY', 10),
  opens: int('BENCH_OPENS', 1000),
  deepPage: int('BENCH_DEEP_PAGE', 20),
  engines: (process.env.BENCH_ENGINES ?? 'sqlite,postgres')
    .split(',')
    .map(e => e.trim())
    .filter(Boolean),
  profile: process.env.BENCH_PROFILE === '1',
  explain: process.env.BENCH_EXPLAIN === '1',
  breakdown: process.env.BENCH_BREAKDOWN === '1',
  cpuProfDir: process.env.BENCH_CPU_PROF || undefined,

  sqliteWal: process.env.BENCH_SQLITE_WAL === '1',
  keep: process.env.BENCH_KEEP === '1',
  reuseSqlite: process.env.BENCH_REUSE_SQLITE || undefined,
  reusePg: process.env.BENCH_REUSE_PG || undefined,
  quietWaitS: int('BENCH_QUIET_WAIT_S', 20),
  pgUrl:
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432',
};

const TARGET_READ_P95_MS = 25;
const TARGET_OPENS_PER_S = 300;

type Req = { method: string; path: string; body?: unknown };
type Direct = () => Promise<unknown>;
type Check = (body: any, req: Req) => string | undefined;

/** A list page must be non-empty, at most 50 long and match its filter. */
const checkPage =
  (filter: (item: any) => boolean): Check =>
  body => {
    if (!Array.isArray(body?.items) || body.items.length === 0) {
      return 'no items';
    }
    if (body.items.length > 50) return 'more than 50 items';
    if (!(body.totalCount >= body.items.length)) return 'bad totalCount';
    const wrong = body.items.find((i: any) => !filter(i));
    return wrong ? `item ${wrong.ref} does not match the filter` : undefined;
  };
type Row = {
  scenario: string;
  engine: string;
  p50: number;
  p95: number;
  p99: number;
  rate: string;
  target: string;
  ok: boolean;
  cpu: string;
  /** CPU ms per request: server thread (+ PostgreSQL backends). */
  cpuPerRequest: string;
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const rows: Row[] = [];
const breakdownRows: string[] = [];
let non2xx = 0;

// ---- HTTP load in a worker thread -------------------------------------------

const worker = new Worker(join(__dirname, 'httpWorker.cjs'));
let jobId = 0;
function runLoad(
  baseUrl: string,
  headers: Record<string, string>,
  requests: Req[],
  concurrency = cfg.concurrency,
): Promise<{
  latencies: number[];
  statuses: Record<string, number>;
  failures: string[];
  wallMs: number;
}> {
  const id = ++jobId;
  return new Promise((resolve, reject) => {
    const onMessage = (msg: any) => {
      if (msg.id !== id) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(msg);
    };
    worker.on('message', onMessage);
    worker.on('error', reject);
    worker.postMessage({ id, baseUrl, headers, concurrency, requests });
  });
}

/**
 * Waits until the host has been idle (under 25% of all cores busy) for one
 * second, for at most BENCH_QUIET_WAIT_S; says so when it gave up.
 */
async function waitForQuiet(label: string) {
  if (!cfg.quietWaitS) return;
  const cores = availableParallelism();
  const deadline = performance.now() + cfg.quietWaitS * 1000;
  for (;;) {
    const start = cpuSnapshot();
    await new Promise(r => setTimeout(r, 1000));
    const end = cpuSnapshot();
    const busy = (end.host - start.host) / (end.at - start.at) / cores;
    if (!(busy >= 0.25)) return;
    if (performance.now() > deadline) {
      log(
        `(host still ${Math.round(busy * 100)}% busy after ${
          cfg.quietWaitS
        } s; measuring ${label} anyway)`,
      );
      return;
    }
  }
}

const logProfile = (file: string) => log(`CPU profile: ${file}`);

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

// ---- engines -------------------------------------------------------------------

type Engine = {
  name: string;
  knex: Knex;
  cleanup: () => Promise<void>;
};

async function openSqlite(): Promise<Engine> {
  const dir = cfg.reuseSqlite ?? mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const filename = cfg.reuseSqlite ?? join(dir, 'incidents.sqlite');
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  if (cfg.sqliteWal) {
    await knex.raw('PRAGMA journal_mode = WAL');
    await knex.raw('PRAGMA synchronous = NORMAL');
  }
  log(
    `SQLite: ${filename}${cfg.sqliteWal ? ' (WAL, synchronous=NORMAL)' : ''}`,
  );
  return {
    name: 'sqlite',
    knex,
    cleanup: async () => {
      await knex.destroy();
      if (cfg.keep || cfg.reuseSqlite) {
        log(`SQLite: kept ${filename}`);
      } else {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function openPostgres(): Promise<Engine | string> {
  const admin = knexFactory({
    client: 'pg',
    connection: cfg.pgUrl,
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 5000,
  });
  try {
    await admin.raw('select 1');
  } catch (error) {
    await admin.destroy().catch(() => {});
    return `PostgreSQL at ${redact(cfg.pgUrl)} did not answer (${
      (error as Error).message
    })`;
  }
  const name = cfg.reusePg ?? `vigil_bench_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) {
    throw new Error(`BENCH_REUSE_PG: '${name}' is not a database name`);
  }
  if (!cfg.reusePg) {
    await admin.raw(`CREATE DATABASE ${name}`);
  }
  const url = new URL(cfg.pgUrl);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  log(`PostgreSQL: database ${name} on ${redact(cfg.pgUrl)}`);
  return {
    name: 'postgres',
    knex,
    cleanup: async () => {
      await knex.destroy();
      if (cfg.keep || cfg.reusePg) {
        log(`PostgreSQL: kept database ${name}`);
      } else {
        await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        log(`PostgreSQL: dropped ${name}`);
      }
      await admin.destroy();
    },
  };
}

function redact(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<connection string>';
  }
}

// ---- the benchmark of one engine -----------------------------------------------

async function benchEngine(engine: Engine) {
  const { knex, name } = engine;
  const engineRows: Row[] = [];

  // The plugin's schema on the empty database, for seeding.
  await applyDatabaseMigrations({ getClient: async () => knex }, knex);
  const countRows = async (table: string) =>
    Number((await knex(table).count({ n: '*' }))[0].n);
  const existing = await countRows('incident');
  let loadLine: string;
  if (existing > 0) {
    // A reused database (BENCH_REUSE_*): measured as it is.
    loadLine =
      `${name}: reused a database with ${existing} incidents, ` +
      `${await countRows('incident_service')} service rows, ` +
      `${await countRows('incident_owner')} owner rows, ` +
      `${await countRows('incident_timeline')} timeline rows`;
  } else {
    log(`${name}: loading ${cfg.incidents} incidents...`);
    const seeded = await seedIncidents(knex, cfg.incidents, { log });
    loadLine =
      `${name}: loaded ${seeded.incidents} incidents, ${seeded.services} ` +
      `service rows, ${seeded.owners} owner rows, ${seeded.timeline} timeline ` +
      `rows in ${(seeded.ms / 1000).toFixed(1)} s (incl. ${
        name === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE'
      })`;
  }
  log(loadLine);
  // The reference the first open must get: after the loaded (and, in a
  // reused database, earlier opened) incidents.
  const [{ max }] = await knex('incident').max({ max: 'ref_number' });
  const nextRef = Number(max ?? 0) + 1;

  const profiler = new QueryProfiler(knex);
  const app = await startBenchApp(knex);
  const headers = {
    authorization: mockCredentials.user.header('user:default/bench'),
  };
  try {
    // Find the cursor of page `deepPage` of the filtered list by paging.
    const deepFilter = 'severity=sev2&severity=sev3&status=resolved&limit=50';
    let cursor: string | undefined;
    let pages = 1;
    for (; pages < cfg.deepPage; pages++) {
      const res = await fetch(
        `${app.baseUrl}/incidents?${deepFilter}${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`,
        { headers },
      );
      if (res.status !== 200) {
        throw new Error(`paging answered ${res.status}: ${await res.text()}`);
      }
      const body = (await res.json()) as { nextCursor?: string };
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    const deepPath = `/incidents?${deepFilter}${
      cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    }`;

    const random = (n: number) => 1 + Math.floor(Math.random() * n);
    const credentials = mockCredentials.user('user:default/bench');
    const reads: Array<{
      scenario: string;
      make: () => Req;
      direct: Direct;
      check: Check;
    }> = [
      {
        scenario: 'list first page',
        check: checkPage(() => true),
        make: () => ({ method: 'GET', path: '/incidents' }),
        direct: () => app.service.list({}, credentials),
      },
      {
        scenario: 'list by entityRef',
        check: checkPage(i =>
          i.affectedServices.includes('component:default/svc-07'),
        ),
        make: () => ({
          method: 'GET',
          path: `/incidents?entityRef=${encodeURIComponent(
            'component:default/svc-07',
          )}`,
        }),
        direct: () =>
          app.service.list(
            { entityRef: 'component:default/svc-07' },
            credentials,
          ),
      },
      {
        scenario: `list filtered, page ${pages}`,
        check: checkPage(
          i => i.status === 'resolved' && ['sev2', 'sev3'].includes(i.severity),
        ),
        make: () => ({ method: 'GET', path: deepPath }),
        direct: () =>
          app.service.list(
            {
              severity: ['sev2', 'sev3'],
              status: ['resolved'],
              limit: 50,
              cursor,
            },
            credentials,
          ),
      },
      {
        scenario: 'get by ref',
        check: (body, req) =>
          `/incidents/${body?.ref}` === req.path &&
          Array.isArray(body.actionItems)
            ? undefined
            : `answered ${JSON.stringify(body).slice(0, 200)}`,
        make: () => ({
          method: 'GET',
          path: `/incidents/INC-${random(Math.max(1, cfg.incidents))}`,
        }),
        direct: () =>
          app.service.get(
            `INC-${random(Math.max(1, cfg.incidents))}`,
            credentials,
          ),
      },
    ];

    for (const { scenario, make, direct, check } of reads) {
      // One request checked by content, so a fast wrong answer (an empty
      // page, a filter that matches nothing) cannot pass for a result.
      const probe = make();
      const probeRes = await fetch(app.baseUrl + probe.path, { headers });
      const problem =
        probeRes.status === 200
          ? check(await probeRes.json(), probe)
          : `status ${probeRes.status}`;
      if (problem) {
        throw new Error(`${name} / ${scenario}: ${probe.path}: ${problem}`);
      }
      await waitForQuiet(`${name} / ${scenario}`);
      await runLoad(
        app.baseUrl,
        headers,
        Array.from({ length: cfg.warmup }, make),
      );
      if (cfg.explain) {
        profiler.capture();
        await runLoad(app.baseUrl, headers, [make()], 1);
        const plans = await explainStatements(knex, profiler.takeCaptured());
        log(`\n[explain] ${name} / ${scenario}\n${plans}\n`);
      }
      if (cfg.breakdown) {
        const n = Math.max(50, Math.floor(cfg.requests / 2));
        const inProcess: number[] = [];
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await direct();
          inProcess.push(performance.now() - t0);
        }
        const oneClient = await runLoad(
          app.baseUrl,
          headers,
          Array.from({ length: n }, make),
          1,
        );
        const p = (list: number[], q: number) =>
          percentile(
            [...list].sort((a, b) => a - b),
            q,
          ).toFixed(2);
        const line =
          `| ${scenario} | ${name} | ${p(inProcess, 50)} | ${p(
            inProcess,
            95,
          )} | ` +
          `${p(oneClient.latencies, 50)} | ${p(oneClient.latencies, 95)} |`;
        breakdownRows.push(line);
      }
      if (cfg.profile) profiler.startTiming();
      const serverCpu = await serverCpuSnapshot(knex);
      const cpu = cpuSnapshot();
      const result = await withCpuProfile(
        cfg.cpuProfDir,
        `${name}-${scenario}`,
        () =>
          runLoad(
            app.baseUrl,
            headers,
            Array.from({ length: cfg.requests }, make),
          ),
        logProfile,
      );
      const cpuText = cpuSince(cpu);
      const perRequest = await serverCpuPerRequest(
        knex,
        serverCpu,
        cfg.requests,
      );
      if (cfg.profile) {
        log(
          `\n[profile] ${name} / ${scenario}\n${profiler.stopTiming(
            cfg.requests,
          )}\n`,
        );
      }
      engineRows.push(
        toRow(scenario, name, result, 'read', cpuText, perRequest),
      );
    }

    // Opening: warm up, then measure.
    let openSeq = 0;
    const makeOpen = (): Req => ({
      method: 'POST',
      path: '/incidents',
      body: {
        title: `Bench open ${++openSeq}`,
        severity: 'sev3',
        affectedServices: ['component:default/svc-03'],
      },
    });
    // The first open is checked by content: a new reference after the
    // loaded ones, owner group from the catalog.
    const probeOpen = makeOpen();
    const opened = await fetch(app.baseUrl + probeOpen.path, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(probeOpen.body),
    });
    const openedBody: any = await opened.json();
    if (
      opened.status !== 201 ||
      openedBody.ref !== `INC-${nextRef}` ||
      openedBody.ownerGroups?.[0] !== 'group:default/team-3'
    ) {
      throw new Error(
        `${name}: POST /incidents answered ${opened.status} ${JSON.stringify(
          openedBody,
        ).slice(0, 300)}`,
      );
    }
    await waitForQuiet(`${name} / open`);
    await runLoad(
      app.baseUrl,
      headers,
      Array.from({ length: cfg.warmup }, makeOpen),
    );
    if (cfg.breakdown) {
      const n = 100;
      const inProcess: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await app.service.open(makeOpen().body as any, credentials);
        inProcess.push(performance.now() - t0);
      }
      const oneClient = await runLoad(
        app.baseUrl,
        headers,
        Array.from({ length: n }, makeOpen),
        1,
      );
      const p = (list: number[], q: number) =>
        percentile(
          [...list].sort((a, b) => a - b),
          q,
        ).toFixed(2);
      breakdownRows.push(
        `| open | ${name} | ${p(inProcess, 50)} | ${p(inProcess, 95)} | ` +
          `${p(oneClient.latencies, 50)} | ${p(oneClient.latencies, 95)} |`,
      );
    }
    if (cfg.profile) profiler.startTiming();
    const openServerCpu = await serverCpuSnapshot(knex);
    const openCpu = cpuSnapshot();
    const opens = await withCpuProfile(
      cfg.cpuProfDir,
      `${name}-open`,
      () =>
        runLoad(
          app.baseUrl,
          headers,
          Array.from({ length: cfg.opens }, makeOpen),
        ),
      logProfile,
    );
    const openCpuText = cpuSince(openCpu);
    const openPerRequest = await serverCpuPerRequest(
      knex,
      openServerCpu,
      cfg.opens,
    );
    if (cfg.profile) {
      log(`\n[profile] ${name} / open\n${profiler.stopTiming(cfg.opens)}\n`);
    }
    engineRows.push(
      toRow(
        'open (POST /incidents)',
        name,
        opens,
        'open',
        openCpuText,
        openPerRequest,
      ),
    );
  } finally {
    await app.close();
  }

  printTable(`${name}: ${loadLine.replace(`${name}: `, '')}`, engineRows);
  rows.push(...engineRows);
}

function toRow(
  scenario: string,
  engine: string,
  result: Awaited<ReturnType<typeof runLoad>>,
  kind: 'read' | 'open',
  cpu: string,
  cpuPerRequest: string,
): Row {
  const expected = kind === 'open' ? [201] : [200];
  let bad = 0;
  for (const [status, n] of Object.entries(result.statuses)) {
    if (!expected.includes(Number(status))) bad += n;
  }
  if (bad) {
    non2xx += bad;
    log(
      `!! ${engine} / ${scenario}: ${bad} unexpected answers ${JSON.stringify(
        result.statuses,
      )}\n   ${result.failures.join('\n   ')}`,
    );
  }
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const n = sorted.length;
  const perSecond = n / (result.wallMs / 1000);
  const p95 = percentile(sorted, 95);
  const ok =
    bad === 0 &&
    (kind === 'open'
      ? perSecond >= TARGET_OPENS_PER_S
      : p95 < TARGET_READ_P95_MS);
  return {
    scenario: `${scenario} (n=${n}${bad ? `, ${bad} non-2xx` : ''})`,
    engine,
    p50: percentile(sorted, 50),
    p95,
    p99: percentile(sorted, 99),
    rate: `${perSecond.toFixed(0)} ${kind === 'open' ? 'opens/s' : 'req/s'}`,
    target:
      kind === 'open'
        ? `≥ ${TARGET_OPENS_PER_S} opens/s`
        : `p95 < ${TARGET_READ_P95_MS} ms`,
    ok,
    cpu,
    cpuPerRequest,
  };
}

function printTable(title: string, list: Row[]) {
  const lines = [
    '',
    `### ${title}`,
    '',
    '| scenario | engine | p50 ms | p95 ms | p99 ms | rate | target | met | CPU host / bench | CPU ms/req server (+ db) |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |',
    ...list.map(
      r =>
        `| ${r.scenario} | ${r.engine} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(
          1,
        )} | ${r.p99.toFixed(1)} | ${r.rate} | ${r.target} | ${
          r.ok ? 'yes' : '**NO**'
        } | ${r.cpu} | ${r.cpuPerRequest} |`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const started = performance.now();
  process.stdout.write(
    `Vigil incidents backend bench: ${cfg.incidents} incidents, ` +
      `${cfg.concurrency} concurrent clients, ${cfg.requests} requests per ` +
      `read scenario (+${cfg.warmup} warm-up), ${cfg.opens} opens\n` +
      `Targets: p95 < ${TARGET_READ_P95_MS} ms for each read, ≥ ${TARGET_OPENS_PER_S} opens/s\n` +
      `Host: ${availableParallelism()} cores, load average ${loadavg()
        .map(l => l.toFixed(2))
        .join(' ')} at start. "CPU host / bench" is the CPU used during the ` +
      `measurement by the whole host and by this process (server + client ` +
      `thread), in % of one core; host minus bench is PostgreSQL plus anything ` +
      `else running.\n`,
  );
  if (loadavg()[0] > availableParallelism() / 2) {
    process.stdout.write(
      `WARNING: the host is busy (load ${loadavg()[0].toFixed(
        2,
      )}); numbers will be noisy\n`,
    );
  }

  const skipped: string[] = [];
  for (const name of cfg.engines) {
    let engine: Engine | string;
    if (name === 'sqlite') engine = await openSqlite();
    else if (name === 'postgres') engine = await openPostgres();
    else throw new Error(`Unknown engine '${name}' in BENCH_ENGINES`);
    if (typeof engine === 'string') {
      const message = `Skipping PostgreSQL: ${engine}`;
      log(message);
      skipped.push(message);
      continue;
    }
    try {
      await benchEngine(engine);
    } finally {
      await engine.cleanup();
    }
  }

  printTable('All engines', rows);
  if (breakdownRows.length) {
    process.stdout.write(
      `${[
        '',
        '### Breakdown: sequential, one caller (ms)',
        '',
        '| scenario | engine | in-process p50 | in-process p95 | HTTP 1 client p50 | HTTP 1 client p95 |',
        '| --- | --- | ---: | ---: | ---: | ---: |',
        ...breakdownRows,
        '',
      ].join('\n')}\n`,
    );
  }
  for (const message of skipped) process.stdout.write(`${message}\n`);
  const missed = rows.filter(r => !r.ok);
  process.stdout.write(
    `Targets: ${rows.length - missed.length}/${rows.length} met${
      missed.length
        ? ` (missed: ${missed
            .map(r => `${r.engine} ${r.scenario.replace(/ \(n=.*/, '')}`)
            .join('; ')})`
        : ''
    }\nTotal runtime: ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await worker.terminate();
  if (non2xx) {
    process.stdout.write(`FAILED: ${non2xx} measured requests were not 2xx\n`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch(async error => {
  // Knex puts the whole statement in SQLite errors: keep the output readable.
  const text = String(error?.stack ?? error);
  process.stderr.write(
    `bench failed: ${text.length > 3000 ? `${text.slice(0, 3000)}…` : text}\n`,
  );
  await worker.terminate();
  process.exit(1);
});
