/*
 * `node --require @backstage/cli/config/nodeTransform.cjs bench/micro.ts`:
 * the CPU time of one request per read scenario and of one open, measured
 * sequentially (one client, no queueing) on a database kept by
 * `BENCH_KEEP=1 yarn bench`, split into the service call in-process and the
 * whole request over HTTP (server thread only; the client runs in a worker).
 * CPU time, unlike latency, hardly depends on what else the shared machine
 * runs, so this compares two versions of the code more reliably.
 *
 *   BENCH_REUSE_SQLITE=<file> or BENCH_REUSE_PG=<database> (one of them)
 *   BENCH_MICRO_N=300        calls per scenario
 *   BENCH_MICRO_ONLY=<text>  only the scenarios whose name contains it
 *   BENCH_MICRO_HTTP=0       in-process calls only
 *   BENCH_CPU_PROF=<dir>     V8 CPU profiles of the measured loops only
 *                            (<scenario>-direct / -http.cpuprofile)
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startBenchApp } from './app';
import { withCpuProfile } from './cpu';

const n = Number(process.env.BENCH_MICRO_N ?? 300);
const sqliteFile = process.env.BENCH_REUSE_SQLITE;
const pgDatabase = process.env.BENCH_REUSE_PG;
const pgUrl =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

const cpuMs = () => {
  const t = process.threadCpuUsage();
  return (t.user + t.system) / 1000;
};

const profiled = <T>(name: string, run: () => Promise<T>) =>
  withCpuProfile(process.env.BENCH_CPU_PROF, name, run);

async function main() {
  let knex;
  if (sqliteFile) {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: sqliteFile },
      useNullAsDefault: true,
    });
  } else if (pgDatabase) {
    const url = new URL(pgUrl);
    url.pathname = `/${pgDatabase}`;
    knex = knexFactory({ client: 'pg', connection: url.toString() });
  } else {
    throw new Error('Set BENCH_REUSE_SQLITE or BENCH_REUSE_PG');
  }
  const isPg = Boolean(pgDatabase);
  const dbPids = async () =>
    isPg
      ? (
          await knex.raw(
            'select pid from pg_stat_activity where datname = current_database()',
          )
        ).rows.map((r: any) => r.pid)
      : [];
  const dbCpu = async () => {
    let ms = 0;
    for (const pid of await dbPids()) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ms += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
      } catch {
        // gone
      }
    }
    return ms;
  };
  const app = await startBenchApp(knex);
  const credentials = mockCredentials.user('user:default/bench');
  const headers = {
    authorization: mockCredentials.user.header('user:default/bench'),
  };
  const worker = new Worker(join(__dirname, 'httpWorker.cjs'));
  let id = 0;
  const http = (requests: any[]) =>
    new Promise<any>(resolve => {
      const job = ++id;
      const on = (msg: any) => {
        if (msg.id !== job) return;
        worker.off('message', on);
        resolve(msg);
      };
      worker.on('message', on);
      worker.postMessage({
        id: job,
        baseUrl: app.baseUrl,
        headers,
        concurrency: 1,
        requests,
      });
    });

  // The cursor of page 20 of the filtered list.
  let cursor: string | undefined;
  for (let page = 1; page < 20; page++) {
    const res = await app.service.list(
      {
        severity: ['sev2', 'sev3'],
        status: ['resolved'],
        limit: 50,
        cursor,
      },
      credentials,
    );
    cursor = res.nextCursor;
  }
  const count = Number((await knex('incident').count({ n: '*' }))[0].n);
  const random = () => `INC-${1 + Math.floor(Math.random() * count)}`;
  let seq = 0;
  const scenarios: Array<{
    name: string;
    direct: () => Promise<unknown>;
    req: () => any;
  }> = [
    {
      name: 'list first page',
      direct: () => app.service.list({}, credentials),
      req: () => ({ method: 'GET', path: '/incidents' }),
    },
    {
      name: 'list by entityRef',
      direct: () =>
        app.service.list(
          { entityRef: 'component:default/svc-07' },
          credentials,
        ),
      req: () => ({
        method: 'GET',
        path: `/incidents?entityRef=${encodeURIComponent(
          'component:default/svc-07',
        )}`,
      }),
    },
    {
      name: 'list filtered, page 20',
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
      req: () => ({
        method: 'GET',
        path: `/incidents?severity=sev2&severity=sev3&status=resolved&limit=50&cursor=${encodeURIComponent(
          cursor!,
        )}`,
      }),
    },
    {
      name: 'get by ref',
      direct: () => app.service.get(random(), credentials),
      req: () => ({ method: 'GET', path: `/incidents/${random()}` }),
    },
    {
      name: 'open',
      direct: () =>
        app.service.open(
          {
            title: `Micro open ${++seq}`,
            severity: 'sev3',
            affectedServices: ['component:default/svc-03'],
          },
          credentials,
        ),
      req: () => ({
        method: 'POST',
        path: '/incidents',
        body: {
          title: `Micro open ${++seq}`,
          severity: 'sev3',
          affectedServices: ['component:default/svc-03'],
        },
      }),
    },
  ];
  const lines = [
    `| scenario | in-process ms CPU | HTTP server ms CPU | db ms CPU (HTTP) |`,
    `| --- | ---: | ---: | ---: |`,
  ];
  const only = process.env.BENCH_MICRO_ONLY;
  const withHttp = process.env.BENCH_MICRO_HTTP !== '0';
  for (const s of scenarios) {
    if (only && !s.name.includes(only)) continue;
    for (let i = 0; i < 30; i++) await s.direct();
    const c0 = cpuMs();
    await profiled(`${s.name}-direct`, async () => {
      for (let i = 0; i < n; i++) await s.direct();
    });
    const direct = (cpuMs() - c0) / n;
    if (!withHttp) {
      lines.push(`| ${s.name} | ${direct.toFixed(3)} | - | - |`);
      continue;
    }
    await http(Array.from({ length: 30 }, s.req));
    const d0 = await dbCpu();
    const c1 = cpuMs();
    const result = await profiled(`${s.name}-http`, () =>
      http(Array.from({ length: n }, s.req)),
    );
    const viaHttp = (cpuMs() - c1) / n;
    const db = ((await dbCpu()) - d0) / n;
    const bad = Object.keys(result.statuses).filter(k => !/^2/.test(k));
    lines.push(
      `| ${s.name}${
        bad.length ? ` (${JSON.stringify(result.statuses)})` : ''
      } | ${direct.toFixed(3)} | ${viaHttp.toFixed(3)} | ${
        isPg ? db.toFixed(3) : '-'
      } |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  await worker.terminate();
  await app.close();
  await knex.destroy();
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
