import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import alertmanagerSingle from './__fixtures__/alertmanager-single.json';
import eventsV2Trigger from './__fixtures__/events-v2-trigger.json';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const SENDER = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:prometheus-prod'),
  targetPluginId: 'test',
});
const ROUTING_KEY = eventsV2Trigger.routing_key;

const generic = (overrides: object = {}) => ({
  source: 'synthetics',
  fingerprint: 'login-check',
  status: 'firing',
  severity: 'sev3',
  title: 'Login check failing',
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'alert input rules on %p',
  databaseId => {
    let knex: Knex;
    let app: Awaited<ReturnType<typeof createTestApp>>;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      app = await createTestApp(knex, {
        alerts: { eventsV2RoutingKeys: [{ id: 'datadog', key: ROUTING_KEY }] },
      });
    });

    const post = (
      path: string,
      body: unknown,
      server: Parameters<typeof request>[0] = app.server,
    ) =>
      request(server)
        .post(path)
        .set('Authorization', SENDER)
        .send(body as object);
    const stored = async () => ({
      alerts: await knex('incident_alert').select('fingerprint', 'status'),
      incidents: Number((await knex('incident').count({ n: '*' }))[0].n),
    });

    it.each([
      [
        'a bad status deep in an array',
        [generic(), generic(), generic(), generic({ status: 'burning' })],
        'alerts[3].status: must be one of firing, resolved',
      ],
      [
        'a numeric severity',
        generic({ severity: 3 }),
        /^body\.severity: .*expected string/,
      ],
      [
        '10,000 tags',
        generic({ tags: Array.from({ length: 10_000 }, (_, i) => `t${i}`) }),
        /^body\.tags: .*20/,
      ],
    ])('names the field for %s', async (_name, body, message) => {
      const res = await post('/alerts', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(await stored()).toEqual({ alerts: [], incidents: 0 });
    });

    it('refuses empty arrays and more than 1,000 alerts', async () => {
      // The spec says so (the bare app: the wrapped server checks requests too).
      const empty = await post('/alerts', [], app.app);
      expect(empty.status).toBe(400);
      const many = Array.from({ length: 1001 }, (_, i) =>
        generic({ fingerprint: `f${i}` }),
      );
      const tooMany = await post('/alerts', many, app.app);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toMatch(/1000/);
      expect(await stored()).toEqual({ alerts: [], incidents: 0 });
    });

    it.each(['startsAt', 'endsAt'])(
      'refuses an Alertmanager %s that is not a time',
      async field => {
        const body = structuredClone(alertmanagerSingle);
        (body.alerts[0] as Record<string, unknown>)[field] = 'yesterday';
        const res = await post('/alerts/alertmanager', body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          `body.alerts[0].${field}: not an ISO 8601 time`,
        );
        expect(await stored()).toEqual({ alerts: [], incidents: 0 });
        // 0001-01-01T00:00:00Z (no end) is Alertmanager's own and fine
        expect(
          (await post('/alerts/alertmanager', alertmanagerSingle)).status,
        ).toBe(202);
      },
    );

    it('refuses an Events v2 timestamp that is not a time', async () => {
      const res = await post('/alerts/events-v2', {
        ...eventsV2Trigger,
        payload: { ...eventsV2Trigger.payload, timestamp: 'last tuesday' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'body.payload.timestamp: not an ISO 8601 time',
      );
      expect(await stored()).toEqual({ alerts: [], incidents: 0 });
    });

    it('accepts and ignores an acknowledge for an unknown or resolved dedup_key, as PagerDuty does', async () => {
      const ack = (dedupKey: string) =>
        post('/alerts/events-v2', {
          routing_key: ROUTING_KEY,
          event_action: 'acknowledge',
          dedup_key: dedupKey,
        });
      const unknown = await ack('never-triggered');
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual({
        status: 'success',
        message: 'No firing alert; ignored',
        dedup_key: 'never-triggered',
      });
      expect(await stored()).toEqual({ alerts: [], incidents: 0 });

      await post('/alerts/events-v2', eventsV2Trigger).expect(202);
      await post('/alerts/events-v2', {
        routing_key: ROUTING_KEY,
        event_action: 'resolve',
        dedup_key: eventsV2Trigger.dedup_key,
      }).expect(202);
      const before = await stored();
      expect(before.alerts).toEqual([
        { fingerprint: eventsV2Trigger.dedup_key, status: 'resolved' },
      ]);
      const late = await ack(eventsV2Trigger.dedup_key);
      expect(late.status).toBe(202);
      expect(late.body.message).toBe('No firing alert; ignored');
      expect(await stored()).toEqual(before);
    });
  },
);
