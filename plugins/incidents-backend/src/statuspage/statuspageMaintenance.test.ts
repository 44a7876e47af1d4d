import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { signWebhook } from '../paging/pagers';
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
  const doc = async (app: App, path: string) => {
    // Documents are cached per page version; this test app's own writes
    // invalidate the cache, so every read sees them.
    const res = await request(app.server).get(`/public/api/v2/${path}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('schedules maintenance, shows it ahead, and silences alerts of components under it', async () => {
    const app = await setup();
    const now = Date.now();
    const later = await request(app.server)
      .post('/status-page/maintenances')
      .set('Authorization', as(GUEST))
      .send({
        name: 'Database upgrade',
        components: [CHECKOUT],
        scheduledFor: new Date(now + 86_400_000).toISOString(),
        scheduledUntil: new Date(now + 90_000_000).toISOString(),
      });
    expect(later.status).toBe(201);
    expect(later.body.status).toBe('scheduled');
    expect(
      (await doc(app, 'scheduled-maintenances/upcoming.json'))
        .scheduled_maintenances,
    ).toHaveLength(1);
    const running = await request(app.server)
      .post('/status-page/maintenances')
      .set('Authorization', as(GUEST))
      .send({
        name: 'Payments failover test',
        message: 'Payments may be briefly unavailable.',
        components: [PAYMENTS],
        scheduledFor: new Date(now - 60_000).toISOString(),
        scheduledUntil: new Date(now + 3_600_000).toISOString(),
      });
    expect(running.status).toBe(201);
    expect(running.body.status).toBe('in_progress');
    const summary = await doc(app, 'summary.json');
    expect(summary.status.indicator).toBe('maintenance');
    expect(
      summary.components.find((c: any) => c.name === 'Payments').status,
    ).toBe('under_maintenance');
    const refused = await request(app.server)
      .post('/status-page/maintenances')
      .set('Authorization', as(CAROL))
      .send({
        name: 'x',
        components: [PAYMENTS],
        scheduledFor: new Date(now).toISOString(),
        scheduledUntil: new Date(now + 60_000).toISOString(),
      });
    expect(refused.status).toBe(403);
    const unlisted = await request(app.server)
      .post('/status-page/maintenances')
      .set('Authorization', as(GUEST))
      .send({
        name: 'x',
        components: ['component:default/edge-gateway'],
        scheduledFor: new Date(now).toISOString(),
        scheduledUntil: new Date(now + 60_000).toISOString(),
      });
    expect(unlisted.status).toBe(400);
    expect(unlisted.body.error.message).toContain('components[0]');

    // A critical alert of payments-api while it is under maintenance.
    const alert = await request(app.server)
      .post('/alerts')
      .set(
        'Authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('external:monitor'),
          targetPluginId: 'test',
        }),
      )
      .send({
        source: 'monitor',
        fingerprint: 'payments-down',
        status: 'firing',
        severity: 'sev1',
        title: 'Payments down',
        entityRef: PAYMENTS,
      });
    expect(alert.status).toBe(202);
    expect(alert.body.opened).toEqual([]);
    const list = await request(app.server)
      .get('/alerts')
      .set('Authorization', as(GUEST));
    expect(list.body.items[0]).toMatchObject({
      fingerprint: 'payments-down',
      silencedBy: running.body.id,
    });
    const incidents = await request(app.server)
      .get('/incidents')
      .set('Authorization', as(GUEST));
    expect(incidents.body.totalCount).toBe(0);

    // Completed early: the component is back, and alerts open incidents again.
    const done = await request(app.server)
      .patch(`/status-page/maintenances/${running.body.id}`)
      .set('Authorization', as(GUEST))
      .send({ status: 'completed' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    expect(done.body.updates.map((u: any) => u.status)).toEqual([
      'scheduled',
      'completed',
    ]);
    expect((await doc(app, 'status.json')).status.indicator).toBe('none');
  });

  it("answers 304 to a matching If-None-Match, and sees another replica's change within seconds", async () => {
    const app = await setup();
    const first = await request(app.server).get('/public/api/v2/status.json');
    expect(first.headers.etag).toBeTruthy();
    expect(first.headers['cache-control']).toContain('max-age=');
    const again = await request(app.server)
      .get('/public/api/v2/status.json')
      .set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);

    // A second replica (its own cache) on the same database.
    const other = await createTestApp(knex, { policy, statusPage });
    expect((await doc(other, 'status.json')).status.indicator).toBe('none');
    await open(app, {
      title: 'Checkout down',
      severity: 'sev1',
      affectedServices: [CHECKOUT],
    });
    const started = Date.now();
    let indicator = 'none';
    while (indicator === 'none' && Date.now() - started < 5000) {
      indicator = (await doc(other, 'status.json')).status.indicator;
      if (indicator === 'none') await new Promise(r => setTimeout(r, 100));
    }
    expect(indicator).toBe('critical');
    expect(Date.now() - started).toBeLessThan(2000);
    const changed = await request(app.server)
      .get('/public/api/v2/status.json')
      .set('If-None-Match', first.headers.etag);
    expect(changed.status).toBe(200);
  });

  it('fails the startup check naming unknown components', async () => {
    const app = await createTestApp(knex, {
      policy,
      statusPage: {
        components: [
          { entityRef: CHECKOUT },
          { entityRef: 'component:default/no-such-thing' },
        ],
      },
    });
    await expect(
      app.checkStatusPage({ attempts: 1, delayMs: 0 }),
    ).rejects.toThrow(
      "incidents.statusPage.components[1].entityRef: 'component:default/no-such-thing'",
    );
  });
});

describe.each(databases.eachSupportedId())(
  'status page off on %p',
  databaseId => {
    it('answers 404 on the public paths when not configured', async () => {
      const knex = await databases.init(databaseId);
      const app = await createTestApp(knex);
      const res = await request(app.server).get('/public/api/v2/summary.json');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain('incidents.statusPage');
    });
  },
);

describe.each(databases.eachSupportedId())(
  'status page subscribers on %p',
  databaseId => {
    it('sends subscribers signed Statuspage payloads through the outbox, retrying failures', async () => {
      const received: Array<{ headers: IncomingHttpHeaders; body: string }> =
        [];
      let failNext = 1;
      const receiver = createServer((req, res) => {
        let body = '';
        req.on('data', chunk => (body += chunk));
        req.on('end', () => {
          if (failNext > 0) {
            failNext -= 1;
            res.writeHead(503).end('busy');
            return;
          }
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>(resolve =>
        receiver.listen(0, '127.0.0.1', resolve),
      );
      const { port } = receiver.address() as AddressInfo;
      try {
        let now = new Date();
        const knex = await databases.init(databaseId);
        const app = await createTestApp(knex, {
          policy,
          now: () => now,
          statusPage: {
            ...statusPage,
            subscribers: [
              {
                id: 'ops',
                url: `http://127.0.0.1:${port}/hook`,
                secret: 'subscriber-secret',
              },
            ],
          },
        });
        const opened = await request(app.server)
          .post('/incidents')
          .set('Authorization', as(GUEST))
          .send({
            title: 'Checkout down',
            severity: 'sev1',
            affectedServices: [CHECKOUT],
          });
        expect(opened.status).toBe(201);
        expect((await app.escalation.tick()).deliveries).toEqual({
          sent: 0,
          failed: 1,
        });
        expect(received).toHaveLength(0);
        // The retry is due after the backoff.
        now = new Date(now.getTime() + 60_000);
        expect((await app.escalation.tick()).deliveries).toEqual({
          sent: 1,
          failed: 0,
        });
        expect(received).toHaveLength(1);
        const [{ headers, body }] = received;
        const payload = JSON.parse(body);
        expect(payload.page).toMatchObject({ status_indicator: 'critical' });
        expect(payload.incident).toMatchObject({
          name: 'Checkout down',
          status: 'investigating',
        });
        const timestamp = String(headers['x-vigil-timestamp']);
        expect(headers['x-vigil-signature']).toBe(
          signWebhook('subscriber-secret', timestamp, body),
        );
      } finally {
        receiver.close();
      }
    });
  },
);
