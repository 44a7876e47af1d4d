import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { incidentsPagerExtensionPoint } from '@vigil/plugin-incidents-node';
import { CapturingPager } from './__testUtils__/escalationHarness';
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
          'incidents.statuspage.publish',
          'incidents.statuspage.maintenance',
        ]),
      );
      expect(res.body.rules.map((r: any) => r.name).sort()).toEqual([
        'IS_COMMANDER',
        'IS_COMMS_OWNER',
        'IS_OWNED_BY',
        'IS_PAGED',
        'IS_RESPONDER',
      ]);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'incidents plugin paging on %p',
  databaseId => {
    it('pages through a pager a module adds at the extension point, from the scheduled timer task', async () => {
      const knex = await databases.init(databaseId);
      const pager = new CapturingPager('module-pager');
      const { server, stop } = await startIncidentsBackend(knex, {
        features: [
          createBackendModule({
            pluginId: 'incidents',
            moduleId: 'test-pager',
            register(reg) {
              reg.registerInit({
                deps: { pagers: incidentsPagerExtensionPoint },
                async init({ pagers }) {
                  pagers.addPager(pager);
                },
              });
            },
          }),
        ],
        config: {
          app: { baseUrl: 'http://portal.example' },
          incidents: {
            escalation: {
              interval: { seconds: 1 },
              policies: [
                {
                  id: 'everyone',
                  steps: [{ targets: [{ user: 'user:default/alice' }] }],
                },
              ],
            },
          },
        },
      });
      try {
        const opened = await request(server)
          .post('/api/incidents/incidents')
          .set(
            'Authorization',
            mockCredentials.user.header('user:default/guest'),
          )
          .send({ title: 'Checkout down', severity: 'sev1' });
        expect(opened.status).toBe(201);
        const deadline = Date.now() + 15_000;
        while (pager.sent.length === 0 && Date.now() < deadline) {
          await new Promise(r => setTimeout(r, 100));
        }
        expect(pager.sent).toEqual([
          expect.objectContaining({
            recipient: 'user:default/alice',
            step: 1,
            incident: expect.objectContaining({
              ref: opened.body.ref,
              url: `http://portal.example/incidents/${opened.body.id}`,
            }),
          }),
        ]);
        pager.take();
      } finally {
        await stop();
      }
    });
  },
);
