import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import single from '../alerts/__fixtures__/alertmanager-single.json';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';
import { toolboxEntities } from '../__testUtils__/toolboxCatalog';
import { readRunbooksConfig } from './config';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');
const CAROL = mockCredentials.user.header('user:default/carol');
const SENDER = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:prometheus-prod'),
  targetPluginId: 'test',
});
const PAYMENTS = 'component:default/payments-api';

/** carol may read no incident. */
const policy: TestPolicy = (permission, credentials) =>
  (credentials.principal as any).userEntityRef === 'user:default/carol' &&
  permission.name === 'incidents.incident.read'
    ? { result: AuthorizeResult.DENY }
    : { result: AuthorizeResult.ALLOW };

const RUNBOOKS = readRunbooksConfig(
  new ConfigReader({
    incidents: {
      runbooks: [
        {
          title: 'Payments escalation',
          url: 'https://wiki.example/payments-escalation',
          components: ['payments-api'],
        },
        // The same URL as the catalog link: merged, not repeated.
        { url: 'https://runbooks.example/payments', components: [PAYMENTS] },
        {
          title: 'Checkout errors',
          url: 'https://wiki.example/checkout-errors',
          alerts: ['CheckoutErrors'],
        },
        { url: 'https://wiki.example/other', alerts: ['Other'] },
      ],
    },
  }),
);

describe('incidents.runbooks', () => {
  const read = (runbooks: JsonValue) =>
    readRunbooksConfig(new ConfigReader({ incidents: { runbooks } }));

  it('reads entries and normalizes component refs', () => {
    expect(RUNBOOKS[0]).toEqual({
      title: 'Payments escalation',
      url: 'https://wiki.example/payments-escalation',
      components: [PAYMENTS],
      alerts: [],
    });
    expect(RUNBOOKS[1].title).toBe('https://runbooks.example/payments');
  });

  it('names the bad key', () => {
    expect(() => read([{ url: 'ftp://x', components: ['a'] }])).toThrow(
      "incidents.runbooks[0].url: 'ftp://x' is not an http(s) URL",
    );
    expect(() =>
      read([{ url: 'https://a', alerts: ['x'] }, { url: 'https://b' }]),
    ).toThrow(
      'incidents.runbooks[1]: name at least one of components or alerts',
    );
  });
});

describe.each(databases.eachSupportedId())('runbooks on %p', databaseId => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  const setup = () =>
    createTestApp(knex, {
      policy,
      catalog: catalogServiceMock({ entities: toolboxEntities }),
      runbooks: RUNBOOKS,
    });

  /** An Alertmanager alert for payments-api with runbook_url annotations and labels. */
  async function alertmanagerIncident(server: any) {
    const body = structuredClone(single) as any;
    body.alerts[0].annotations.runbook_url =
      'https://runbooks.example/checkout-errors';
    body.alerts.push({
      ...structuredClone(single.alerts[0]),
      fingerprint: 'c0ffee0000000002',
      labels: {
        ...single.alerts[0].labels,
        alertname: 'CheckoutLatency',
        runbook_url: 'https://runbooks.example/latency',
      },
    });
    const res = await request(server)
      .post('/alerts/alertmanager')
      .set('Authorization', SENDER)
      .send(body);
    expect(res.status).toBeLessThan(300);
    const alerts = await request(server)
      .get('/alerts?limit=10')
      .set('Authorization', GUEST);
    return (
      alerts.body.items[0].openedIncidentId ?? alerts.body.items[0].incidentId
    );
  }

  it('merges the catalog link, the annotation, alerts and config by URL', async () => {
    const { server } = await setup();
    const id = await alertmanagerIncident(server);
    const res = await request(server)
      .get(`/incidents/${id}/runbooks`)
      .set('Authorization', GUEST);
    expect(res.status).toBe(200);
    const byUrl = Object.fromEntries(
      res.body.runbooks.map((r: any) => [r.url, r]),
    );
    expect(byUrl['https://runbooks.example/payments']).toEqual({
      title: 'Payments runbook',
      url: 'https://runbooks.example/payments',
      sources: ['catalog-link', 'annotation', 'config'],
      subjects: [PAYMENTS],
    });
    expect(byUrl['https://runbooks.example/failover']).toMatchObject({
      title: 'Failover',
      sources: ['annotation'],
    });
    expect(byUrl['https://runbooks.example/checkout-errors']).toEqual({
      title: 'Runbook: CheckoutErrors',
      url: 'https://runbooks.example/checkout-errors',
      sources: ['alert'],
      subjects: ['alert:CheckoutErrors'],
    });
    expect(byUrl['https://runbooks.example/latency'].subjects).toEqual([
      'alert:CheckoutLatency',
    ]);
    expect(byUrl['https://wiki.example/checkout-errors']).toMatchObject({
      sources: ['config'],
      subjects: ['alert:CheckoutErrors'],
    });
    expect(byUrl['https://wiki.example/payments-escalation']).toBeDefined();
    // Not a runbook link, not http(s), not this incident's alert.
    expect(Object.keys(byUrl)).toHaveLength(6);
  });

  it('finds the runbook_url label of generic alerts', async () => {
    const { server } = await setup();
    await request(server)
      .post('/alerts')
      .set('Authorization', SENDER)
      .send({
        source: 'ci',
        fingerprint: 'g1',
        status: 'firing',
        severity: 'sev2',
        title: 'Queue backlog',
        entityRef: 'payments-api',
        labels: { runbook_url: 'https://runbooks.example/backlog' },
      })
      .expect(r => expect(r.status).toBeLessThan(300));
    const alerts = await request(server)
      .get('/alerts')
      .set('Authorization', GUEST);
    const id = alerts.body.items[0].openedIncidentId;
    const res = await request(server)
      .get(`/incidents/${id}/runbooks`)
      .set('Authorization', GUEST);
    expect(res.body.runbooks).toContainEqual({
      title: 'Runbook: Queue backlog',
      url: 'https://runbooks.example/backlog',
      sources: ['alert'],
      subjects: ['alert:Queue backlog'],
    });
  });

  it('links tagged templates for the component and the alert, prefilled', async () => {
    const { server } = await setup();
    const id = await alertmanagerIncident(server);
    const incident = await request(server)
      .get(`/incidents/${id}`)
      .set('Authorization', GUEST);
    const res = await request(server)
      .get(`/incidents/${id}/runbooks`)
      .set('Authorization', GUEST);
    const automations = res.body.automations;
    expect(automations.map((a: any) => a.templateRef).sort()).toEqual([
      'template:default/drain-errors',
      'template:default/restart-pods',
    ]);
    const restart = automations.find((a: any) =>
      a.templateRef.endsWith('restart-pods'),
    );
    const [path, query] = restart.runPath.split('?formData=');
    expect(path).toBe('/create/templates/default/restart-pods');
    expect(JSON.parse(decodeURIComponent(query))).toEqual({
      incident: incident.body.ref,
      component: PAYMENTS,
    });
    const drain = automations.find((a: any) =>
      a.templateRef.endsWith('drain-errors'),
    );
    expect(
      JSON.parse(decodeURIComponent(drain.runPath.split('?formData=')[1])),
    ).toEqual({
      incident: incident.body.ref,
    });
    expect(drain.subjects).toEqual(['alert:CheckoutErrors']);
  });

  it('answers for one component, and refuses one who may read no incident', async () => {
    const { server } = await setup();
    const entity = await request(server)
      .get(`/runbooks?entityRef=${encodeURIComponent('payments-api')}`)
      .set('Authorization', GUEST);
    expect(entity.status).toBe(200);
    expect(entity.body.runbooks.map((r: any) => r.url)).toEqual([
      'https://runbooks.example/payments',
      'https://runbooks.example/failover',
      'https://wiki.example/payments-escalation',
    ]);
    expect(entity.body.automations).toHaveLength(1);
    expect(entity.body.automations[0].runPath).toBe(
      `/create/templates/default/restart-pods?formData=${encodeURIComponent(
        JSON.stringify({ component: PAYMENTS }),
      )}`,
    );
    // carol may read no incident: neither a component's runbooks (read from
    // the catalog as the plugin for services) nor an incident's.
    const refused = await request(server)
      .get(`/runbooks?entityRef=${encodeURIComponent('payments-api')}`)
      .set('Authorization', CAROL);
    expect(refused.status).toBe(403);
    const id = await alertmanagerIncident(server);
    const hidden = await request(server)
      .get(`/incidents/${id}/runbooks`)
      .set('Authorization', CAROL);
    expect(hidden.status).toBe(403);
  });

  it('fills the runbooks placeholder of the postmortem template', async () => {
    const app = await createTestApp(knex, {
      policy,
      catalog: catalogServiceMock({ entities: toolboxEntities }),
      runbooks: RUNBOOKS,
      postmortems: {
        template: {
          title: 'Postmortem: {{ref}}',
          sections: [{ title: 'Runbooks used', body: '{{runbooks}}' }],
        },
      },
    });
    const id = await alertmanagerIncident(app.server);
    for (const status of [
      'investigating',
      'mitigated',
      'resolved',
      'postmortem',
    ]) {
      await request(app.server)
        .post(`/incidents/${id}/status`)
        .set('Authorization', GUEST)
        .send({ status })
        .expect(200);
    }
    const res = await request(app.server)
      .get(`/incidents/${id}/postmortem`)
      .set('Authorization', GUEST);
    expect(res.status).toBe(200);
    expect(res.body.body).toContain(
      `- [Payments runbook](https://runbooks.example/payments) — for ${PAYMENTS}`,
    );
    expect(res.body.body).toContain(
      '- [Runbook: CheckoutErrors](https://runbooks.example/checkout-errors) — for alert CheckoutErrors',
    );
  });
});
