import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');

describe.each(databases.eachSupportedId())(
  'edit timeline entries on %p',
  databaseId => {
    it('records only the fields that changed, each with its old and new value', async () => {
      const knex = await databases.init(databaseId);
      const { server } = await createTestApp(knex);
      const opened = await request(server)
        .post('/incidents')
        .set('Authorization', GUEST)
        .send({
          title: 'Checkout returns 500',
          severity: 'sev3',
          affectedServices: ['payments-api'],
          environments: ['production'],
        });
      expect(opened.status).toBe(201);
      const { ref } = opened.body;
      const edit = async (body: object) => {
        const res = await request(server)
          .patch(`/incidents/${ref}`)
          .set('Authorization', GUEST)
          .send(body);
        expect(res.status).toBe(200);
        const timeline = await request(server)
          .get(`/incidents/${ref}/timeline`)
          .set('Authorization', GUEST);
        const entry = timeline.body.items.pop();
        expect(entry.kind).toBe('edit');
        return { message: entry.message, data: entry.data };
      };

      // Everything given, two fields new: only those two are listed.
      expect(
        await edit({
          title: 'Checkout returns 500',
          severity: 'sev3',
          affectedServices: ['component:default/payments-api'],
          environments: ['production'],
          description: 'EU only',
          impact: { affectedUsers: 1200 },
        }),
      ).toEqual({
        message: 'Changed description, affected users',
        data: {
          fields: ['description', 'impact.affectedUsers'],
          changes: {
            description: { from: null, to: 'EU only' },
            'impact.affectedUsers': { from: null, to: 1200 },
          },
        },
      });

      expect(
        await edit({
          title: 'Checkout down',
          severity: 'P1',
          affectedServices: ['edge-gateway', 'payments-api'],
          roles: { responders: ['carol'] },
          impact: { affectedUsers: 1200 },
        }),
      ).toEqual({
        message:
          'Changed severity sev3 → sev1, title, affected services, responders',
        data: {
          fields: ['severity', 'title', 'affectedServices', 'roles.responders'],
          changes: {
            severity: { from: 'sev3', to: 'sev1' },
            title: { from: 'Checkout returns 500', to: 'Checkout down' },
            affectedServices: {
              from: ['component:default/payments-api'],
              to: [
                'component:default/edge-gateway',
                'component:default/payments-api',
              ],
            },
            'roles.responders': { from: [], to: ['user:default/carol'] },
          },
        },
      });

      expect(
        await edit({
          title: 'Checkout down',
          roles: { responders: ['carol'] },
        }),
      ).toEqual({
        message: 'Saved without changes',
        data: { fields: [], changes: {} },
      });
    });
  },
);
