import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from './__testUtils__/createTestApp';
import { createTestDatabases } from './__testUtils__/databases';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');

describe.each(databases.eachSupportedId())('the API on %p', databaseId => {
  let knex: Knex;
  let app: Awaited<ReturnType<typeof createTestApp>>;
  beforeEach(async () => {
    knex = await databases.init(databaseId);
    app = await createTestApp(knex);
  });

  // The wrapped server checks requests against the spec too; requests the
  // spec doesn't describe go to the bare app.
  const call = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
    request(app.server)[method](path).set('Authorization', GUEST);
  const callBare = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
    request(app.app)[method](path).set('Authorization', GUEST);

  async function resolvedIncident() {
    const opened = await call('post', '/incidents').send({
      title: 'Checkout returns 500',
      severity: 'sev2',
    });
    expect(opened.status).toBe(201);
    const ref = opened.body.ref as string;
    for (const status of ['investigating', 'mitigated', 'resolved']) {
      await call('post', `/incidents/${ref}/status`)
        .send({ status })
        .expect(200);
    }
    return ref;
  }

  it.each([
    ['delete', '/incidents/INC-1', 'GET, PATCH, HEAD'],
    ['put', '/alerts', 'GET, POST, HEAD'],
    ['delete', '/incidents/INC-1/postmortem', 'GET, PUT, POST, HEAD'],
    ['get', '/alerts/alertmanager', 'POST'],
  ] as const)(
    'answers %s %s with 405 and the allowed methods',
    async (method, path, allow) => {
      const res = await callBare(method, path);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body.error.message).toContain(`allowed: ${allow}`);
    },
  );

  it('still answers 404 for paths that do not exist', async () => {
    expect((await callBare('get', '/no-such-thing')).status).toBe(404);
  });

  it('answers a body over the limit with 413 and stores nothing', async () => {
    const res = await callBare('post', '/incidents').send({
      title: 'Too big',
      severity: 'sev2',
      description: 'x'.repeat(200_000),
    });
    expect(res.status).toBe(413);
    expect(Number((await knex('incident').count({ n: '*' }))[0].n)).toBe(0);
  });

  it('saves a postmortem of 200,000 characters, and answers 413 beyond the limit', async () => {
    const ref = await resolvedIncident();
    await call('post', `/incidents/${ref}/postmortem`).expect(201);
    // Multi-byte characters: 200,000 of them are 600 kB of UTF-8.
    const body = '€'.repeat(200_000);
    const saved = await call('put', `/incidents/${ref}/postmortem`).send({
      body,
      version: 1,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.body).toBe(body);

    const huge = await callBare('put', `/incidents/${ref}/postmortem`).send({
      body: 'x'.repeat(2_000_000),
      version: 2,
    });
    expect(huge.status).toBe(413);
  });

  it('answers an entityRef the catalog lacks on /oncall with a 400 naming it', async () => {
    const res = await call('get', '/oncall?entityRef=component:default/nope');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'entityRef: unknown catalog entity component:default/nope',
    );
  });

  it.each([
    '/oncall',
    '/incidents',
    '/alerts',
    '/postmortems',
    '/action-items',
    '/escalation-policies',
  ])('answers a bad entityRef on %s with a 400 naming it', async path => {
    const bad = await call(
      'get',
      `${path}?entityRef=${encodeURIComponent(':::')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/entityRef/);
    // a name alone is a component in the default namespace
    const bare = await call('get', `${path}?entityRef=payments-api`);
    expect(bare.status).toBe(200);
  });
});
