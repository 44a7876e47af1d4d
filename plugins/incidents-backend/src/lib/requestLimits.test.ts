import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { MAX_JSON_DEPTH } from './input';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');
const SENDER = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('external:prometheus-prod'),
  targetPluginId: 'test',
});
const ROUTING_KEY = 'a'.repeat(32);

/** `{"a":{"a":…1…}}`, `depth` objects deep, as raw JSON. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe.each(databases.eachSupportedId())(
  'request limits on %p',
  databaseId => {
    let knex: Knex;
    let server: Awaited<ReturnType<typeof createTestApp>>['server'];
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await createTestApp(knex, {
        alerts: { eventsV2RoutingKeys: [{ id: 'dd', key: ROUTING_KEY }] },
      }));
    });

    const post = (path: string, body: string | object) =>
      request(server)
        .post(path)
        .set('Authorization', path.startsWith('/alerts') ? SENDER : GUEST)
        .set('Content-Type', 'application/json')
        .send(body);

    const count = async (table: string) =>
      Number((await knex(table).count({ n: '*' }))[0].n);

    it('refuses free-form JSON nested too deep, naming the field', async () => {
      const res = await post(
        '/alerts/events-v2',
        `{"routing_key":"${ROUTING_KEY}","event_action":"trigger","payload":{"summary":"s","source":"x","severity":"error","custom_details":${nested(
          5000,
        )}}}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        new RegExp(
          `^body\\.payload\\.custom_details(\\.a)+: nested deeper than ${MAX_JSON_DEPTH} levels`,
        ),
      );
      expect(await count('incident_alert')).toBe(0);

      const shallow = await post('/alerts/events-v2', {
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        payload: {
          summary: 's',
          source: 'x',
          severity: 'error',
          custom_details: JSON.parse(nested(10)),
        },
      });
      expect(shallow.status).toBe(202);
    });

    it.each([
      [
        'a NUL in a title',
        '/incidents',
        { title: 'a\u0000b', severity: 'sev1' },
        'body.title: must not contain NUL characters',
      ],
      [
        'a lone surrogate in a title',
        '/incidents',
        { title: 'a\ud800b', severity: 'sev1' },
        'body.title: must not contain lone UTF-16 surrogates',
      ],
      [
        'a lone low surrogate in a dedup key',
        '/incidents',
        { title: 't', severity: 'sev1', dedupKey: '\udc00' },
        'body.dedupKey: must not contain lone UTF-16 surrogates',
      ],
      [
        'a NUL in an alert fingerprint',
        '/alerts',
        [
          {
            source: 's',
            fingerprint: 'f\u0000',
            status: 'firing',
            severity: 'sev2',
            title: 't',
          },
        ],
        'body[0].fingerprint: must not contain NUL characters',
      ],
      [
        'a NUL in a label key',
        '/alerts',
        {
          source: 's',
          fingerprint: 'f',
          status: 'firing',
          severity: 'sev2',
          title: 't',
          labels: { 'a\u0000': 'x' },
        },
        'body.labels: a key must not contain NUL characters',
      ],
    ])('refuses %s', async (_name, path, body, message) => {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
      expect(await count('incident')).toBe(0);
      expect(await count('incident_alert')).toBe(0);
    });

    it('refuses integers beyond 2^53 - 1 instead of rounding them', async () => {
      const opened = await post('/incidents', { title: 't', severity: 'sev2' });
      expect(opened.status).toBe(201);
      const patch = (raw: string) =>
        request(server)
          .patch(`/incidents/${opened.body.ref}`)
          .set('Authorization', GUEST)
          .set('Content-Type', 'application/json')
          .send(raw);
      const big = await patch('{"impact":{"affectedUsers":9007199254740993}}');
      expect(big.status).toBe(400);
      expect(big.body.error.message).toMatch(
        /^body\.impact\.affectedUsers: .* beyond the largest exact integer/,
      );
      const tooMany = await patch('{"impact":{"affectedUsers":2147483648}}');
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toMatch(/affectedUsers/);
      const largest = await patch('{"impact":{"affectedUsers":2147483647}}');
      expect(largest.status).toBe(200);
      expect(largest.body.impact.affectedUsers).toBe(2_147_483_647);
    });

    it('refuses a NUL in a query string', async () => {
      const res = await request(server)
        .get('/incidents?q=a%00b')
        .set('Authorization', GUEST);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'query.q: must not contain NUL characters',
      );
    });
  },
);
