import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  createTestDatabases,
  newestMigration,
} from './__testUtils__/databases';
import { startIncidentsBackend } from './__testUtils__/startIncidentsBackend';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'incidents plugin on %p',
  databaseId => {
    it('serves an unauthenticated /health after migrating', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startIncidentsBackend(knex);

      const res = await request(server).get('/api/incidents/health');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        database: databaseId === 'SQLITE_3' ? 'better-sqlite3' : 'pg',
        migration: newestMigration(),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(await knex.schema.hasTable('incident')).toBe(true);
    });

    it('requires authentication everywhere else', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startIncidentsBackend(knex);

      const anonymous = await request(server)
        .get('/api/incidents/incidents')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);

      const open = await request(server)
        .post('/api/incidents/incidents')
        .set('Authorization', mockCredentials.user.header('user:default/guest'))
        .send({
          title: 'Payments down',
          severity: 'sev1',
          affectedServices: ['component:default/payments-api'],
        });
      expect(open.status).toBe(201);
      expect(open.body.ownerGroups).toEqual(['group:default/team-payments']);
    });

    it('registers its permissions, resource type and rules', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await startIncidentsBackend(knex);

      const res = await request(server)
        .get('/api/incidents/.well-known/backstage/permissions/metadata')
        .set('Authorization', mockCredentials.service.header());

      expect(res.status).toBe(200);
      expect(res.body.permissions.map((p: any) => p.name)).toEqual(
        expect.arrayContaining([
          'incidents.incident.read',
          'incidents.incident.acknowledge',
          'incidents.incident.cancel',
        ]),
      );
      expect(res.body.rules.map((r: any) => r.name).sort()).toEqual([
        'IS_COMMANDER',
        'IS_OWNED_BY',
        'IS_RESPONDER',
      ]);
    });
  },
);
