/*
 * Bulk-loads a year of incidents straight into the tables (bypassing the
 * store, which would take minutes for 100k incidents), respecting the schema
 * of migrations/ (20261122000000_init.js, 20261122050000_incident_perf.js)
 * and the conventions of
 * DatabaseIncidentStore (lower-case entity refs, JSON text columns, Dates
 * that Knex turns into epoch milliseconds on SQLite).
 */
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

export const COMPONENT_COUNT = 20;
export const GROUP_COUNT = 5;
export const USER_COUNT = 12;

export const componentRef = (i: number) =>
  `component:default/svc-${String(i).padStart(2, '0')}`;
export const groupOfComponent = (i: number) =>
  `group:default/team-${i % GROUP_COUNT}`;
export const userRef = (i: number) =>
  `user:default/user-${String(i).padStart(2, '0')}`;

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

/** Small deterministic PRNG (mulberry32) so every run loads the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T extends string>(
  rand: () => number,
  weights: Array<[T, number]>,
): T {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let r = rand() * total;
  for (const [value, w] of weights) {
    r -= w;
    if (r < 0) return value;
  }
  return weights[weights.length - 1][0];
}

const SEVERITY_MIX: Array<[string, number]> = [
  ['sev1', 2],
  ['sev2', 8],
  ['sev3', 30],
  ['sev4', 35],
  ['sev5', 25],
];
/** Incidents of the last three days are still being worked... */
const RECENT_STATUS_MIX: Array<[string, number]> = [
  ['open', 25],
  ['investigating', 30],
  ['mitigated', 20],
  ['resolved', 20],
  ['cancelled', 5],
];
/** ...older ones are mostly done. */
const OLD_STATUS_MIX: Array<[string, number]> = [
  ['resolved', 68],
  ['postmortem', 22],
  ['cancelled', 9],
  ['mitigated', 1],
];
const SYMPTOMS = [
  'Elevated error rate',
  'Latency above SLO',
  'Checkout failures',
  'Pods crash-looping',
  'Queue backlog growing',
  'TLS certificate expiring',
  'Database connection pool exhausted',
  'Partial outage',
  'Degraded search results',
  'Login failures',
];

export type SeedResult = {
  incidents: number;
  services: number;
  owners: number;
  timeline: number;
  ms: number;
};

/**
 * Inserts `count` incidents (refs 1..count, opened over the last 365 days,
 * oldest first) with their affected services, owner groups and 2–4 timeline
 * entries each, in transactions of `chunk` incidents, then moves the
 * reference allocator past them and runs ANALYZE.
 */
export async function seedIncidents(
  knex: Knex,
  count: number,
  options: { chunk?: number; log?: (line: string) => void } = {},
): Promise<SeedResult> {
  const started = performance.now();
  const isPostgres = knex.client.config.client === 'pg';
  // SQLite (better-sqlite3) allows 32766 bound parameters per statement and
  // Knex writes a multi-row insert there as `select … union all select …`,
  // limited to 500 terms; PostgreSQL allows 65535 parameters.
  const maxParams = isPostgres ? 65000 : 32000;
  const maxRows = isPostgres ? Infinity : 500;
  const chunk = options.chunk ?? 5000;
  const rand = prng(20261122);
  // Its own sequence, so the other columns stay as they were before it.
  const changeRand = prng(20261203);
  const now = Date.now();
  const start = now - 365 * DAY;
  const spacing = (365 * DAY) / count;
  const totals = { incidents: 0, services: 0, owners: 0, timeline: 0 };

  const insert = async (
    tx: Knex.Transaction,
    table: string,
    rows: Record<string, unknown>[],
  ) => {
    if (!rows.length) return;
    const perRow = Object.keys(rows[0]).length;
    const batch = Math.max(
      1,
      Math.min(maxRows, Math.floor(maxParams / perRow)),
    );
    for (let i = 0; i < rows.length; i += batch) {
      await tx(table).insert(rows.slice(i, i + batch));
    }
  };

  for (let from = 0; from < count; from += chunk) {
    const incidents: Record<string, unknown>[] = [];
    const services: Record<string, unknown>[] = [];
    const owners: Record<string, unknown>[] = [];
    const timeline: Record<string, unknown>[] = [];

    for (let i = from; i < Math.min(count, from + chunk); i++) {
      const id = randomUUID();
      const ref = i + 1;
      const openedAt = Math.floor(start + (i + rand() * 0.9) * spacing);
      const recent = now - openedAt < 3 * DAY;
      const severity = weighted(rand, SEVERITY_MIX);
      const status = weighted(
        rand,
        recent ? RECENT_STATUS_MIX : OLD_STATUS_MIX,
      );
      const clamp = (t: number) => Math.min(t, now);

      // Timestamps consistent with the lifecycle.
      let acknowledgedAt: number | null = null;
      let mitigatedAt: number | null = null;
      let resolvedAt: number | null = null;
      let postmortemAt: number | null = null;
      let cancelledAt: number | null = null;
      if (status === 'cancelled') {
        cancelledAt = clamp(openedAt + (5 + rand() * 25) * MINUTE);
      } else if (status !== 'open') {
        acknowledgedAt = clamp(openedAt + (2 + rand() * 28) * MINUTE);
        if (['mitigated', 'resolved', 'postmortem'].includes(status)) {
          mitigatedAt = clamp(acknowledgedAt + (10 + rand() * 110) * MINUTE);
        }
        if (['resolved', 'postmortem'].includes(status)) {
          resolvedAt = clamp(mitigatedAt! + (10 + rand() * 230) * MINUTE);
        }
        if (status === 'postmortem') {
          postmortemAt = clamp(resolvedAt! + (1 + rand() * 4) * DAY);
        }
      }
      const updatedAt = Math.max(
        openedAt,
        acknowledgedAt ?? 0,
        mitigatedAt ?? 0,
        resolvedAt ?? 0,
        postmortemAt ?? 0,
        cancelledAt ?? 0,
      );
      const active = ['open', 'investigating', 'mitigated'].includes(status);
      const fromAlert = rand() < 0.3;
      const openedBy = fromAlert
        ? 'system:alertmanager'
        : userRef(Math.floor(rand() * USER_COUNT));
      const dedupKey = fromAlert ? `alert-${ref}` : null;
      const responder = acknowledgedAt
        ? userRef(Math.floor(rand() * USER_COUNT))
        : null;

      const first = Math.floor(rand() * COMPONENT_COUNT);
      const svcIndexes = [first];
      if (rand() < 0.3) {
        svcIndexes.push(
          (first + 1 + Math.floor(rand() * (COMPONENT_COUNT - 1))) %
            COMPONENT_COUNT,
        );
      }
      const title = `${
        SYMPTOMS[Math.floor(rand() * SYMPTOMS.length)]
      } on svc-${String(first).padStart(2, '0')}`;
      const serviceRefs = svcIndexes.map(componentRef).sort();
      const ownerRefs = [...new Set(svcIndexes.map(groupOfComponent))].sort();

      incidents.push({
        id,
        ref_number: ref,
        title,
        description:
          rand() < 0.6
            ? `Bench incident ${ref}: ${title.toLowerCase()}.`
            : null,
        severity,
        status,
        commander: ['sev1', 'sev2'].includes(severity)
          ? userRef(Math.floor(rand() * USER_COUNT))
          : null,
        responder,
        environments: '[]',
        dedup_key: dedupKey,
        active_dedup_key: active ? dedupKey : null,
        child_count: 0,
        opened_by: openedBy,
        opened_at: new Date(openedAt),
        acknowledged_at: acknowledgedAt ? new Date(acknowledgedAt) : null,
        mitigated_at: mitigatedAt ? new Date(mitigatedAt) : null,
        resolved_at: resolvedAt ? new Date(resolvedAt) : null,
        cancelled_at: cancelledAt ? new Date(cancelledAt) : null,
        postmortem_at: postmortemAt ? new Date(postmortemAt) : null,
        updated_at: new Date(updatedAt),
        // The copies the store writes with incident_service/_owner/_responder.
        service_refs: JSON.stringify(serviceRefs),
        owner_refs: JSON.stringify(ownerRefs),
        responder_refs: '[]',
        // About one incident in eight not raised by an alert came from a
        // change (a deploy), for the change-failure metric.
        change_url:
          !fromAlert && changeRand() < 0.18
            ? `https://deploys.example.com/${ref}`
            : null,
      });
      const groups = new Set<string>();
      for (const s of svcIndexes) {
        services.push({
          incident_id: id,
          entity_ref: componentRef(s),
          opened_at: new Date(openedAt),
        });
        groups.add(groupOfComponent(s));
      }
      for (const group_ref of groups) {
        owners.push({ incident_id: id, group_ref });
      }

      // 2–4 timeline entries: opened, the status moves it went through, notes.
      const entries: Array<[string, string, string, number, object | null]> = [
        [
          'opened',
          openedBy,
          `Opened as ${severity}: ${title}`,
          openedAt,
          { severity },
        ],
      ];
      const moves: Array<[string, number | null]> = [
        ['investigating', acknowledgedAt],
        ['mitigated', mitigatedAt],
        ['resolved', resolvedAt],
        ['postmortem', postmortemAt],
        ['cancelled', cancelledAt],
      ];
      let prev = 'open';
      for (const [to, at] of moves) {
        if (at) {
          entries.push([
            'status',
            responder ?? openedBy,
            to,
            at,
            { from: prev, to },
          ]);
          prev = to;
        }
      }
      const wanted = 2 + Math.floor(rand() * 3);
      while (entries.length < wanted) {
        entries.push([
          'note',
          responder ?? userRef(Math.floor(rand() * USER_COUNT)),
          'Looking at the dashboards; error budget burn is visible.',
          clamp(openedAt + (1 + rand() * 60) * MINUTE),
          null,
        ]);
      }
      entries.length = Math.min(entries.length, wanted);
      entries.sort((a, b) => a[3] - b[3]);
      for (const [kind, actor, message, at, data] of entries) {
        timeline.push({
          incident_id: id,
          kind,
          actor,
          message,
          links: null,
          data: data ? JSON.stringify(data) : null,
          created_at: new Date(at),
        });
      }
    }

    await knex.transaction(async tx => {
      await insert(tx, 'incident', incidents);
      await insert(tx, 'incident_service', services);
      await insert(tx, 'incident_owner', owners);
      await insert(tx, 'incident_timeline', timeline);
    });
    totals.incidents += incidents.length;
    totals.services += services.length;
    totals.owners += owners.length;
    totals.timeline += timeline.length;
    if (options.log && (from / chunk) % 5 === 4) {
      options.log(`  ... ${totals.incidents} incidents`);
    }
  }

  if (isPostgres) {
    if (count > 0) {
      await knex.raw(`select setval('incident_ref_seq', ?)`, [count]);
    }
    // VACUUM as well as ANALYZE: autovacuum would do it soon after such a
    // load anyway (insert threshold), and the visibility map it sets decides
    // whether index-only scans work, so measure the settled state, not a
    // race with autovacuum.
    await knex.raw('VACUUM ANALYZE');
  } else {
    await knex('incident_ref_counter')
      .where({ name: 'incident' })
      .update({ value: count });
    await knex.raw('ANALYZE');
  }
  return { ...totals, ms: performance.now() - started };
}
