/*
 * `yarn bench:alerts`: alert intake over real HTTP on SQLite and PostgreSQL.
 *
 * The real router, alert, incident and escalation services run in this
 * process; the load comes from a worker thread (bench/httpWorker.cjs) so the
 * client's work doesn't share the server's event loop. Storm aggregation is
 * on (the default), alerts map to 20 catalog components by their `service`
 * label, and severities are warnings (no incident per alert, as most alerts
 * are), so the figures are the intake path every alert takes.
 *
 * 1. single: POST /alerts, one alert per request, 8 concurrent senders.
 * 2. batched: POST /alerts/alertmanager with 100 alerts per message, 8
 *    concurrent senders.
 * 3. first page: a sev1 alert opens an incident whose policy pages one user;
 *    the time from sending the alert to the page reaching the pager, for
 *    alerts sent one after another (the timer task is kicked when paging
 *    starts, and also runs every 2 s).
 *
 * Environment (optional): BENCH_ALERTS_SINGLE=3000, BENCH_ALERTS_BATCHES=100,
 * BENCH_ALERTS_FIRST_PAGE=30, BENCH_CONCURRENCY=8,
 * BENCH_ENGINES=sqlite,postgres, BENCH_PROFILE=1 (print the most expensive
 * SQL statements of the single and batched scenarios),
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { IncidentPage, IncidentPager } from '@vigil/plugin-incidents-node';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createBenchBackend, listen } from './backend';
import { serverCpuPerRequest, serverCpuSnapshot } from './cpu';
import { QueryProfiler } from './profile';

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer`);
  }
  return value;
};
const cfg = {
  single: int('BENCH_ALERTS_SINGLE', 3000),
  batches: int('BENCH_ALERTS_BATCHES', 100),
  firstPage: int('BENCH_ALERTS_FIRST_PAGE', 30),
  concurrency: int('BENCH_CONCURRENCY', 8),
  engines: (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(','),
  profile: process.env.BENCH_PROFILE === '1',
  pgUrl:
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432',
};
const TARGETS = {
  single: 1000,
  batched: 5000,
  acceptP99: 50,
  firstPageP99: 5000,
};

const COMPONENTS = 20;
function entities(): Entity[] {
  const list: Entity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'sre', namespace: 'default' },
      spec: { type: 'team', children: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'oncall', namespace: 'default' },
      spec: { memberOf: ['sre'] },
    },
  ];
  for (let c = 0; c < COMPONENTS; c++) {
    list.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: `svc-${c}`, namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner: 'sre' },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/sre' }],
    });
  }
  return list;
}

class TimingPager implements IncidentPager {
  readonly id = 'bench';
  readonly sentAt = new Map<string, number>();
  async send(page: IncidentPage) {
    this.sentAt.set(page.incident.id, Date.now());
  }
}

async function startApp(knex: Knex) {
  const pager = new TimingPager();
  const backend = await createBenchBackend(knex, {
    entities: entities(),
    pagers: [pager],
    settings: {
      escalation: {
        interval: { seconds: 2 },
        pagingSeverities: ['sev1', 'sev2'],
        policies: [
          {
            id: 'bench',
            name: 'Bench',
            severities: ['sev1', 'sev2'],
            services: [],
            repeat: 0,
            steps: [
              { targets: [{ user: 'user:default/oncall' }], delayMinutes: 5 },
            ],
          },
        ],
        webhooks: [],
        retry: {
          maxAttempts: 5,
          initialBackoffMs: 10_000,
          maxBackoffMs: 600_000,
        },
      },
    },
  });
  const server = await listen(backend.router);
  // The timer task, as the local scheduler runs it.
  const escalation = backend.services.escalation;
  const timer = setInterval(() => escalation.kick(), 2000);
  return {
    baseUrl: server.baseUrl,
    pager,
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}

type Job = {
  method: string;
  path: string;
  body?: unknown;
};
type JobResult = {
  latencies: number[];
  statuses: Record<string, number>;
  failures: string[];
  wallMs: number;
};

function runHttp(
  worker: Worker,
  baseUrl: string,
  requests: Job[],
  concurrency: number,
): Promise<JobResult> {
  const id = Math.random();
  const headers = {
    authorization: mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('external:bench'),
      targetPluginId: 'test',
    }),
  };
  return new Promise(resolve => {
    const onMessage = (message: JobResult & { id: number }) => {
      if (message.id !== id) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.postMessage({ id, baseUrl, headers, concurrency, requests });
  });
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
};

function alert(i: number, prefix: string) {
  return {
    source: 'bench',
    fingerprint: `${prefix}-${i}`,
    status: 'firing',
    severity: 'sev3',
    title: `Latency high on svc-${i % COMPONENTS}`,
    entityRef: `component:default/svc-${i % COMPONENTS}`,
    labels: { alertname: 'LatencyHigh', instance: `host-${i % 97}` },
  };
}

function alertmanagerMessage(batch: number, size: number) {
  return {
    version: '4',
    groupKey: `{}:{alertname="DiskFull",batch="${batch}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'vigil',
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: { alertname: 'DiskFull', severity: 'warning' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: Array.from({ length: size }, (_, i) => ({
      status: 'firing',
      labels: {
        alertname: 'DiskFull',
        severity: 'warning',
        service: `svc-${(batch + i) % COMPONENTS}`,
        instance: `host-${batch}-${i}`,
      },
      annotations: { summary: `Disk full on host-${batch}-${i}` },
      startsAt: new Date().toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph',
      fingerprint: `am-${batch}-${i}`,
    })),
  };
}

async function openEngine(name: string) {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerts-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'bench.sqlite') },
      useNullAsDefault: true,
      pool: {
        afterCreate: (conn: any, done: Function) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          done();
        },
      },
    });
    return {
      name: 'SQLite',
      knex,
      cleanup: async () => {
        await knex.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const db = `vigil_bench_alerts_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: cfg.pgUrl });
  await admin.raw(`CREATE DATABASE ${db}`);
  const url = new URL(cfg.pgUrl);
  url.pathname = `/${db}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 10 },
  });
  return {
    name: 'PostgreSQL',
    knex,
    cleanup: async () => {
      await knex.destroy();
      await admin.raw(`DROP DATABASE ${db}`);
      await admin.destroy();
    },
  };
}

async function main() {
  const worker = new Worker(join(__dirname, 'httpWorker.cjs'));
  const rows: string[] = [];
  let failed = false;
  try {
    for (const engineName of cfg.engines) {
      const engine = await openEngine(engineName.trim());
      const app = await startApp(engine.knex);
      const profiler = new QueryProfiler(engine.knex);
      try {
        console.log(`… ${engine.name}`);
        // Warm-up (JIT, catalog cache, connection pool).
        await runHttp(
          worker,
          app.baseUrl,
          Array.from({ length: 200 }, (_, i) => ({
            method: 'POST',
            path: '/alerts',
            body: alert(i, 'warm'),
          })),
          cfg.concurrency,
        );

        if (cfg.profile) profiler.startTiming();
        const singleCpu = await serverCpuSnapshot(engine.knex);
        const single = await runHttp(
          worker,
          app.baseUrl,
          Array.from({ length: cfg.single }, (_, i) => ({
            method: 'POST',
            path: '/alerts',
            body: alert(i, 'single'),
          })),
          cfg.concurrency,
        );
        const singleCpuPer = await serverCpuPerRequest(
          engine.knex,
          singleCpu,
          cfg.single,
        );
        if (cfg.profile) {
          console.log(
            `[profile] ${engine.name} / single\n${profiler.stopTiming(
              cfg.single,
              10,
            )}`,
          );
          profiler.startTiming();
        }
        const batchedCpu = await serverCpuSnapshot(engine.knex);
        const batched = await runHttp(
          worker,
          app.baseUrl,
          Array.from({ length: cfg.batches }, (_, b) => ({
            method: 'POST',
            path: '/alerts/alertmanager',
            body: alertmanagerMessage(b, 100),
          })),
          cfg.concurrency,
        );
        const batchedCpuPer = await serverCpuPerRequest(
          engine.knex,
          batchedCpu,
          cfg.batches * 100,
        );
        if (cfg.profile) {
          console.log(
            `[profile] ${
              engine.name
            } / batched (per message)\n${profiler.stopTiming(cfg.batches, 10)}`,
          );
        }
        for (const r of [single, batched]) {
          const bad = Object.entries(r.statuses).filter(([s]) => s !== '202');
          if (bad.length) {
            failed = true;
            console.error('non-202 answers:', bad, r.failures);
          }
        }

        // Time to first page: sev1 alerts of distinct groups, one at a time.
        const firstPage: number[] = [];
        for (let i = 0; i < cfg.firstPage; i++) {
          const sentAt = Date.now();
          const res = await runHttp(
            worker,
            app.baseUrl,
            [
              {
                method: 'POST',
                path: '/alerts',
                body: {
                  source: 'bench-critical',
                  fingerprint: `critical-${i}`,
                  status: 'firing',
                  severity: 'sev1',
                  title: `Checkout down ${i}`,
                  labels: { alertname: 'CheckoutDown' },
                },
              },
            ],
            1,
          );
          if (!res.statuses['202']) {
            failed = true;
            console.error('first page alert failed', res.failures);
            continue;
          }
          const deadline = Date.now() + 30_000;
          let paged: number | undefined;
          while (!paged && Date.now() < deadline) {
            await new Promise(r => setTimeout(r, 20));
            paged = [...app.pager.sentAt.values()].find(t => t >= sentAt);
          }
          if (!paged) {
            failed = true;
            console.error(`alert critical-${i} was never paged`);
            continue;
          }
          firstPage.push(paged - sentAt);
          app.pager.sentAt.clear();
        }

        const singleRate = (cfg.single / single.wallMs) * 1000;
        const batchedRate = ((cfg.batches * 100) / batched.wallMs) * 1000;
        const f = (n: number) => n.toFixed(1);
        const met = (ok: boolean) => (ok ? 'yes' : 'NO');
        // The throughput targets are PostgreSQL's (the production
        // database); the latency targets hold on both engines.
        const rateTargets = engine.name === 'PostgreSQL';
        const singleP99 = pct(single.latencies, 0.99);
        rows.push(
          `| ${engine.name} | single alerts, ${cfg.concurrency} senders | ${f(
            pct(single.latencies, 0.5),
          )} | ${f(singleP99)} | ${singleRate.toFixed(0)} alerts/s | ${
            rateTargets ? `≥ ${TARGETS.single}/s, ` : ''
          }p99 < ${TARGETS.acceptP99} ms | ${met(
            (!rateTargets || singleRate >= TARGETS.single) &&
              singleP99 < TARGETS.acceptP99,
          )} | ${singleCpuPer} |`,
          `| ${engine.name} | Alertmanager batches of 100, ${
            cfg.concurrency
          } senders | ${f(pct(batched.latencies, 0.5))} | ${f(
            pct(batched.latencies, 0.99),
          )} | ${batchedRate.toFixed(0)} alerts/s | ${
            rateTargets ? `≥ ${TARGETS.batched}/s` : '—'
          } | ${
            rateTargets ? met(batchedRate >= TARGETS.batched) : '—'
          } | ${batchedCpuPer} |`,
          `| ${engine.name} | sev1 alert → first page | ${f(
            pct(firstPage, 0.5),
          )} | ${f(pct(firstPage, 0.99))} | ${firstPage.length} pages | p99 < ${
            TARGETS.firstPageP99
          } ms | ${met(pct(firstPage, 0.99) < TARGETS.firstPageP99)} | |`,
        );
      } finally {
        await app.close();
        await engine.cleanup();
      }
    }
  } finally {
    await worker.terminate();
  }
  console.log(
    '\nAlert intake over HTTP (latency in ms; a batch is one request)\n',
  );
  console.log(
    '| engine | scenario | p50 | p99 | throughput | target | met | CPU ms/alert server (+ db) |',
  );
  console.log('|---|---|---|---|---|---|---|---:|');
  rows.forEach(r => console.log(r));
  if (failed) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
