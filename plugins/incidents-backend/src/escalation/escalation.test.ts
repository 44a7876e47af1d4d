/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "*.expectPages", "*.expectNoMore"] }] */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EscalationPolicy } from '@vigil/plugin-incidents-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import { Knex } from 'knex';
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

  it('lets the paged user acknowledge, and nobody else who only could be', async () => {
    // Acknowledge: the users paged for the incident (IS_PAGED) only; no
    // team rules, so nothing else can allow it.
    const pagedOnly: TestPolicy = (permission, credentials) => {
      if (permission.name !== 'incidents.incident.acknowledge') {
        return { result: AuthorizeResult.ALLOW };
      }
      const user = (credentials.principal as any).userEntityRef as string;
      return createIncidentConditionalDecision(permission as any, {
        anyOf: [incidentConditions.isPaged({ claims: [user] })],
      });
    };
    const { server, escalation, store } = await setup({ policy: pagedOnly });
    // The rule as a list filter (a conditional read decision).
    const listed = async (user: string) =>
      (
        await store.list({
          permissionCriteria: { field: 'paged', claims: [user] },
        })
      ).items.map(i => i.ref);
    // edge-gateway's policy pages carol for a sev1.
    const { id, ref } = await open(server, {
      affectedServices: ['component:default/edge-gateway'],
    });
    const acknowledge = (user: string) =>
      request(server)
        .post(`/incidents/${id}/status`)
        .set('Authorization', as(user))
        .send({ status: 'investigating' });

    // Not paged yet: carol may not, and does not see it.
    expect((await acknowledge(CAROL)).status).toBe(403);
    expect(await listed(CAROL)).toEqual([]);
    await escalation.tick();
    pager.expectPages([`${ref} ${CAROL} step 1`]);
    expect(await listed(CAROL)).toEqual([ref]);
    expect(await listed(ALICE)).toEqual([]);
    // Paged now; alice, never paged, still may not.
    expect((await acknowledge(ALICE)).status).toBe(403);
    const acked = await acknowledge(CAROL);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      status: 'investigating',
      responder: CAROL,
    });
  });

  it('runs a three-step policy with a repeat, each step once, then stops', async () => {
    const { server, escalation } = await setup();
    const { id, ref } = await open(server);

    await escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`]);

    clock.advance({ minutes: 4, seconds: 59 });
    await escalation.tick();
    pager.expectNoMore();

    clock.advance({ seconds: 1 });
    await escalation.tick();
    pager.expectPages([`${ref} ${ALICE} step 2`]);

    clock.advance({ minutes: 10 });
    await escalation.tick();
    // The whole sre group: alice is its only member.
    pager.expectPages([`${ref} ${ALICE} step 3`]);

    // Second round after the last step's delay.
    clock.advance({ minutes: 5 });
    await escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`]);
    clock.advance({ minutes: 5 });
    await escalation.tick();
    pager.expectPages([`${ref} ${ALICE} step 2`]);
    clock.advance({ minutes: 10 });
    await escalation.tick();
    pager.expectPages([`${ref} ${ALICE} step 3`]);

    // Exhausted: nothing more, however long it stays open.
    clock.advance({ hours: 12 });
    await escalation.tick();
    pager.expectNoMore();

    const entries = await timeline(server, id);
    expect(entries.map(e => e.kind)).toEqual([
      'page',
      'escalation',
      'escalation',
      'escalation',
      'escalation',
      'escalation',
    ]);
    expect(entries[0].message).toContain(`Paged ${GUEST}`);
    expect(entries[1].message).toContain(
      'Not acknowledged within 5 min: escalated to step 2/3 of Payments',
    );
    expect(entries[3].message).toContain('step 1/3, repeat 1');

    const res = await request(server)
      .get(`/incidents/${ref}/escalations`)
      .set('Authorization', as(GUEST));
    expect(res.status).toBe(200);
    const [run] = res.body.items;
    expect(run.status).toBe('exhausted');
    expect(run.pages).toHaveLength(6);
    expect(run.timers.every((t: any) => t.status === 'fired')).toBe(true);
    expect(run.pages[0].deliveries).toEqual([
      expect.objectContaining({
        pagerId: 'capture',
        status: 'sent',
        attempts: [expect.objectContaining({ attempt: 1, ok: true })],
      }),
    ]);
  });

  it('stops every timer when the incident is acknowledged mid-way', async () => {
    const { server, escalation } = await setup();
    const { id, ref } = await open(server);
    await escalation.tick();
    clock.advance({ minutes: 5 });
    await escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`, `${ref} ${ALICE} step 2`]);

    const mine = await request(server)
      .get('/pages/mine')
      .set('Authorization', as(ALICE));
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        step: 2,
        incident: expect.objectContaining({ ref }),
      }),
    ]);

    const ack = await request(server)
      .post(`/incidents/${id}/status`)
      .set('Authorization', as(ALICE))
      .send({ status: 'investigating' });
    expect(ack.status).toBe(200);

    clock.advance({ hours: 2 });
    await escalation.tick();
    pager.expectNoMore();

    const entries = await timeline(server, id);
    expect(entries[entries.length - 1].message).toBe(
      `Escalation stopped: acknowledged by ${ALICE}`,
    );
    const res = await request(server)
      .get(`/incidents/${id}/escalations`)
      .set('Authorization', as(GUEST));
    expect(res.body.items[0]).toMatchObject({
      status: 'stopped',
      stoppedBy: ALICE,
    });
    expect(res.body.items[0].timers.map((t: any) => t.status)).toEqual([
      'fired',
      'fired',
      'cancelled',
    ]);
    const after = await request(server)
      .get('/pages/mine')
      .set('Authorization', as(ALICE));
    expect(after.body.items).toEqual([]);
  });

  it('keeps running the policy it started with when config changes', async () => {
    const first = await setup();
    const { ref } = await open(first.server);
    await first.escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`]);

    // Restart with the policy edited: step 2 now pages carol after an hour.
    const edited: EscalationPolicy = {
      ...threeSteps,
      steps: [
        { targets: [{ schedule: 'payments-primary' }], delayMinutes: 60 },
        { targets: [{ user: CAROL }], delayMinutes: 60 },
      ],
    };
    const second = await setup({ policies: [edited, edge] });
    clock.advance({ minutes: 5 });
    await second.escalation.tick();
    pager.expectPages([`${ref} ${ALICE} step 2`]);

    // A new incident gets the edited policy.
    const next = await open(second.server);
    await second.escalation.tick();
    pager.expectPages([`${next.ref} ${GUEST} step 1`]);
    clock.advance({ minutes: 5 });
    await second.escalation.tick();
    pager.expectNoMore();
  });

  it('neither loses nor repeats a page across a restart', async () => {
    const before = await setup({ instanceId: 'before' });
    const { ref } = await open(before.server);
    await before.escalation.tick();
    pager.expectPages([`${ref} ${GUEST} step 1`]);

    // The process stops; step 2 falls due while it is down.
    clock.advance({ minutes: 7 });
    const after = await setup({ instanceId: 'after' });
    await after.escalation.tick();
    pager.expectPages([`${ref} ${ALICE} step 2`]);
    await after.escalation.tick();
    await before.escalation.tick();
    pager.expectNoMore();

    // Step 3 is due 10 minutes after step 2 was due, not after the restart.
    clock.advance({ minutes: 8 });
    await after.escalation.tick();
    pager.expectPages([`${ref} ${ALICE} step 3`]);
  });

  it('starts paging for an incident opened while paging was down', async () => {
    // The store stamps opened_at with the real time; look back from it.
    clock.set(new Date().toISOString());
    const { store, escalation } = await setup({
      policies: [
        {
          ...threeSteps,
          steps: [{ targets: [{ user: ALICE }], delayMinutes: 5 }],
        },
      ],
    });
    // Written by the store directly: no listener started the escalation.
    const { incident } = await store.open(
      {
        title: 'Opened during a crash',
        severity: 'sev2',
        affectedServices: [],
        ownerGroups: [],
        environments: [],
      },
      GUEST,
    );
    await escalation.tick();
    pager.expectPages([`${incident.ref} ${ALICE} step 1`]);
  });
});
