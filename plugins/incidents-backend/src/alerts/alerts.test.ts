import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { testEntities } from '../__testUtils__/startIncidentsBackend';
import single from './__fixtures__/alertmanager-single.json';
import grouped from './__fixtures__/alertmanager-grouped.json';
import mixed from './__fixtures__/alertmanager-mixed.json';
import truncated from './__fixtures__/alertmanager-truncated.json';
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

const alertmanager = (body: unknown) => ({
  path: '/alerts/alertmanager',
  body,
});

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

  it('opens one incident for a critical Alertmanager alert, with the alert on its timeline, and folds repeats', async () => {
    const { server } = await setup();
    const first = await post(server, alertmanager(single));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: 1, fired: 1, unchanged: 0 });
    expect(first.body.opened).toHaveLength(1);

    // Alertmanager in HA delivers at least once: the same message again.
    const again = await post(server, alertmanager(single));
    expect(again.body).toMatchObject({
      accepted: 1,
      fired: 0,
      unchanged: 1,
      opened: [],
    });

    const [incident] = await incidents(server);
    expect(incident).toMatchObject({
      ref: first.body.opened[0],
      severity: 'sev1',
      status: 'open',
      affectedServices: ['component:default/payments-api'],
    });
    const timeline = await request(server)
      .get(`/incidents/${incident.id}/timeline`)
      .set('Authorization', GUEST);
    expect(timeline.body.items.map((e: any) => [e.kind, e.actor])).toEqual([
      ['opened', 'alertmanager:external:prometheus-prod'],
      ['alert', 'alertmanager:external:prometheus-prod'],
    ]);
    expect(timeline.body.items[1].message).toBe(
      'Alert firing: Checkout error rate above 5%',
    );

    const [alert] = await alerts(server);
    expect(alert).toMatchObject({
      source: 'alertmanager:external:prometheus-prod',
      fingerprint: 'c0ffee0000000001',
      status: 'firing',
      severity: 'sev1',
      entityRef: 'component:default/payments-api',
      incidentId: incident.id,
      openedIncidentId: incident.id,
      seenCount: 2,
      startsAt: '2026-11-22T07:00:00.000Z',
    });
    expect(alert.endsAt).toBeUndefined();
  });

  it('groups on receiver + groupKey, reads each alert’s status, and never resolves from absence', async () => {
    const { server } = await setup(knex, 100);
    const first = await post(server, alertmanager(grouped));
    expect(first.body).toMatchObject({ fired: 3 });
    expect(first.body.opened).toHaveLength(1);

    // The same groupKey under another receiver is another group.
    const other = await post(
      server,
      alertmanager({
        ...grouped,
        receiver: 'team-pager',
        alerts: [{ ...grouped.alerts[0], fingerprint: 'beef0000000000ff' }],
      }),
    );
    expect(other.body.opened).toHaveLength(1);
    expect(other.body.opened).not.toEqual(first.body.opened);

    // One message: pod 1 resolved, pod 2 still firing.
    const mixedRes = await post(server, alertmanager(mixed));
    expect(mixedRes.body).toMatchObject({ resolved: 1, unchanged: 1 });

    // Truncated: only pod 3 is listed (resolved); pod 2, left out, stays
    // firing, so the incident stays open.
    const truncatedRes = await post(server, alertmanager(truncated));
    expect(truncatedRes.body).toMatchObject({ resolved: 1 });
    const byFingerprint = Object.fromEntries(
      (await alerts(server)).map(a => [a.fingerprint, a.status]),
    );
    expect(byFingerprint).toEqual({
      beef000000000001: 'resolved',
      beef000000000002: 'firing',
      beef000000000003: 'resolved',
      beef0000000000ff: 'firing',
    });
    const open = await incidents(server);
    expect(open.map(i => i.status)).toEqual(['open', 'open']);

    // The last alert of the group clears: the incident resolves itself.
    const cleared = await post(
      server,
      alertmanager({
        ...mixed,
        alerts: [{ ...mixed.alerts[1], status: 'resolved' }],
      }),
    );
    expect(cleared.body).toMatchObject({ resolved: 1 });
    const after = await incidents(server);
    const resolved = after.find(i => i.ref === first.body.opened[0])!;
    expect(resolved.status).toBe('resolved');
    const timeline = await request(server)
      .get(`/incidents/${resolved.id}/timeline`)
      .set('Authorization', GUEST);
    expect(timeline.body.items.at(-1)).toMatchObject({
      kind: 'status',
      actor: 'alertmanager:external:prometheus-prod',
    });
  });

  it('keeps a resolve for an alert never seen, and unmapped alerts, without opening anything', async () => {
    const { server } = await setup();
    const res = await post(
      server,
      alertmanager({
        ...single,
        alerts: [
          { ...single.alerts[0], status: 'resolved', fingerprint: 'f1' },
          {
            ...single.alerts[0],
            fingerprint: 'f2',
            labels: {
              alertname: 'DiskFull',
              severity: 'warning',
              service: 'nope',
            },
          },
          {
            ...single.alerts[0],
            fingerprint: 'f3',
            labels: {
              alertname: 'EdgeDown',
              severity: 'warning',
              team: 'edge',
            },
          },
        ],
      }),
    );
    expect(res.body).toMatchObject({
      accepted: 3,
      fired: 2,
      unchanged: 1,
      opened: [],
    });
    expect(await incidents(server)).toEqual([]);
    const unmapped = await alerts(server, '&unmapped=true');
    expect(unmapped.map(a => [a.fingerprint, a.status, a.severity])).toEqual([
      ['f2', 'firing', 'sev3'],
    ]);
    const resolvedUnseen = await alerts(server, '&status=resolved');
    expect(resolvedUnseen).toEqual([
      expect.objectContaining({
        fingerprint: 'f1',
        severity: 'sev1',
        entityRef: 'component:default/payments-api',
      }),
    ]);
    expect(resolvedUnseen[0].incidentId).toBeUndefined();
    const edge = await alerts(
      server,
      '&entityRef=component:default/edge-gateway',
    );
    expect(edge.map(a => a.fingerprint)).toEqual(['f3']);
  });

  it('opens the incident on a retry when the first delivery was recorded but opening failed', async () => {
    const { server, alertRecorder } = await setup();
    // What a delivery whose incident could not be opened leaves behind: the
    // alert, recorded, in no incident (the sender got an error).
    await alertRecorder!.record(
      [
        {
          source: 'alertmanager:external:prometheus-prod',
          fingerprint: single.alerts[0].fingerprint,
          status: 'firing',
          severity: 'sev1',
          title: 'Checkout error rate above 5%',
          entityRef: 'component:default/payments-api',
          groupKey: `${single.receiver}/${single.groupKey}`,
          labels: single.alerts[0].labels,
        },
      ],
      new Date(),
    );
    expect(await incidents(server)).toEqual([]);

    const retry = await post(server, alertmanager(single));
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ accepted: 1, unchanged: 1 });
    expect(retry.body.opened).toHaveLength(1);
    const [incident] = await incidents(server);
    expect(incident.ref).toBe(retry.body.opened[0]);
    const [alert] = await alerts(server);
    expect(alert.incidentId).toBe(incident.id);

    // Once it has its incident, repeats change nothing.
    const again = await post(server, alertmanager(single));
    expect(again.body).toMatchObject({ unchanged: 1, opened: [] });
    expect(await incidents(server)).toHaveLength(1);
  });

  it('answers each of many messages arriving at once with its own summary', async () => {
    const { server } = await setup(knex, 100);
    const seen = { ...single.alerts[0], fingerprint: 'seen' };
    await post(server, alertmanager({ ...single, alerts: [seen] }));
    const warning = (fingerprint: string) => ({
      ...single.alerts[0],
      fingerprint,
      labels: { alertname: 'DiskFull', severity: 'warning', service: 'nope' },
    });
    const messages = [
      // A repeat of the alert above, and a new critical alert of its own
      // group (a new incident).
      { ...single, alerts: [seen] },
      {
        ...single,
        groupKey: '{}:{alertname="Other"}',
        alerts: [{ ...single.alerts[0], fingerprint: 'critical-2' }],
      },
      // A resolve for an alert never seen.
      {
        ...single,
        groupKey: '{}:{alertname="Gone"}',
        alerts: [
          { ...single.alerts[0], fingerprint: 'gone', status: 'resolved' },
        ],
      },
      // Warnings: recorded, nothing opened.
      ...Array.from({ length: 5 }, (_, i) => ({
        ...single,
        groupKey: `{}:{alertname="DiskFull",n="${i}"}`,
        alerts: [warning(`w${i}a`), warning(`w${i}b`)],
      })),
    ];
    const answers = await Promise.all(
      messages.map(body => post(server, alertmanager(body))),
    );
    expect(answers.map(a => a.status)).toEqual(messages.map(() => 202));
    const [repeat, critical, gone, ...warnings] = answers.map(a => a.body);
    expect(repeat).toMatchObject({ accepted: 1, unchanged: 1, fired: 0 });
    expect(repeat.opened).toEqual([]);
    expect(repeat.incidents).toEqual([]);
    expect(critical).toMatchObject({ accepted: 1, fired: 1 });
    expect(critical.opened).toHaveLength(1);
    expect(critical.incidents).toEqual(critical.opened);
    expect(gone).toMatchObject({ accepted: 1, unchanged: 1, opened: [] });
    for (const w of warnings) {
      expect(w).toMatchObject({ accepted: 2, fired: 2, opened: [] });
    }
    expect((await incidents(server)).length).toBe(2);
    expect((await alerts(server)).length).toBe(1 + 1 + 1 + 10);
  });

  it.each([
    // The spec's enum answers first, with the validator's path.
    ['body/version', { ...single, version: '3' }],
    [
      'body.alerts[0].fingerprint',
      { ...single, alerts: [{ ...single.alerts[0], fingerprint: undefined }] },
    ],
    [
      'body.alerts[0].status',
      { ...single, alerts: [{ ...single.alerts[0], status: 'pending' }] },
    ],
  ])(
    'rejects a bad Alertmanager payload naming %s, writing nothing',
    async (field, body) => {
      const { server } = await setup();
      const res = await post(server, alertmanager(body));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect(await alerts(server)).toEqual([]);
    },
  );
});
