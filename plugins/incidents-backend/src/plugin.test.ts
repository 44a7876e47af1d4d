import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from './__testUtils__/databases';
import { incidentsPlugin } from './plugin';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'incidents plugin on %p',
  databaseId => {
    it('serves an unauthenticated /health after migrating', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [incidentsPlugin, mockServices.database.factory({ knex })],
      });

      const res = await request(server).get('/api/incidents/health');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        database: databaseId === 'SQLITE_3' ? 'better-sqlite3' : 'pg',
        migration: '20261122000000_init.js',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(await knex.schema.hasTable('incident')).toBe(true);
    });

    it('rejects unknown routes with Backstage error bodies', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [incidentsPlugin, mockServices.database.factory({ knex })],
      });

      const res = await request(server)
        .get('/api/incidents/no-such-route')
        .set('Authorization', 'Bearer mock-user-token');

      expect(res.status).toBe(404);
    });
  },
);
