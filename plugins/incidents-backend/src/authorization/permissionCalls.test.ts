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

/** The demo's table, in short: read for all, the rest conditional. */
const policy: TestPolicy = permission => {
  if (
    permission.attributes.action === 'read' ||
    permission.name === 'incidents.incident.create'
  ) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (permission.name.startsWith('incidents.incident.')) {
    return createIncidentConditionalDecision(permission as any, {
      anyOf: [
        incidentConditions.isOwnedBy({ claims: [GUEST] }),
        incidentConditions.isResponder({ claims: [GUEST] }),
      ],
    });
  }
  return { result: AuthorizeResult.DENY };
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
  },
);
