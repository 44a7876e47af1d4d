import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  METRICS_CONFIG,
  METRICS_NOW,
  METRICS_RANGE,
  seedMetricsFixture,
} from '../__testUtils__/metricsFixture';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const ALICE = mockCredentials.user.header('user:default/alice');
const GUEST = mockCredentials.user.header('user:default/guest');
const stats = (count: number, mean: any, median: any, p90: any) => ({
  count,
  mean,
  median,
  p90,
});
const NONE = stats(0, null, null, null);

/** Readers see only the incidents their team owns; alice (sre) sees all. */
const teamPolicy: TestPolicy = (permission, credentials) => {
  const user = (credentials.principal as any).userEntityRef;
  if (user === 'user:default/alice' || permission.attributes.action !== 'read')
    return { result: AuthorizeResult.ALLOW };
  return createIncidentConditionalDecision(permission as any, {
    anyOf: [
      incidentConditions.isOwnedBy({ claims: ['group:default/team-payments'] }),
    ],
  });
};

describe.each(databases.eachSupportedId())('metrics on %p', databaseId => {
  async function setup() {
    const knex = await databases.init(databaseId);
    const app = await createTestApp(knex, {
      policy: teamPolicy,
      now: () => METRICS_NOW,
      metrics: METRICS_CONFIG,
    });
    const ids = await seedMetricsFixture(knex, app);
    // CSV through the bare app: the spec-checking wrapper reads JSON only.
    const get = (path: string, query: Record<string, any> = {}, as = ALICE) =>
      request(query.format === 'csv' ? app.app : app.server)
        .get(path)
        .query({ ...METRICS_RANGE, ...query })
        .set('Authorization', as);
    return { app, ids, get };
  }

  it('reports time to acknowledge, mitigate and resolve per severity, skipped states without a value', async () => {
    const { get } = await setup();
    const res = await get('/metrics/summary').expect(200);
    // Left out: F (cancelled), G (excluded), H (merged into A).
    expect(res.body.overall).toEqual({
      count: 9,
      // 120, 240, 600, 900, 1800, 264600, 266340: mean 534600 / 7.
      timeToAcknowledge: stats(7, 76371.429, 900, 266340),
      // A 1800, C 1200; B, D and L skipped mitigated.
      timeToMitigate: stats(2, 1500, 1500, 1800),
      // 3000, 3600, 5400, 7200: the median is the mean of the middle two.
      timeToResolve: stats(4, 4800, 4500, 7200),
    });
    const by = Object.fromEntries(
      res.body.bySeverity.map((s: any) => [s.severity, s]),
    );
    expect(by.sev1).toEqual({
      severity: 'sev1',
      count: 3,
      timeToAcknowledge: stats(3, 320, 240, 600),
      timeToMitigate: stats(2, 1500, 1500, 1800),
      timeToResolve: stats(2, 5400, 5400, 7200),
    });
    // E was never acknowledged: no value, not zero.
    expect(by.sev2.count).toBe(2);
    expect(by.sev2.timeToAcknowledge).toEqual(stats(1, 900, 900, 900));
    expect(by.sev4.timeToAcknowledge).toEqual(stats(2, 265470, 265470, 266340));
    expect(by.sev5).toEqual({
      severity: 'sev5',
      count: 1,
      timeToAcknowledge: NONE,
      timeToMitigate: NONE,
      timeToResolve: NONE,
    });
  });

  it('filters by severity, component, owner and the caller’s read permission', async () => {
    const { get } = await setup();
    const sev1 = await get('/metrics/summary', { severity: 'sev1' });
    expect(sev1.body.overall.count).toBe(3);
    expect(sev1.body.bySeverity.map((s: any) => s.severity)).toEqual(['sev1']);

    const checkout = await get('/metrics/summary', {
      entityRef: 'component:default/checkout-web',
    });
    expect(checkout.body.overall.count).toBe(2); // L, D
    expect(checkout.body.overall.timeToResolve).toEqual(
      stats(2, 4200, 4200, 5400),
    );

    const sre = await get('/metrics/summary', { owner: 'group:default/sre' });
    expect(sre.body.overall.count).toBe(1); // K on edge-gateway

    // The guest reads only team-payments' incidents: K is not counted.
    const guest = await get('/metrics/summary', {}, GUEST).expect(200);
    expect(guest.body.overall.count).toBe(8);
    expect(
      guest.body.bySeverity.find((s: any) => s.severity === 'sev5').count,
    ).toBe(0);
  });

  it('counts incidents per ISO week in the metrics time zone, empty weeks as zero', async () => {
    const { get } = await setup();
    const res = await get('/metrics/frequency').expect(200);
    expect(res.body.timeZone).toBe('Europe/Berlin');
    expect(
      res.body.buckets.map((b: any) => [b.label, b.start, b.total, b.counts]),
    ).toEqual([
      [
        '2026-W12',
        '2026-03-15T23:00:00.000Z',
        4,
        { sev1: 3, sev2: 0, sev3: 0, sev4: 1, sev5: 0 },
      ],
      [
        '2026-W13',
        '2026-03-22T23:00:00.000Z',
        1,
        { sev1: 0, sev2: 0, sev3: 0, sev4: 1, sev5: 0 },
      ],
      // Starts at 22:00 UTC: summer time. L (Sunday 22:30 UTC) is Monday
      // 00:30 in Berlin, so it falls in this week, not the last.
      [
        '2026-W14',
        '2026-03-29T22:00:00.000Z',
        4,
        { sev1: 0, sev2: 2, sev3: 1, sev4: 0, sev5: 1 },
      ],
      [
        '2026-W15',
        '2026-04-05T22:00:00.000Z',
        0,
        { sev1: 0, sev2: 0, sev3: 0, sev4: 0, sev5: 0 },
      ],
    ]);
    const months = await get('/metrics/frequency', {
      interval: 'month',
      severity: ['sev1', 'sev2'],
    });
    expect(months.body.buckets.map((b: any) => [b.label, b.counts])).toEqual([
      ['2026-03', { sev1: 3, sev2: 1 }], // D on 30 March
      ['2026-04', { sev1: 0, sev2: 1 }],
    ]);
  });

  it('measures SLA compliance against the response targets, next business day in the zone', async () => {
    const { get, ids } = await setup();
    const res = await get('/metrics/sla').expect(200);
    const by = Object.fromEntries(
      res.body.bySeverity.map((s: any) => [s.severity, s]),
    );
    // A and C within 5 minutes, B 5 minutes late.
    expect(by.sev1).toMatchObject({
      target: '300s',
      count: 3,
      met: 2,
      breached: 1,
      pending: 0,
      compliance: 66.67,
    });
    // D exactly on 15 minutes is met; E, never acknowledged, is past it.
    expect(by.sev2).toMatchObject({ met: 1, breached: 1, compliance: 50 });
    expect(by.sev3).toMatchObject({ met: 1, breached: 0, compliance: 100 });
    // I by Monday's 18:00 CET; J missed Monday's 18:00 CEST (16:00 UTC).
    expect(by.sev4).toMatchObject({
      target: 'next-business-day',
      met: 1,
      breached: 1,
    });
    // K (Saturday) is due Monday at 18:00: pending, in neither share.
    expect(by.sev5).toMatchObject({
      count: 1,
      met: 0,
      breached: 0,
      pending: 1,
      compliance: null,
    });
    expect(res.body.overall).toEqual({ met: 5, breached: 3, compliance: 62.5 });
    expect(
      res.body.breaches.map((b: any) => [b.ref, b.deadline, b.lateSeconds]),
    ).toEqual([
      [ids.E.ref, '2026-04-01T12:15:00.000Z', 301_500],
      [ids.J.ref, '2026-03-30T16:00:00.000Z', 1_800],
      [ids.B.ref, '2026-03-18T10:05:00.000Z', 300],
    ]);
  });

  it('uses configured targets and business hours', async () => {
    const knex = await databases.init(databaseId);
    const app = await createTestApp(knex, {
      now: () => METRICS_NOW,
      metrics: {
        ...METRICS_CONFIG,
        responseTargets: {
          sev1: { ms: 600_000 },
          sev2: { ms: 900_000 },
          sev3: { ms: 3_600_000 },
          sev4: 'next-business-day',
          sev5: 'next-business-day',
        },
        // Business days Monday to Thursday, until 17:00.
        businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4] },
      },
    });
    await seedMetricsFixture(knex, app);
    const res = await request(app.server)
      .get('/metrics/sla')
      .query(METRICS_RANGE)
      .set('Authorization', ALICE)
      .expect(200);
    const by = Object.fromEntries(
      res.body.bySeverity.map((s: any) => [s.severity, s]),
    );
    expect(by.sev1).toMatchObject({ target: '600s', met: 3, breached: 0 });
    // I (Friday) is due Monday 17:00 CET = 16:00 UTC: 16:59 is late now.
    expect(by.sev4).toMatchObject({ met: 0, breached: 2 });
  });

  it('answers CSV with a header row for every metric', async () => {
    const { get } = await setup();
    const summary = await get('/metrics/summary', { format: 'csv' }).expect(
      200,
    );
    expect(summary.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(summary.text, { columns: true });
    expect(rows[0]).toMatchObject({
      severity: 'all',
      incidents: '9',
      timeToAcknowledge_median: '900',
      timeToResolve_p90: '7200',
    });
    expect(rows.find((r: any) => r.severity === 'sev5')).toMatchObject({
      incidents: '1',
      timeToAcknowledge_mean: '',
    });

    const weeks = parse(
      (await get('/metrics/frequency', { format: 'csv' })).text,
      { columns: true },
    );
    expect(weeks.map((w: any) => [w.bucket, w.sev1, w.total])).toEqual([
      ['2026-W12', '3', '4'],
      ['2026-W13', '0', '1'],
      ['2026-W14', '0', '4'],
      ['2026-W15', '0', '0'],
    ]);

    const sla = parse((await get('/metrics/sla', { format: 'csv' })).text, {
      columns: true,
    });
    expect(sla[0]).toEqual({
      severity: 'sev1',
      target: '300s',
      incidents: '3',
      met: '2',
      breached: '1',
      pending: '0',
      compliance_percent: '66.67',
    });
  });

  it('reports change failure and recovery time per component', async () => {
    const { get } = await setup();
    const res = await get('/metrics/change-failure').expect(200);
    expect(res.body.items[0]).toEqual({
      entityRef: 'component:default/payments-api',
      incidents: 6, // A, B, C, I, J, E
      changeLinked: 2, // A, B
      changeLinkedShare: 33.33,
      recovery: stats(2, 5400, 5400, 7200),
    });
    expect(res.body.items.slice(1)).toEqual([
      {
        entityRef: 'component:default/checkout-web',
        incidents: 2,
        changeLinked: 0,
        changeLinkedShare: 0,
        recovery: NONE,
      },
      {
        entityRef: 'component:default/edge-gateway',
        incidents: 1,
        changeLinked: 0,
        changeLinkedShare: 0,
        recovery: NONE,
      },
    ]);
    const csv = parse(
      (await get('/metrics/change-failure', { format: 'csv' })).text,
      { columns: true },
    );
    expect(csv[0]).toMatchObject({
      entity_ref: 'component:default/payments-api',
      change_linked: '2',
      recovery_median: '5400',
    });
  });

  it('answers again after a write that changes the figures, not a stale copy', async () => {
    const { get, ids, app } = await setup();
    const count = async () =>
      (await get('/metrics/summary').expect(200)).body.overall.count;
    expect(await count()).toBe(9);
    expect(await count()).toBe(9);
    await request(app.server)
      .patch(`/incidents/${ids.D.ref}`)
      .set('Authorization', ALICE)
      .send({ excludeFromMetrics: true })
      .expect(200);
    expect(await count()).toBe(8);
    await request(app.server)
      .post(`/incidents/${ids.E.ref}/status`)
      .set('Authorization', ALICE)
      .send({ status: 'cancelled' })
      .expect(200);
    expect(await count()).toBe(7);
  });

  it('refuses a bad range with a clear 400', async () => {
    const { get } = await setup();
    const reversed = await get('/metrics/summary', {
      from: '2026-04-01T00:00:00Z',
      to: '2026-03-01T00:00:00Z',
    }).expect(400);
    expect(reversed.body.error.message).toMatch(/from must be before to/);
    const bad = await get('/metrics/sla', { from: 'yesterday' }).expect(400);
    expect(bad.body.error.message).toMatch(/from/);
  });
});
