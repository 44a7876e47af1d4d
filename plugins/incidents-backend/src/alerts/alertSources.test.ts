import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { testEntities } from '../__testUtils__/startIncidentsBackend';
import eventsV2Trigger from './__fixtures__/events-v2-trigger.json';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const ALERTMANAGER = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:prometheus-prod'),
  targetPluginId: 'test',
});
const GUEST = mockCredentials.user.header('user:default/guest');
const ROUTING_KEY = eventsV2Trigger.routing_key;

// edge-gateway takes alerts labelled team=edge.
const entities: Entity[] = testEntities.map(e =>
  e.metadata.name === 'edge-gateway'
    ? {
        ...e,
        metadata: {
          ...e.metadata,
          annotations: { 'vigil.dev/alert-selector': 'team=edge' },
        },
      }
    : e,
);

describe.each(databases.eachSupportedId())('alerts on %p', databaseId => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  const setup = (db: Knex = knex, stormThreshold = 5) =>
    createTestApp(db, {
      catalog: catalogServiceMock({ entities }),
      alerts: {
        eventsV2RoutingKeys: [{ id: 'datadog', key: ROUTING_KEY }],
        storm: { enabled: true, windowMs: 60_000, threshold: stormThreshold },
      },
    });

  async function post(
    server: Awaited<ReturnType<typeof setup>>['server'],
    { path, body }: { path: string; body: unknown },
  ) {
    return request(server)
      .post(path)
      .set('Authorization', ALERTMANAGER)
      .send(body as object);
  }

  async function incidents(
    server: Awaited<ReturnType<typeof setup>>['server'],
    query = '',
  ) {
    const res = await request(server)
      .get(`/incidents?limit=500${query}`)
      .set('Authorization', GUEST);
    expect(res.status).toBe(200);
    return res.body.items as Array<{
      id: string;
      ref: string;
      status: string;
      parentId?: string;
      childCount?: number;
      affectedServices: string[];
      severity: string;
    }>;
  }

  async function alerts(
    server: Awaited<ReturnType<typeof setup>>['server'],
    query = '',
  ) {
    const res = await request(server)
      .get(`/alerts?limit=500${query}`)
      .set('Authorization', GUEST);
    expect(res.status).toBe(200);
    return res.body.items as Array<Record<string, any>>;
  }

  it('rejects bad generic alerts and bodies over 2 MB (413), and requires a service caller', async () => {
    const { server } = await setup();
    const bad = await post(server, {
      path: '/alerts',
      body: [
        {
          source: 's',
          fingerprint: 'a',
          status: 'firing',
          severity: 'sev1',
          title: 'ok',
        },
        {
          source: 's',
          fingerprint: 'b',
          status: 'firing',
          severity: 'sev9',
          title: 'bad',
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain(
      'alerts[1].severity: unknown severity',
    );
    expect(await alerts(server)).toEqual([]);

    const huge = await post(server, {
      path: '/alerts',
      body: {
        source: 's',
        fingerprint: 'x',
        status: 'firing',
        severity: 'sev3',
        title: 't',
        description: 'x'.repeat(3_000_000),
      },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toBe('request entity too large');

    const asUser = await request(server)
      .post('/alerts')
      .set('Authorization', GUEST)
      .send({
        source: 's',
        fingerprint: 'y',
        status: 'firing',
        severity: 'sev3',
        title: 't',
      });
    expect(asUser.status).toBe(403);
    expect(await alerts(server)).toEqual([]);

    const ok = await post(server, {
      path: '/alerts',
      body: {
        source: 'synthetics',
        fingerprint: 'login-check',
        status: 'firing',
        severity: 'P2',
        title: 'Login check failing',
        entityRef: 'component:default/checkout-web',
        tags: ['region=eu'],
      },
    });
    expect(ok.status).toBe(202);
    expect(ok.body.opened).toHaveLength(1);

    // Monitoring words map too: a warning is a sev3 and opens nothing.
    const warning = await post(server, {
      path: '/alerts',
      body: {
        source: 'synthetics',
        fingerprint: 'slow-login',
        status: 'firing',
        severity: 'warning',
        title: 'Login slow',
      },
    });
    expect(warning.status).toBe(202);
    expect(warning.body.opened).toEqual([]);
    expect((await alerts(server, '&unmapped=true'))[0]).toMatchObject({
      fingerprint: 'slow-login',
      severity: 'sev3',
    });
  });

  it('takes PagerDuty Events API v2 trigger, acknowledge and resolve by routing key', async () => {
    const { server } = await setup();
    const wrongKey = await request(server)
      .post('/alerts/events-v2')
      .send({ ...eventsV2Trigger, routing_key: 'not-a-configured-key' });
    expect(wrongKey.status).toBe(401);

    const noPayload = await request(server)
      .post('/alerts/events-v2')
      .send({ routing_key: ROUTING_KEY, event_action: 'trigger' });
    expect(noPayload.status).toBe(400);
    expect(noPayload.body.error.message).toContain(
      'body.payload: required for a trigger',
    );

    const trigger = await request(server)
      .post('/alerts/events-v2')
      .send(eventsV2Trigger);
    expect(trigger.status).toBe(202);
    expect(trigger.body).toEqual({
      status: 'success',
      message: 'Event processed',
      dedup_key: 'ledger-replication-lag',
    });
    let [incident] = await incidents(server);
    expect(incident).toMatchObject({
      status: 'open',
      severity: 'sev1',
      affectedServices: ['component:default/payments-api'],
    });

    await request(server).post('/alerts/events-v2').send({
      routing_key: ROUTING_KEY,
      event_action: 'acknowledge',
      dedup_key: 'ledger-replication-lag',
    });
    [incident] = await incidents(server);
    expect(incident.status).toBe('investigating');

    const resolve = await request(server).post('/alerts/events-v2').send({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key: 'ledger-replication-lag',
    });
    expect(resolve.status).toBe(202);
    [incident] = await incidents(server);
    expect(incident.status).toBe('resolved');
    const [alert] = await alerts(server);
    expect(alert).toMatchObject({
      source: 'events-v2:datadog',
      status: 'resolved',
      title: 'Ledger replication lag above 30s',
    });
  });

  it('folds a storm into one parent, merges the incidents its alerts opened, and resolves cleared children with the parent', async () => {
    const { server } = await setup();
    const send = (i: number, status = 'firing') =>
      post(server, {
        path: '/alerts',
        body: {
          source: 'probe',
          fingerprint: `probe-${i}`,
          status,
          severity: 'sev1',
          title: `Probe ${i} failing`,
          entityRef: 'component:default/payments-api',
        },
      });
    for (let i = 1; i <= 4; i++) await send(i);
    expect((await incidents(server)).filter(i => !i.parentId)).toHaveLength(4);
    for (let i = 5; i <= 7; i++) await send(i);

    const all = await incidents(server);
    const top = all.filter(i => !i.parentId);
    expect(top).toHaveLength(1);
    const [parent] = top;
    expect(parent.childCount).toBe(4);
    expect(all.filter(i => i.parentId === parent.id)).toHaveLength(4);
    const linked = await alerts(server, `&incidentId=${parent.id}`);
    expect(linked).toHaveLength(7);
    expect(linked.every(a => a.incidentId === parent.id && a.stormId)).toBe(
      true,
    );

    // Probes 1 and 2 clear; resolving the parent resolves their incidents.
    await send(1, 'resolved');
    await send(2, 'resolved');
    const moved = await request(server)
      .post(`/incidents/${parent.id}/status`)
      .set('Authorization', GUEST)
      .send({ status: 'resolved' });
    expect(moved.status).toBe(200);
    const children = (await incidents(server)).filter(
      i => i.parentId === parent.id,
    );
    expect(children.map(c => c.status).sort()).toEqual([
      'open',
      'open',
      'resolved',
      'resolved',
    ]);

    // The storm closed with its parent: the next alert stands alone.
    await send(8);
    expect(
      (await incidents(server)).filter(i => !i.parentId && i.status === 'open'),
    ).toHaveLength(1);
  });

  it('gives one parent and 1,000 linked alerts to 20 concurrent senders, across two instances', async () => {
    // A second client with its own pool: a second replica (SQLite in
    // memory is one database per connection, so it shares the client).
    const other =
      databaseId === 'SQLITE_3' ? knex : knexFactory(knex.client.config);
    try {
      const a = await setup();
      const b = await setup(other);
      const senders = Array.from({ length: 20 }, async (_, s) => {
        for (let i = 0; i < 50; i++) {
          const res = await post(s % 2 ? a.server : b.server, {
            path: '/alerts',
            body: {
              source: 'load',
              fingerprint: `load-${s}-${i}`,
              status: 'firing',
              severity: i % 2 ? 'sev1' : 'sev3',
              title: `Load ${s}/${i}`,
              entityRef: 'component:default/payments-api',
            },
          });
          expect(res.status).toBe(202);
        }
      });
      await Promise.all(senders);
      const all = await incidents(a.server);
      const top = all.filter(i => !i.parentId);
      expect(top).toHaveLength(1);
      const linked = await request(a.server)
        .get(`/alerts?limit=500&incidentId=${top[0].id}`)
        .set('Authorization', GUEST);
      const pages = [linked.body.items];
      let cursor = linked.body.nextCursor;
      while (cursor) {
        const next = await request(a.server)
          .get(`/alerts?limit=500&incidentId=${top[0].id}&cursor=${cursor}`)
          .set('Authorization', GUEST);
        pages.push(next.body.items);
        cursor = next.body.nextCursor;
      }
      const items = pages.flat();
      expect(items).toHaveLength(1000);
      expect(items.every((x: any) => x.incidentId === top[0].id)).toBe(true);
    } finally {
      if (other !== knex) await other.destroy();
    }
  });
});
