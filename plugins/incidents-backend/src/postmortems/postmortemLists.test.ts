import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestClock } from '../__testUtils__/escalationHarness';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const GUEST = 'user:default/guest';
const CAROL = 'user:default/carol';
const ALICE = 'user:default/alice';
/** Sees only the incidents of services his team owns (conditional read). */
const DAVE = 'user:default/dave';
const as = (user: string) => mockCredentials.user.header(user);

/**
 * The demo policy's table: members read and add notes; the responder or
 * commander edits (which covers postmortems); only admins (sre) publish.
 */
const GROUPS: Record<string, string[]> = {
  [GUEST]: ['group:default/team-payments'],
  [CAROL]: ['group:default/team-payments'],
  [ALICE]: ['group:default/sre'],
  [DAVE]: ['group:default/team-payments'],
};
const designPolicy: TestPolicy = (permission, credentials) => {
  const user = (credentials.principal as any).userEntityRef as string;
  const claims = [user, ...(GROUPS[user] ?? [])];
  if (claims.includes('group:default/sre')) {
    return { result: AuthorizeResult.ALLOW };
  }
  const conditional = (conditions: any): PolicyDecision =>
    createIncidentConditionalDecision(permission as any, conditions);
  if (user === DAVE && permission.name === 'incidents.incident.read') {
    return conditional({ anyOf: [incidentConditions.isOwnedBy({ claims })] });
  }
  switch (permission.name) {
    case 'incidents.incident.read':
    case 'incidents.incident.create':
    case 'incidents.incident.note':
      return { result: AuthorizeResult.ALLOW };
    case 'incidents.incident.acknowledge':
      return conditional({
        anyOf: [
          incidentConditions.isOwnedBy({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    case 'incidents.incident.resolve':
    case 'incidents.incident.update':
      return conditional({
        anyOf: [
          incidentConditions.isResponder({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    default:
      return { result: AuthorizeResult.DENY };
  }
};

describe.each(databases.eachSupportedId())('postmortems on %p', databaseId => {
  async function setup(options: Parameters<typeof createTestApp>[1] = {}) {
    const knex = await databases.init(databaseId);
    const app = await createTestApp(knex, {
      policy: designPolicy,
      ...options,
    });
    const call = (
      method: 'get' | 'post' | 'put' | 'patch',
      path: string,
      user: string,
      body?: object,
    ) => {
      const r = request(app.server)
        [method](path)
        .set('Authorization', as(user));
      return body ? r.send(body) : r;
    };
    /** Opens an incident as guest and works it to resolved. */
    const resolved = async (body: object = {}, user = GUEST) => {
      const opened = await call('post', '/incidents', user, {
        title: 'Checkout returns 500',
        severity: 'sev1',
        affectedServices: ['component:default/checkout-web'],
        environments: ['production'],
        commander: CAROL,
        ...body,
      });
      expect(opened.status).toBe(201);
      const ref = opened.body.ref as string;
      for (const status of ['investigating', 'mitigated', 'resolved']) {
        const moved = await call('post', `/incidents/${ref}/status`, user, {
          status,
          message: `moved to ${status}`,
        });
        expect(moved.status).toBe(200);
      }
      return opened.body as { id: string; ref: string };
    };
    /** Sends a started postmortem to review and publishes it as an admin. */
    const publish = async (ref: string, author = GUEST) => {
      await call('post', `/incidents/${ref}/postmortem/status`, author, {
        status: 'review',
      }).expect(200);
      await call('post', `/incidents/${ref}/postmortem/status`, ALICE, {
        status: 'published',
      }).expect(200);
    };
    return { ...app, knex, call, resolved, publish };
  }

  it('lists postmortems by state and service, and related ones on later incidents', async () => {
    const { call, resolved, publish } = await setup();
    const first = await resolved({ title: 'Checkout down in EU' });
    await call('post', `/incidents/${first.ref}/postmortem`, GUEST).expect(201);
    await publish(first.ref);
    // The gateway belongs to sre: an admin works it.
    const other = await resolved(
      {
        title: 'Gateway flaps',
        affectedServices: ['component:default/edge-gateway'],
      },
      ALICE,
    );
    await call('post', `/incidents/${other.ref}/postmortem`, ALICE).expect(201);
    const later = await call('post', '/incidents', GUEST, {
      title: 'Checkout down again',
      severity: 'sev2',
      affectedServices: ['component:default/checkout-web', 'payments-api'],
    });

    const published = await call('get', '/postmortems?status=published', GUEST);
    expect(published.body.totalCount).toBe(1);
    expect(published.body.items[0].incident.ref).toBe(first.ref);
    expect(published.body.items[0].body).toBeUndefined();

    const byService = await call(
      'get',
      '/postmortems?entityRef=component:default/edge-gateway&includeBody=true',
      GUEST,
    );
    expect(byService.body.items.map((p: any) => p.incident.ref)).toEqual([
      other.ref,
    ]);
    expect(byService.body.items[0].body).toContain('## Summary');

    const all = await call('get', '/postmortems', GUEST);
    expect(all.body.items.map((p: any) => [p.incident.ref, p.status])).toEqual([
      [other.ref, 'draft'],
      [first.ref, 'published'],
    ]);

    const related = await call(
      'get',
      `/incidents/${later.body.ref}/related-postmortems`,
      GUEST,
    );
    expect(related.body.items.map((p: any) => p.incident.ref)).toEqual([
      first.ref,
    ]);
    // Not related to itself, nor to incidents opened before it.
    const self = await call(
      'get',
      `/incidents/${first.ref}/related-postmortems`,
      GUEST,
    );
    expect(self.body.items).toEqual([]);
  });

  it('lists only postmortems and action items of incidents the caller may read', async () => {
    const { call, resolved } = await setup();
    const payments = await resolved({ title: 'Checkout down' });
    await call('post', `/incidents/${payments.ref}/postmortem`, GUEST).expect(
      201,
    );
    await call('post', `/incidents/${payments.ref}/action-items`, GUEST, {
      title: 'Payments follow-up',
    }).expect(201);
    const gateway = await resolved(
      { title: 'Gateway flaps', affectedServices: ['edge-gateway'] },
      ALICE,
    );
    await call('post', `/incidents/${gateway.ref}/postmortem`, ALICE).expect(
      201,
    );
    await call('post', `/incidents/${gateway.ref}/action-items`, ALICE, {
      title: 'Gateway follow-up',
    }).expect(201);

    const all = await call('get', '/postmortems', ALICE);
    expect(all.body.totalCount).toBe(2);
    const mine = await call('get', '/postmortems?limit=1', DAVE);
    expect(mine.body).toMatchObject({ totalCount: 1 });
    expect(mine.body.items.map((p: any) => p.incident.ref)).toEqual([
      payments.ref,
    ]);
    const items = await call('get', '/action-items', DAVE);
    expect(items.body.totalCount).toBe(1);
    expect(items.body.items.map((i: any) => i.title)).toEqual([
      'Payments follow-up',
    ]);
    expect(
      (await call('get', `/incidents/${gateway.ref}/postmortem`, DAVE)).status,
    ).toBe(404);
  });

  it('shows a conditional reader only the related postmortems of incidents they may read', async () => {
    const { call, resolved, publish } = await setup();
    const payments = await resolved({ title: 'Checkout down' });
    await call('post', `/incidents/${payments.ref}/postmortem`, GUEST).expect(
      201,
    );
    await publish(payments.ref);
    const gateway = await resolved(
      { title: 'Gateway flaps', affectedServices: ['edge-gateway'] },
      ALICE,
    );
    await call('post', `/incidents/${gateway.ref}/postmortem`, ALICE).expect(
      201,
    );
    await publish(gateway.ref, ALICE);
    // Touches both services: payments' team (dave) may read it.
    const later = await call('post', '/incidents', GUEST, {
      title: 'Checkout slow behind the gateway',
      severity: 'sev2',
      affectedServices: ['component:default/checkout-web', 'edge-gateway'],
    }).expect(201);

    const related = (user: string) =>
      call('get', `/incidents/${later.body.ref}/related-postmortems`, user);
    const forAlice = await related(ALICE).expect(200);
    expect(forAlice.body.items.map((p: any) => p.incident.ref).sort()).toEqual(
      [payments.ref, gateway.ref].sort(),
    );
    const forDave = await related(DAVE).expect(200);
    expect(forDave.body.items.map((p: any) => p.incident.ref)).toEqual([
      payments.ref,
    ]);
  });

  it('tracks action items with horizon, by owner and service, and finds overdue ones', async () => {
    const clock = new TestClock(new Date().toISOString());
    const { call, resolved } = await setup({ now: clock.now });
    const { ref } = await resolved();
    const today = clock.now().toISOString().slice(0, 10);
    const add = (body: object) =>
      call('post', `/incidents/${ref}/action-items`, GUEST, body);
    const overdue = await add({
      title: 'Rotate the gateway certificate',
      owner: 'carol',
      dueDate: '2020-01-01',
      horizon: 'short',
    });
    expect(overdue.body).toMatchObject({ horizon: 'short', owner: CAROL });
    await add({
      title: 'Certificate inventory',
      owner: 'carol',
      dueDate: '2999-01-01',
      horizon: 'medium',
    });
    const mine = await add({ title: 'Runbook', owner: 'guest' });
    await call(
      'patch',
      `/incidents/${ref}/action-items/${mine.body.id}`,
      GUEST,
      {
        done: true,
        horizon: 'long',
      },
    ).expect(200);
    const bad = await add({ title: 'x', horizon: 'someday' });
    expect(bad.status).toBe(400);

    const carols = await call(
      'get',
      `/action-items?owner=carol&done=false`,
      GUEST,
    );
    expect(carols.body.items.map((i: any) => [i.title, i.overdue])).toEqual([
      ['Rotate the gateway certificate', true],
      ['Certificate inventory', false],
    ]);
    expect(carols.body.items[0].incident).toMatchObject({ ref });

    const late = await call('get', '/action-items?overdue=true', GUEST);
    expect(late.body.items.map((i: any) => i.title)).toEqual([
      'Rotate the gateway certificate',
    ]);
    const byService = await call(
      'get',
      '/action-items?entityRef=component:default/checkout-web',
      GUEST,
    );
    expect(byService.body.totalCount).toBe(3);
    expect(
      byService.body.items.find((i: any) => i.title === 'Runbook'),
    ).toMatchObject({
      done: true,
      horizon: 'long',
    });
    const elsewhere = await call(
      'get',
      '/action-items?entityRef=component:default/edge-gateway',
      GUEST,
    );
    expect(elsewhere.body.items).toEqual([]);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('reminds the commander 48 h after resolving without a postmortem, then at the cadence until published', async () => {
    const clock = new TestClock(new Date().toISOString());
    const { call, resolved, publish, reminders, notifications } = await setup({
      now: clock.now,
    });
    const { ref } = await resolved();
    // A sev3 incident needs no postmortem and is never reminded.
    await resolved({ title: 'Minor', severity: 'sev3' });
    const resolvedAt = Date.now();
    const at = (hours: number) =>
      clock.set(new Date(resolvedAt + hours * 3_600_000).toISOString());
    const sent = async () => (await reminders.run()).postmortems;

    at(47);
    expect(await sent()).toEqual([]);
    at(48.1);
    expect(await sent()).toEqual([`${ref} ${CAROL}`]);
    expect(notifications.at(-1)).toMatchObject({
      recipients: { type: 'entity', entityRef: [CAROL] },
      payload: {
        title: `Postmortem due: ${ref} Checkout returns 500`,
        topic: 'postmortem-reminder',
        link: `http://localhost:3000/incidents/${ref}/postmortem`,
      },
    });
    at(49);
    expect(await sent()).toEqual([]);
    at(72.2);
    expect(await sent()).toEqual([`${ref} ${CAROL}`]);

    // Started but not published: still reminded at the cadence.
    await call('post', `/incidents/${ref}/postmortem`, GUEST).expect(201);
    at(90);
    expect(await sent()).toEqual([]);
    at(96.3);
    expect(await sent()).toEqual([`${ref} ${CAROL}`]);
    expect(notifications.at(-1)!.payload.description).toContain(
      'is not published yet (reminder 3)',
    );

    await publish(ref);
    at(200);
    expect(await sent()).toEqual([]);
    expect(notifications).toHaveLength(3);

    const timeline = await call('get', `/incidents/${ref}/timeline`, GUEST);
    expect(
      timeline.body.items
        .filter((e: any) => e.actor === 'system:postmortem-reminders')
        .map((e: any) => e.data.reminder),
    ).toEqual([1, 2, 3]);
  });

  it('sends no reminder when the postmortem was started within 48 h, and each reminder once across concurrent runs', async () => {
    const clock = new TestClock(new Date().toISOString());
    const { call, resolved, reminders, notifications } = await setup({
      now: clock.now,
      postmortems: { startWithinMs: 3_600_000, reminderCadenceMs: 3_600_000 },
    });
    const started = await resolved({ title: 'Started in time' });
    await call('post', `/incidents/${started.ref}/postmortem`, GUEST).expect(
      201,
    );
    const late = await resolved({ title: 'Forgotten', severity: 'sev2' });
    clock.set(new Date(Date.now() + 2 * 3_600_000).toISOString());

    const runs = await Promise.all([
      reminders.run(),
      reminders.run(),
      reminders.run(),
    ]);
    expect(runs.flatMap(r => r.postmortems)).toEqual([`${late.ref} ${CAROL}`]);
    expect(notifications).toHaveLength(1);
  });

  it('reminds the owner of an overdue action item once per cadence until done', async () => {
    const clock = new TestClock('2026-12-02T09:00:00.000Z');
    const { call, resolved, reminders, notifications } = await setup({
      now: clock.now,
    });
    const { ref } = await resolved({ severity: 'sev4' });
    const item = await call('post', `/incidents/${ref}/action-items`, GUEST, {
      title: 'Alert on certificate expiry',
      owner: 'carol',
      dueDate: '2026-12-02',
    });
    await call('post', `/incidents/${ref}/action-items`, GUEST, {
      title: 'No owner',
      dueDate: '2026-11-01',
    });
    const overdue = async () => (await reminders.run()).overdue;

    expect(await overdue()).toEqual([]); // due today is not overdue yet
    clock.set('2026-12-03T00:10:00.000Z');
    expect(await overdue()).toEqual([`${item.body.id} ${CAROL}`]);
    expect(notifications.at(-1)).toMatchObject({
      recipients: { type: 'entity', entityRef: CAROL },
      payload: {
        title: 'Overdue action item: Alert on certificate expiry',
        topic: 'action-item-overdue',
        scope: `action-item-overdue:${item.body.id}`,
      },
    });
    clock.set('2026-12-03T20:00:00.000Z');
    expect(await overdue()).toEqual([]);
    clock.set('2026-12-04T00:10:00.000Z');
    expect(await overdue()).toEqual([`${item.body.id} ${CAROL}`]);

    await call(
      'patch',
      `/incidents/${ref}/action-items/${item.body.id}`,
      CAROL,
      {
        done: true,
      },
    ).expect(200);
    clock.set('2026-12-09T00:00:00.000Z');
    expect(await overdue()).toEqual([]);
  });
});
