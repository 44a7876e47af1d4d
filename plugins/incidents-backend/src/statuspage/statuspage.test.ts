import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const GUEST = 'user:default/guest';
const CAROL = 'user:default/carol';
const CHECKOUT = 'component:default/checkout-web';
const PAYMENTS = 'component:default/payments-api';
const as = (ref: string) => mockCredentials.user.header(ref);

/** Everything public, by path. */
const PUBLIC_PATHS = [
  '/public/status',
  '/public/api/v2/summary.json',
  '/public/api/v2/status.json',
  '/public/api/v2/components.json',
  '/public/api/v2/incidents.json',
  '/public/api/v2/incidents/unresolved.json',
  '/public/api/v2/scheduled-maintenances.json',
  '/public/api/v2/scheduled-maintenances/upcoming.json',
  '/public/api/v2/scheduled-maintenances/active.json',
  '/public/api/v2/uptime.json',
  '/public/history.atom',
  '/public/history.rss',
  '/public/badge.svg',
];

/** Carol may not publish; everyone else may do everything. */
const policy: TestPolicy = (permission, credentials) =>
  (permission.name.startsWith('incidents.statuspage') &&
    (credentials.principal as any).userEntityRef === CAROL) ||
  (permission.name === 'incidents.incident.read' &&
    (credentials.principal as any).userEntityRef === 'user:default/nobody')
    ? { result: AuthorizeResult.DENY }
    : { result: AuthorizeResult.ALLOW };

const statusPage = {
  name: 'Acme Status',
  components: [
    { entityRef: CHECKOUT, name: 'Checkout', group: 'Shop' },
    { entityRef: PAYMENTS, name: 'Payments' },
  ],
};

describe.each(databases.eachSupportedId())('status page on %p', databaseId => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  const setup = () => createTestApp(knex, { policy, statusPage });

  type App = Awaited<ReturnType<typeof setup>>;
  const open = async (app: App, body: object) => {
    const res = await request(app.server)
      .post('/incidents')
      .set('Authorization', as(GUEST))
      .send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; ref: string };
  };
  const move = async (app: App, ref: string, status: string) => {
    const res = await request(app.server)
      .post(`/incidents/${ref}/status`)
      .set('Authorization', as(GUEST))
      .send({ status });
    expect(res.status).toBe(200);
  };
  const doc = async (app: App, path: string) => {
    // Documents are cached per page version; this test app's own writes
    // invalidate the cache, so every read sees them.
    const res = await request(app.server).get(`/public/api/v2/${path}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('publishes a sev1 on a listed component at once and follows its lifecycle', async () => {
    const app = await setup();
    const incident = await open(app, {
      title: 'Checkout is down',
      severity: 'sev1',
      affectedServices: [CHECKOUT],
    });
    let summary = await doc(app, 'summary.json');
    expect(summary.page).toMatchObject({ name: 'Acme Status' });
    expect(summary.status).toEqual({
      indicator: 'critical',
      description: 'Major System Outage',
    });
    expect(summary.incidents).toHaveLength(1);
    expect(summary.incidents[0]).toMatchObject({
      name: 'Checkout is down',
      status: 'investigating',
      impact: 'critical',
    });
    const statusOf = (s: any, name: string) =>
      s.components.find((c: any) => c.name === name)?.status;
    expect(statusOf(summary, 'Checkout')).toBe('major_outage');
    expect(statusOf(summary, 'Payments')).toBe('operational');
    // The group shows its worst member.
    expect(statusOf(summary, 'Shop')).toBe('major_outage');

    await move(app, incident.ref, 'investigating');
    const identified = await request(app.server)
      .patch(`/incidents/${incident.ref}`)
      .set('Authorization', as(GUEST))
      .send({ identified: true });
    expect(identified.status).toBe(200);
    expect(
      (await doc(app, 'incidents/unresolved.json')).incidents[0].status,
    ).toBe('identified');
    await move(app, incident.ref, 'mitigated');
    expect((await doc(app, 'incidents.json')).incidents[0]).toMatchObject({
      status: 'monitoring',
    });
    await move(app, incident.ref, 'resolved');
    summary = await doc(app, 'summary.json');
    expect(summary.incidents).toEqual([]);
    expect(summary.status.indicator).toBe('none');
    expect(statusOf(summary, 'Checkout')).toBe('operational');
    const [resolved] = (await doc(app, 'incidents.json')).incidents;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolved_at).toBeTruthy();
    // One automatic, generic update per public status, newest first.
    expect(resolved.incident_updates.map((u: any) => u.status)).toEqual([
      'resolved',
      'monitoring',
      'identified',
      'investigating',
    ]);
  });

  it('publishes lower severities only by hand, by those allowed, and unpublishes', async () => {
    const app = await setup();
    const incident = await open(app, {
      title: 'Payments slow',
      severity: 'sev3',
      affectedServices: [PAYMENTS],
    });
    expect((await doc(app, 'incidents.json')).incidents).toEqual([]);
    const refused = await request(app.server)
      .post(`/incidents/${incident.ref}/status-page`)
      .set('Authorization', as(CAROL))
      .send({});
    expect(refused.status).toBe(403);
    const published = await request(app.server)
      .post(`/incidents/${incident.ref}/status-page`)
      .set('Authorization', as(GUEST))
      .send({ name: 'Slow payments' });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ published: true, auto: false });
    const summary = await doc(app, 'summary.json');
    expect(summary.incidents[0]).toMatchObject({
      name: 'Slow payments',
      impact: 'minor',
    });
    expect(summary.status).toEqual({
      indicator: 'minor',
      description: 'Minor Service Outage',
    });
    const unpublished = await request(app.server)
      .delete(`/incidents/${incident.ref}/status-page`)
      .set('Authorization', as(GUEST));
    expect(unpublished.status).toBe(200);
    expect((await doc(app, 'incidents.json')).incidents).toEqual([]);
    // A move does not publish it again.
    await move(app, incident.ref, 'investigating');
    expect((await doc(app, 'incidents.json')).incidents).toEqual([]);
  });

  it('shows only public names, public updates and statuses on every public path', async () => {
    const app = await setup();
    const incident = await open(app, {
      title: 'SECRET-TITLE credentials rotated on db-7',
      severity: 'sev2',
      description: 'SECRET-DESCRIPTION',
      affectedServices: [CHECKOUT],
    });
    const renamed = await request(app.server)
      .patch(`/incidents/${incident.ref}/status-page`)
      .set('Authorization', as(GUEST))
      .send({ name: 'Checkout errors' });
    expect(renamed.status).toBe(200);
    for (const [path, body] of [
      ['timeline', { message: 'SECRET-NOTE' }],
      [
        'status-updates',
        { message: 'SECRET-INTERNAL', visibility: 'internal' },
      ],
      [
        'status-updates',
        { message: 'Payments may fail; we are on it', visibility: 'external' },
      ],
    ] as const) {
      const res = await request(app.server)
        .post(`/incidents/${incident.ref}/${path}`)
        .set('Authorization', as(GUEST))
        .send(body);
      expect(res.status).toBe(201);
    }
    await request(app.server)
      .patch(`/incidents/${incident.ref}`)
      .set('Authorization', as(GUEST))
      .send({ roles: { commander: 'user:default/alice' } });
    const everything: string[] = [];
    for (const path of PUBLIC_PATHS) {
      // JSON through the spec-checking proxy; HTML, feeds and SVG directly.
      const res = await request(path.endsWith('.json') ? app.server : app.app)
        .get(path)
        .buffer(true);
      expect(res.status).toBe(200);
      everything.push(res.text ?? JSON.stringify(res.body));
    }
    const text = everything.join('\n');
    expect(text).toContain('Checkout errors');
    expect(text).toContain('Payments may fail; we are on it');
    for (const secret of [
      'SECRET-TITLE',
      'SECRET-DESCRIPTION',
      'SECRET-NOTE',
      'SECRET-INTERNAL',
      'user:default/',
      incident.ref,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('posts public updates with an explicit status, kept until the lifecycle moves on', async () => {
    const app = await setup();
    const incident = await open(app, {
      title: 'Checkout down',
      severity: 'sev1',
      affectedServices: [CHECKOUT],
    });
    const posted = await request(app.server)
      .post(`/incidents/${incident.ref}/status-page/updates`)
      .set('Authorization', as(GUEST))
      .send({ message: 'We found the faulty deploy', status: 'identified' });
    expect(posted.status).toBe(201);
    expect(posted.body.status).toBe('identified');
    const [first] = (await doc(app, 'incidents.json')).incidents;
    expect(first.status).toBe('identified');
    expect(first.incident_updates[0]).toMatchObject({
      status: 'identified',
      body: 'We found the faulty deploy',
    });
    // Acknowledging is no public change: the person's status stays.
    await move(app, incident.ref, 'investigating');
    expect((await doc(app, 'incidents.json')).incidents[0].status).toBe(
      'identified',
    );
    await move(app, incident.ref, 'mitigated');
    expect((await doc(app, 'incidents.json')).incidents[0].status).toBe(
      'monitoring',
    );
    const refused = await request(app.server)
      .post(`/incidents/${incident.ref}/status-page/updates`)
      .set('Authorization', as(CAROL))
      .send({ message: 'hello' });
    expect(refused.status).toBe(403);
  });

  it('shows a merged child through its parent', async () => {
    const app = await setup();
    const parent = await open(app, {
      title: 'Payments outage',
      severity: 'sev2',
      affectedServices: [PAYMENTS],
    });
    const child = await open(app, {
      title: 'Checkout failing',
      severity: 'sev1',
      affectedServices: [CHECKOUT],
    });
    expect((await doc(app, 'incidents.json')).incidents).toHaveLength(2);
    const merged = await request(app.server)
      .post(`/incidents/${child.ref}/merge`)
      .set('Authorization', as(GUEST))
      .send({ into: parent.ref });
    expect(merged.status).toBe(200);
    const { incidents } = await doc(app, 'incidents.json');
    expect(incidents.map((i: any) => i.name)).toEqual(['Payments outage']);
    expect(incidents[0].components.map((c: any) => c.name).sort()).toEqual([
      'Checkout',
      'Payments',
    ]);
  });
});
