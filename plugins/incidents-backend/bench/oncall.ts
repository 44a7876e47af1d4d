/*
 * `yarn bench:oncall`: on-call and escalation figures on SQLite and
 * PostgreSQL, with the real stores and services (no HTTP).
 *
 * 1. "Who is on call now" across 1,000 schedules with 8 weeks of slots:
 *    p50/p95 of the call answering for all of them, and of one schedule.
 * 2. Escalation lateness: 1,000 sev1 incidents start escalating at the same
 *    instant (two steps, 6 s apart). The timer task runs like Backstage's
 *    local scheduler runs it (every `interval`, default 2 s): on PostgreSQL
 *    as two replicas with their own connection pools, the second offset by
 *    half an interval; on SQLite (one backend process) as one. A capturing pager records when each page is handed to
 *    it; lateness is that time minus the step's due time. Every page must
 *    arrive exactly once: lost or duplicate pages are counted and fail the
 *    run.
 *
 * Environment (all optional):
 *   BENCH_SCHEDULES=1000  BENCH_ESCALATIONS=1000  BENCH_INTERVAL_MS=2000
 *   BENCH_ENGINES=sqlite,postgres
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 *                         default postgresql://postgres@127.0.0.1:5432
 */
import { mockServices } from '@backstage/backend-test-utils';
import { EscalationPolicy } from '@vigil/plugin-incidents-common';
import { IncidentPage, IncidentPager } from '@vigil/plugin-incidents-node';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EscalationConfig } from '../src/escalation/config';
import { ScheduleDefinition } from '../src/oncall/config';
import { createBenchBackend } from './backend';

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer`);
  }
  return value;
};
const cfg = {
  schedules: int('BENCH_SCHEDULES', 1000),
  escalations: int('BENCH_ESCALATIONS', 1000),
  intervalMs: int('BENCH_INTERVAL_MS', 2000),
  engines: (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(','),
  pgUrl:
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432',
};
const TARGET_LATENESS_P99_MS = 5000;

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
const USERS = Array.from({ length: 50 }, (_, i) => `user:default/u${i}`);

function schedules(count: number): ScheduleDefinition[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `s${i}`,
    name: `Schedule ${i}`,
    active: true,
    timeZone: ZONES[i % ZONES.length],
    type: (['daily', 'weekly', 'custom'] as const)[i % 3],
    length: i % 3 === 2 ? { hours: 12 } : undefined,
    handoffTime: '09:00',
    start: '2026-01-05',
    members: [0, 1, 2, 3, 4].map(k => USERS[(i + k) % USERS.length]),
  }));
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function timeIt(n: number, fn: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) await fn(); // warm-up
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

class RecordingPager implements IncidentPager {
  readonly id = 'bench';
  readonly received: Array<{ page: IncidentPage; at: number }> = [];
  async send(page: IncidentPage) {
    this.received.push({ page, at: Date.now() });
  }
}

type Engine = {
  name: string;
  knex: Knex;
  /** A second client on the same database (a second replica). */
  second: () => Knex;
  cleanup: () => Promise<void>;
};

async function openEngine(name: string): Promise<Engine> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-oncall-'));
    const config: Knex.Config = {
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'bench.sqlite') },
      useNullAsDefault: true,
      pool: {
        afterCreate: (conn: any, done: Function) => {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          done();
        },
      },
    };
    const knex = knexFactory(config);
    const extra: Knex[] = [];
    return {
      name: 'SQLite',
      knex,
      second: () => {
        const k = knexFactory(config);
        extra.push(k);
        return k;
      },
      cleanup: async () => {
        await Promise.all([knex, ...extra].map(k => k.destroy()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const db = `vigil_bench_oncall_${randomBytes(4).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: cfg.pgUrl });
  await admin.raw(`CREATE DATABASE ${db}`);
  const url = new URL(cfg.pgUrl);
  url.pathname = `/${db}`;
  const config: Knex.Config = {
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 10 },
  };
  const knex = knexFactory(config);
  const extra: Knex[] = [];
  return {
    name: 'PostgreSQL',
    knex,
    second: () => {
      const k = knexFactory(config);
      extra.push(k);
      return k;
    },
    cleanup: async () => {
      await Promise.all([knex, ...extra].map(k => k.destroy()));
      await admin.raw(`DROP DATABASE ${db}`);
      await admin.destroy();
    },
  };
}

async function benchEngine(engine: Engine) {
  const definitions = schedules(cfg.schedules);
  const policy: EscalationPolicy = {
    id: 'bench',
    name: 'Bench',
    severities: ['sev1'],
    services: [],
    repeat: 0,
    steps: [
      { targets: [{ schedule: 's1' }], delayMinutes: 0.1 },
      { targets: [{ user: 'user:default/lead' }], delayMinutes: 0.1 },
    ],
  };
  const config: EscalationConfig = {
    interval: { milliseconds: cfg.intervalMs },
    pagingSeverities: ['sev1'],
    policies: [policy],
    webhooks: [],
    retry: { maxAttempts: 5, initialBackoffMs: 10_000, maxBackoffMs: 600_000 },
  };
  const pager = new RecordingPager();
  // One replica of the plugin per Knex pool, from the composition root.
  const replica = (knex: Knex, id: string) =>
    createBenchBackend(knex, {
      settings: { schedules: definitions, escalation: config },
      pagers: [pager],
      kickOnStart: false,
      instanceId: id,
    });
  const generateStart = performance.now();
  // Building the plugin generates every schedule's slots.
  const first = await replica(engine.knex, 'a');
  const generateMs = performance.now() - generateStart;
  const oncall = first.services.oncall;
  const slotCount = Number(
    (await engine.knex('oncall_slot').count({ n: '*' }))[0].n,
  );
  const credentials = await mockServices.auth().getOwnServiceCredentials();
  const all = await timeIt(100, async () => {
    const rows = await oncall.whoIsOnCall({ credentials });
    if (rows.length !== cfg.schedules || rows.some(r => !r.user)) {
      throw new Error('a schedule had nobody on call');
    }
  });
  const one = await timeIt(300, () => oncall.onCallUsers(['s7']));

  // ---- escalation lateness ------------------------------------------------
  // SQLite serves one backend process; PostgreSQL gets two replicas.
  const replicas =
    engine.name === 'SQLite'
      ? [first]
      : [first, await replica(engine.second(), 'b')];
  const incidents = first.stores.incidents;
  const escalationStore = first.stores.escalation;
  const ids: string[] = [];
  for (let i = 0; i < cfg.escalations; i++) {
    const { incident } = await incidents.open(
      {
        title: `Bench escalation ${i}`,
        severity: 'sev1',
        affectedServices: [],
        ownerGroups: [],
        environments: [],
      },
      'user:default/bench',
    );
    ids.push(incident.id);
  }
  // Every escalation's first step falls due at the same instant.
  const dueAt = new Date(Date.now() + 3000);
  await engine.knex.transaction(async tx => {
    for (const id of ids) {
      await escalationStore.start(tx, {
        incidentId: id,
        policies: [policy],
        at: dueAt,
        noPolicyReason: '',
      });
    }
  });
  const expectedPages = cfg.escalations * policy.steps.length;
  const lastDue = dueAt.getTime() + policy.steps[0].delayMinutes * 60_000;
  let stop = false;
  const loops = replicas.map(async (r, i) => {
    await sleep((cfg.intervalMs / replicas.length) * i);
    while (!stop) {
      await r.services.escalation.tick();
      await sleep(cfg.intervalMs);
    }
  });
  while (
    pager.received.length < expectedPages &&
    Date.now() < lastDue + 60_000
  ) {
    await sleep(200);
  }
  await sleep(cfg.intervalMs * 2); // would catch duplicates sent late
  stop = true;
  await Promise.all(loops);

  const keys = pager.received.map(r => `${r.page.incident.id}/${r.page.step}`);
  const unique = new Set(keys);
  const duplicates = keys.length - unique.size;
  const lost = expectedPages - unique.size;
  const stepDue = (step: number) =>
    dueAt.getTime() +
    policy.steps
      .slice(0, step - 1)
      .reduce((t, s) => t + s.delayMinutes * 60_000, 0);
  const lateness = pager.received
    .map(r => r.at - stepDue(r.page.step))
    .sort((a, b) => a - b);

  return {
    replicas: replicas.length,
    engine: engine.name,
    generateMs,
    slotCount,
    all,
    one,
    lateness,
    pages: pager.received.length,
    lost,
    duplicates,
  };
}

async function main() {
  const results = [];
  for (const name of cfg.engines) {
    const engine = await openEngine(name.trim());
    try {
      console.log(`… ${engine.name}`);
      results.push(await benchEngine(engine));
    } finally {
      await engine.cleanup();
    }
  }
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
  console.log(
    `\nOn-call and escalation (${cfg.schedules} schedules, ${cfg.escalations} incidents escalating at once, interval ${cfg.intervalMs} ms)\n`,
  );
  console.log('| engine | figure | p50 | p95 | p99 | max | target | met |');
  console.log('|---|---|---|---|---|---|---|---|');
  let failed = false;
  for (const r of results) {
    console.log(
      `| ${r.engine} | slot generation for ${cfg.schedules} schedules (${
        r.slotCount
      } slots), ms | ${f(r.generateMs)} | | | | | |`,
    );
    console.log(
      `| ${r.engine} | who is on call now, all ${
        cfg.schedules
      } schedules, ms | ${f(percentile(r.all, 0.5))} | ${f(
        percentile(r.all, 0.95),
      )} | ${f(percentile(r.all, 0.99))} | ${f(r.all[r.all.length - 1])} | | |`,
    );
    console.log(
      `| ${r.engine} | who is on call now, one schedule, ms | ${f(
        percentile(r.one, 0.5),
      )} | ${f(percentile(r.one, 0.95))} | ${f(percentile(r.one, 0.99))} | ${f(
        r.one[r.one.length - 1],
      )} | | |`,
    );
    const p99 = percentile(r.lateness, 0.99);
    const ok =
      p99 < TARGET_LATENESS_P99_MS && r.lost === 0 && r.duplicates === 0;
    failed ||= r.lost > 0 || r.duplicates > 0;
    console.log(
      `| ${r.engine} | escalation lateness (due → page sent, ${
        r.replicas
      } replica${r.replicas > 1 ? 's' : ''}), ms | ${f(
        percentile(r.lateness, 0.5),
      )} | ${f(percentile(r.lateness, 0.95))} | ${f(p99)} | ${f(
        r.lateness[r.lateness.length - 1],
      )} | p99 < ${TARGET_LATENESS_P99_MS} | ${ok ? 'yes' : 'NO'} |`,
    );
    console.log(
      `| ${r.engine} | pages sent / lost / duplicate | ${r.pages} / ${
        r.lost
      } / ${r.duplicates} | | | | 0 lost, 0 duplicate | ${
        r.lost === 0 && r.duplicates === 0 ? 'yes' : 'NO'
      } |`,
    );
  }
  if (failed) process.exitCode = 1;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
