/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "*.expectPages", "*.expectNoMore"] }] */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EscalationPolicy } from '@vigil/plugin-incidents-common';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { CapturingPager, TestClock } from '../__testUtils__/escalationHarness';
import {
  testEntities,
  TestPolicy,
} from '../__testUtils__/startIncidentsBackend';
import { ScheduleDefinition } from '../oncall/config';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const ALICE = 'user:default/alice';
const as = (user: string) => mockCredentials.user.header(user);

// Daily at 09:00 Berlin from 2027-03-20: carol on even days, guest on odd
// ones (2027-03-27 guest, 2027-03-28 carol; DST starts 2027-03-28 02:00).
const schedules: ScheduleDefinition[] = [
  {
    id: 'payments-primary',
    name: 'Payments primary',
    active: true,
    timeZone: 'Europe/Berlin',
    type: 'daily',
    handoffTime: '09:00',
    start: '2027-03-20',
    members: [CAROL, GUEST],
  },
];

/** primary (5 min) → alice (10 min) → every sre member (5 min), twice. */
const threeSteps: EscalationPolicy = {
  id: 'payments',
  name: 'Payments',
  severities: ['sev1', 'sev2'],
  services: [],
  repeat: 1,
  steps: [
    { targets: [{ schedule: 'payments-primary' }], delayMinutes: 5 },
    { targets: [{ user: ALICE }], delayMinutes: 10 },
    { targets: [{ group: 'group:default/sre' }], delayMinutes: 5 },
  ],
};

// edge-gateway names its own policy; the others fall back to the default.
const entities: Entity[] = testEntities.map(e =>
  e.metadata.name === 'edge-gateway'
    ? {
        ...e,
        metadata: {
          ...e.metadata,
          annotations: { 'vigil.dev/escalation-policy': 'edge' },
        },
      }
    : e,
);
const edge: EscalationPolicy = {
  id: 'edge',
  name: 'Edge',
  severities: ['sev1'],
  services: [],
  repeat: 0,
  steps: [{ targets: [{ user: CAROL }], delayMinutes: 30 }],
};

describe.each(databases.eachSupportedId())('escalation on %p', databaseId => {
  let clock: TestClock;
  let pager: CapturingPager;
  let knex: Knex;

  beforeEach(async () => {
    clock = new TestClock('2027-03-27T12:00:00Z'); // guest on call
    pager = new CapturingPager();
    knex = await databases.init(databaseId);
  });

  afterEach(() => {
    // Fails on any page a scenario didn't expect.
    pager.expectNoMore();
  });

  function setup(
    options: {
      policies?: EscalationPolicy[];
      defaultPolicy?: string;
      instanceId?: string;
      db?: Knex;
      pagers?: CapturingPager[];
      policy?: TestPolicy;
    } = {},
  ) {
    return createTestApp(options.db ?? knex, {
      schedules,
      now: clock.now,
      catalog: catalogServiceMock({ entities }),
      escalation: {
        policies: options.policies ?? [threeSteps, edge],
        defaultPolicy: options.defaultPolicy,
      },
      pagers: options.pagers ?? [pager],
      instanceId: options.instanceId,
      policy: options.policy,
    });
  }

  async function open(
    server: Awaited<ReturnType<typeof setup>>['server'],
    body: Record<string, unknown> = {},
  ) {
    const res = await request(server)
      .post('/incidents')
      .set('Authorization', as(GUEST))
      .send({
        title: 'Checkout failing',
        severity: 'sev1',
        affectedServices: ['component:default/payments-api'],
        ...body,
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; ref: string };
  }

  async function timeline(
    server: Awaited<ReturnType<typeof setup>>['server'],
    id: string,
  ) {
    const res = await request(server)
      .get(`/incidents/${id}/timeline`)
      .set('Authorization', as(GUEST));
    return (res.body.items as Array<{ kind: string; message: string }>).filter(
      e => e.kind === 'page' || e.kind === 'escalation',
    );
  }

  it('pages by annotation, and not below the paging severities until raised', async () => {
    const { server, escalation } = await setup();
    const edgeIncident = await open(server, {
      affectedServices: ['component:default/edge-gateway'],
    });
    const minor = await open(server, { severity: 'sev3' });
    await escalation.tick();
    pager.expectPages([`${edgeIncident.ref} ${CAROL} step 1`]);

    const raised = await request(server)
      .patch(`/incidents/${minor.id}`)
      .set('Authorization', as(GUEST))
      .send({ severity: 'sev2' });
    expect(raised.status).toBe(200);
    await escalation.tick();
    pager.expectPages([`${minor.ref} ${GUEST} step 1`]);
  });

  it('falls back to the configured default policy', async () => {
    const platform: EscalationPolicy = {
      ...edge,
      id: 'platform',
      name: 'Platform',
      severities: ['sev1', 'sev2'],
      steps: [{ targets: [{ user: GUEST }], delayMinutes: 10 }],
    };
    const { server, escalation } = await setup({
      policies: [threeSteps, edge, platform],
      defaultPolicy: 'platform',
    });
    const { ref } = await open(server, { severity: 'sev2' });
    await escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`]);
    clock.advance({ minutes: 5 }); // threeSteps would page alice now
    await escalation.tick();
    pager.expectNoMore();
  });

  it('says so on the timeline when no policy covers an incident', async () => {
    const { server, escalation } = await setup({ policies: [edge] });
    const { id } = await open(server, { severity: 'sev2' });
    await escalation.tick();
    pager.expectNoMore();
    const entries = await timeline(server, id);
    expect(entries.map(e => e.message)).toEqual([
      'No escalation policy pages sev2 for component:default/payments-api',
    ]);
  });

  it('pages whoever is on call at each step: DST, overrides, hand-offs', async () => {
    // 2027-03-28 08:55 CEST, the first morning of summer time: guest's
    // slot runs until 09:00 local (07:00Z), not 10:00.
    clock.set('2027-03-28T06:55:00Z');
    const { server, escalation } = await setup({
      policies: [
        {
          ...threeSteps,
          repeat: 0,
          steps: [
            { targets: [{ schedule: 'payments-primary' }], delayMinutes: 10 },
            { targets: [{ schedule: 'payments-primary' }], delayMinutes: 10 },
            { targets: [{ schedule: 'payments-primary' }], delayMinutes: 10 },
          ],
        },
      ],
    });
    const { ref } = await open(server);
    await escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`]);

    clock.advance({ minutes: 10 }); // 09:05 CEST: carol's slot began
    // …but carol hands off to guest mid-shift,
    const handoff = await request(server)
      .post('/schedules/payments-primary/handoff')
      .set('Authorization', as(CAROL))
      .send({ userRef: GUEST });
    expect(handoff.status).toBe(201);
    // and alice takes 09:10 to 09:20 as an override, kept by a regeneration.
    const override = await request(server)
      .post('/schedules/payments-primary/overrides')
      .set('Authorization', as(ALICE))
      .send({
        userRef: ALICE,
        start: '2027-03-28T07:10:00Z',
        end: '2027-03-28T07:20:00Z',
      });
    expect(override.status).toBe(201);
    const regenerated = await request(server)
      .post('/schedules/payments-primary/regenerate')
      .set('Authorization', as(ALICE))
      .send({});
    expect(regenerated.status).toBe(200);
    await escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 2`]);

    clock.advance({ minutes: 10 }); // 09:15 CEST: the override
    await escalation.tick();
    pager.expectPages([`${ref} ${ALICE} step 3`]);
  });

  it('retries a failed delivery with backoff and records every attempt', async () => {
    const { server, escalation } = await setup();
    const { ref } = await open(server);
    pager.failNext = 2;
    const first = await escalation.tick();
    expect(first.deliveries).toEqual({ sent: 0, failed: 1 });
    pager.expectNoMore();

    clock.advance({ seconds: 9 }); // initial backoff is 10 s
    await escalation.tick();
    pager.expectNoMore();
    clock.advance({ seconds: 1 });
    await escalation.tick(); // second attempt fails too; next in 20 s
    clock.advance({ seconds: 20 });
    await escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`]);

    const res = await request(server)
      .get(`/incidents/${ref}/escalations`)
      .set('Authorization', as(GUEST));
    const [delivery] = res.body.items[0].pages[0].deliveries;
    expect(delivery.status).toBe('sent');
    expect(
      delivery.attempts.map((a: any) => [a.attempt, a.ok, a.error]),
    ).toEqual([
      [1, false, 'pager unavailable'],
      [2, false, 'pager unavailable'],
      [3, true, undefined],
    ]);
  });

  it('pages each step exactly once with two instances on one database', async () => {
    // A second client with its own connection pool: a second replica.
    // (SQLite in memory is one database per connection: share the client.)
    const other =
      databaseId === 'SQLITE_3' ? knex : knexFactory(knex.client.config);
    try {
      const pagerA = new CapturingPager();
      const pagerB = new CapturingPager();
      const a = await setup({ instanceId: 'a', pagers: [pagerA] });
      const b = await setup({ instanceId: 'b', db: other, pagers: [pagerB] });
      const refs: string[] = [];
      for (let i = 0; i < 20; i++) {
        refs.push((await open(i % 2 ? a.server : b.server)).ref);
      }
      const expected: string[] = [];
      const steps: Array<[number, string]> = [
        [0, GUEST],
        [5, ALICE],
        [10, ALICE],
      ];
      for (const [index, [minutes, who]] of steps.entries()) {
        clock.advance({ minutes });
        await Promise.all([
          a.escalation.tick(),
          b.escalation.tick(),
          a.escalation.tick(),
          b.escalation.tick(),
        ]);
        expected.push(...refs.map(ref => `${ref} ${who} step ${index + 1}`));
      }
      const sent = [...pagerA.take(), ...pagerB.take()].sort();
      expect(sent).toEqual(expected.sort());
      expect(new Set(sent).size).toBe(sent.length);
    } finally {
      if (other !== knex) await other.destroy();
    }
  });
});
