/*
 * How many permission calls each request makes. In a real backend every
 * call of the permissions service for a user is a round trip to the
 * permission backend (a minted token, an HTTP request, the policy), the
 * largest part of what a user's read costs; a request decides once.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const GUEST = 'user:default/guest';
const as = mockCredentials.user.header(GUEST);

/**
 * The demo's table, in short: read, open and note for all; acknowledge for
 * the owning team (the guest's); the rest for the responder; cancel denied.
 */
const claims = [GUEST, 'group:default/team-payments'];
const policy: TestPolicy = permission => {
  switch (permission.name) {
    case 'incidents.incident.read':
    case 'incidents.incident.create':
    case 'incidents.incident.note':
      return { result: AuthorizeResult.ALLOW };
    case 'incidents.incident.acknowledge':
      return createIncidentConditionalDecision(permission as any, {
        anyOf: [incidentConditions.isOwnedBy({ claims })],
      });
    case 'incidents.incident.cancel':
      return { result: AuthorizeResult.DENY };
    default:
      return permission.attributes.action === 'read'
        ? { result: AuthorizeResult.ALLOW }
        : createIncidentConditionalDecision(permission as any, {
            anyOf: [incidentConditions.isResponder({ claims })],
          });
  }
};

describe.each(databases.eachSupportedId())(
  'permission calls per request on %p',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const app = await createTestApp(knex, { policy });
      const opened = await request(app.server)
        .post('/incidents')
        .set('Authorization', as)
        .send({
          title: 'Payments slow',
          severity: 'sev2',
          affectedServices: ['payments-api'],
        });
      expect(opened.status).toBe(201);
      return { ...app, ref: opened.body.ref as string };
    }

    it('reads: one call each', async () => {
      const { server, ref, permissionCalls } = await setup();
      const paths = [
        '/incidents',
        '/incidents?entityRef=component:default/payments-api',
        `/incidents/${ref}`,
        `/incidents/${ref}/timeline`,
        `/incidents/${ref}/escalations`,
        `/incidents/${ref}/related-postmortems`,
        '/postmortems',
        '/action-items',
        '/alerts',
      ];
      const counts: Record<string, number> = {};
      for (const path of paths) {
        permissionCalls.length = 0;
        const res = await request(server).get(path).set('Authorization', as);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        counts[path] = permissionCalls.length;
      }
      expect(counts).toEqual(Object.fromEntries(paths.map(p => [p, 1])));
    });

    it("the war room's incident carries its action permissions, from the same call", async () => {
      const { server, ref, permissionCalls } = await setup();
      const plain = await request(server)
        .get(`/incidents/${ref}`)
        .set('Authorization', as);
      expect(plain.body.permissions).toBeUndefined();
      permissionCalls.length = 0;
      const res = await request(server)
        .get(`/incidents/${ref}?permissions=true`)
        .set('Authorization', as);
      expect(res.status).toBe(200);
      // payments-api is the guest's team's; nobody has acknowledged yet.
      expect(res.body.permissions).toEqual({
        acknowledge: true,
        resolve: false,
        cancel: false,
        update: false,
        note: true,
      });
      expect(permissionCalls).toEqual([
        {
          method: 'authorizeConditional',
          permissions: [
            'incidents.incident.read',
            'incidents.incident.acknowledge',
            'incidents.incident.resolve',
            'incidents.incident.cancel',
            'incidents.incident.update',
            'incidents.incident.note',
          ],
        },
      ]);
    });

    it('related postmortems: one read decision for the incident and the list', async () => {
      const { server, ref, permissionCalls } = await setup();
      permissionCalls.length = 0;
      const res = await request(server)
        .get(`/incidents/${ref}/related-postmortems`)
        .set('Authorization', as);
      expect(res.status).toBe(200);
      expect(permissionCalls).toEqual([
        {
          method: 'authorizeConditional',
          permissions: ['incidents.incident.read'],
        },
      ]);
      const denied = await createTestApp(await databases.init(databaseId), {
        policy: () => ({ result: AuthorizeResult.DENY }),
      });
      // A caller who may read no incident is refused outright.
      const refused = await request(denied.server)
        .get(`/incidents/${ref}/related-postmortems`)
        .set('Authorization', as);
      expect(refused.status).toBe(403);
    });
  },
);
