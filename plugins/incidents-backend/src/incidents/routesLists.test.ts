import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { createTestApp } from '../__testUtils__/createTestApp';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const GUEST = 'user:default/guest';
const CAROL = 'user:default/carol';
const ALICE = 'user:default/alice';
const as = (user: string) => mockCredentials.user.header(user);

/**
 * The design's permission table: view and open for members; acknowledge for
 * the owning team (who is on call) or admins; mitigate/resolve for the
 * responder or admins; cancel for admins only.
 */
const GROUPS: Record<string, string[]> = {
  [GUEST]: ['group:default/team-payments'],
  [CAROL]: ['group:default/team-payments'],
  [ALICE]: ['group:default/sre'],
};
const designPolicy: TestPolicy = (permission, credentials) => {
  const user = (credentials.principal as any).userEntityRef as string;
  const claims = [user, ...(GROUPS[user] ?? [])];
  const admin = claims.includes('group:default/sre');
  if (admin || permission.attributes.action === 'read') {
    return { result: AuthorizeResult.ALLOW };
  }
  const conditional = (conditions: any): PolicyDecision =>
    createIncidentConditionalDecision(permission as any, conditions);
  switch (permission.name) {
    case 'incidents.incident.create':
    case 'incidents.incident.note':
      return { result: AuthorizeResult.ALLOW };
    case 'incidents.incident.acknowledge':
      return conditional({
        anyOf: [
          incidentConditions.isOwnedBy({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    case 'incidents.incident.resolve':
    case 'incidents.incident.update':
      return conditional({
        anyOf: [
          incidentConditions.isResponder({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    default:
      return { result: AuthorizeResult.DENY };
  }
};

describe.each(databases.eachSupportedId())(
  'incidents API on %p',
  databaseId => {
    async function setup(policy?: TestPolicy) {
      const knex = await databases.init(databaseId);
      const app = await createTestApp(knex, { policy });
      return { ...app, knex };
    }

    async function open(server: any, body: object, user = GUEST) {
      return request(server)
        .post('/incidents')
        .set('Authorization', as(user))
        .send(body);
    }

    it('lists with filters, search, sort and cursor pagination', async () => {
      const { server } = await setup();
      const specs = [
        {
          title: 'Payments slow',
          severity: 'sev2',
          affectedServices: ['payments-api'],
        },
        {
          title: 'Edge TLS errors',
          severity: 'sev1',
          affectedServices: ['edge-gateway'],
        },
        {
          title: 'Checkout blank page',
          severity: 'sev3',
          affectedServices: ['checkout-web'],
          description: 'CDN purge',
        },
        { title: 'Ledger lag', severity: 'sev4', commander: CAROL },
        {
          title: 'Payments double charge',
          severity: 'sev1',
          affectedServices: ['payments-api'],
        },
      ];
      for (const body of specs) {
        expect((await open(server, body)).status).toBe(201);
      }
      const list = async (query: string) => {
        const res = await request(server)
          .get(`/incidents${query}`)
          .set('Authorization', as(GUEST));
        expect({ query, status: res.status, error: res.body.error }).toEqual({
          query,
          status: 200,
          error: undefined,
        });
        return res.body;
      };

      const all = await list('');
      expect(all.totalCount).toBe(5);
      expect(all.items.map((i: any) => i.ref)).toEqual([
        'INC-5',
        'INC-4',
        'INC-3',
        'INC-2',
        'INC-1',
      ]);

      expect(
        (await list('?severity=sev1&severity=sev2')).items.map(
          (i: any) => i.ref,
        ),
      ).toEqual(['INC-5', 'INC-2', 'INC-1']);
      const byEntity = await list('?entityRef=component:default/payments-api');
      expect(byEntity.items.map((i: any) => i.ref)).toEqual(['INC-5', 'INC-1']);
      expect(byEntity.totalCount).toBe(2);
      expect(
        (await list('?owner=group:default/sre')).items.map((i: any) => i.ref),
      ).toEqual(['INC-2']);
      expect((await list('?q=PAYMENTS')).items.map((i: any) => i.ref)).toEqual([
        'INC-5',
        'INC-1',
      ]);
      expect((await list('?q=cdn')).items.map((i: any) => i.ref)).toEqual([
        'INC-3',
      ]);
      expect((await list('?q=INC-4')).items.map((i: any) => i.ref)).toEqual([
        'INC-4',
      ]);
      expect((await list('?q=100%25')).items).toEqual([]);
      expect((await list('?status=investigating')).totalCount).toBe(0);

      const bySeverity = await list('?sort=severity&order=asc');
      expect(bySeverity.items.map((i: any) => i.severity)).toEqual([
        'sev1',
        'sev1',
        'sev2',
        'sev3',
        'sev4',
      ]);
      // One severity's incidents oldest first (newest first descending).
      expect(bySeverity.items.map((i: any) => i.ref)).toEqual([
        'INC-2',
        'INC-5',
        'INC-1',
        'INC-3',
        'INC-4',
      ]);
      expect(
        (await list('?sort=severity&order=desc')).items.map((i: any) => i.ref),
      ).toEqual(['INC-4', 'INC-3', 'INC-1', 'INC-5', 'INC-2']);
      expect(
        (await list(`?participant=${CAROL}`)).items.map((i: any) => i.ref),
      ).toEqual(['INC-4']);
      expect((await list(`?participant=${ALICE}`)).totalCount).toBe(0);

      const entityPages: string[] = [];
      let entityCursor: string | undefined;
      do {
        const page = await list(
          `?entityRef=component:default/payments-api&limit=1${
            entityCursor ? `&cursor=${entityCursor}` : ''
          }`,
        );
        expect(page.totalCount).toBe(2);
        entityPages.push(...page.items.map((i: any) => i.ref));
        entityCursor = page.nextCursor;
      } while (entityCursor);
      expect(entityPages).toEqual(['INC-5', 'INC-1']);

      for (const sort of ['openedAt', 'severity', 'title']) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await list(
            `?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          );
          expect(page.items.length).toBeLessThanOrEqual(2);
          expect(page.totalCount).toBe(5);
          seen.push(...page.items.map((i: any) => i.ref));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.sort()).toEqual([
          'INC-1',
          'INC-2',
          'INC-3',
          'INC-4',
          'INC-5',
        ]);
      }
    });

    it('keeps notes, status updates, evidence, action items and merges on the timeline', async () => {
      const { server } = await setup();
      const parent = (await open(server, { title: 'Parent', severity: 'sev1' }))
        .body;
      const child = (await open(server, { title: 'Dup', severity: 'sev2' }))
        .body;
      const post = (path: string, body: object) =>
        request(server).post(path).set('Authorization', as(GUEST)).send(body);

      const note = await post(`/incidents/${parent.id}/timeline`, {
        message: 'Rolled back to v41',
        links: [{ url: 'https://grafana.example/d/1', title: 'Dashboard' }],
      });
      expect(note.status).toBe(201);
      expect(note.body).toMatchObject({
        kind: 'note',
        actor: GUEST,
        links: [{ title: 'Dashboard' }],
      });

      expect(
        (
          await post(`/incidents/${parent.id}/status-updates`, {
            message: 'We are investigating',
            visibility: 'external',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await post(`/incidents/${parent.id}/evidence`, {
            url: 'https://logs.example/q/1',
          })
        ).status,
      ).toBe(201);
      const item = await post(`/incidents/${parent.id}/action-items`, {
        title: 'Add a canary',
        owner: 'carol',
        dueDate: '2026-12-01',
      });
      expect(item.status).toBe(201);
      expect(item.body).toMatchObject({ owner: CAROL, done: false });
      const done = await request(server)
        .patch(`/incidents/${parent.id}/action-items/${item.body.id}`)
        .set('Authorization', as(GUEST))
        .send({ done: true });
      expect(done.body.done).toBe(true);

      const merged = await post(`/incidents/${child.id}/merge`, {
        into: 'INC-1',
      });
      expect(merged.status).toBe(200);
      expect(merged.body.parentId).toBe(parent.id);
      expect(
        (await post(`/incidents/${parent.id}/merge`, { into: child.id }))
          .status,
      ).toBe(409);

      const detail = await request(server)
        .get(`/incidents/${parent.id}`)
        .set('Authorization', as(GUEST));
      expect(detail.body).toMatchObject({
        childCount: 1,
        children: [{ ref: 'INC-2', title: 'Dup' }],
        statusUpdates: [
          { visibility: 'external', message: 'We are investigating' },
        ],
        evidence: [{ url: 'https://logs.example/q/1' }],
        actionItems: [{ title: 'Add a canary', done: true }],
      });
      const kinds = (
        await request(server)
          .get(`/incidents/${parent.id}/timeline`)
          .set('Authorization', as(GUEST))
      ).body.items.map((e: any) => e.kind);
      expect(kinds).toEqual([
        'opened',
        'note',
        'status-update',
        'link',
        'action-item',
        'action-item',
        'child',
      ]);
    });

    it('edits fields and roles, validating users against the catalog', async () => {
      const { server } = await setup();
      const { id } = (
        await open(server, {
          title: 'A',
          severity: 'sev3',
          affectedServices: ['payments-api'],
        })
      ).body;
      const patch = (body: object) =>
        request(server)
          .patch(`/incidents/${id}`)
          .set('Authorization', as(GUEST))
          .send(body);
      const res = await patch({
        severity: 'critical',
        affectedServices: ['edge-gateway'],
        roles: { commander: 'alice', responders: ['carol', 'guest'] },
        impact: { affectedUsers: 1200, businessImpact: 'No checkouts' },
        rootCause: { hypothesis: 'Bad TLS cert' },
        identified: true,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        severity: 'sev1',
        affectedServices: ['component:default/edge-gateway'],
        ownerGroups: ['group:default/sre'],
        roles: { commander: ALICE, responders: [CAROL, GUEST] },
        impact: { affectedUsers: 1200 },
        rootCause: { hypothesis: 'Bad TLS cert' },
      });
      expect(res.body.identifiedAt).toBeDefined();
      const bad = await patch({
        roles: { responders: ['user:default/nobody'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'Unknown catalog entity: user:default/nobody',
      );
      expect((await patch({})).status).toBe(400);
    });

    describe('with the design permission table', () => {
      it('lets the owning team acknowledge, the responder resolve, and only admins cancel', async () => {
        const { server } = await setup(designPolicy);
        const payments = (
          await open(server, {
            title: 'P',
            severity: 'sev2',
            affectedServices: ['payments-api'],
          })
        ).body;
        const edge = (
          await open(server, {
            title: 'E',
            severity: 'sev2',
            affectedServices: ['edge-gateway'],
          })
        ).body;
        const move = (id: string, status: string, user: string) =>
          request(server)
            .post(`/incidents/${id}/status`)
            .set('Authorization', as(user))
            .send({ status });

        // guest's team does not own edge-gateway
        const denied = await move(edge.id, 'investigating', GUEST);
        expect(denied.status).toBe(403);
        expect(denied.body.error.message).toMatch(
          /incidents\.incident\.acknowledge/,
        );
        expect((await move(payments.id, 'cancelled', GUEST)).status).toBe(403);

        expect((await move(payments.id, 'investigating', GUEST)).status).toBe(
          200,
        );
        // carol is on the team but not the responder
        expect((await move(payments.id, 'resolved', CAROL)).status).toBe(403);
        expect((await move(payments.id, 'resolved', GUEST)).status).toBe(200);

        // alice is an admin
        expect((await move(edge.id, 'cancelled', ALICE)).status).toBe(200);
      });

      it('filters the list with a conditional read decision', async () => {
        const readOwnTeam: TestPolicy = (permission, credentials) => {
          const user = (credentials.principal as any).userEntityRef as string;
          if (permission.name === 'incidents.incident.read') {
            return createIncidentConditionalDecision(permission as any, {
              anyOf: [
                incidentConditions.isOwnedBy({ claims: GROUPS[user] ?? [] }),
              ],
            });
          }
          return { result: AuthorizeResult.ALLOW };
        };
        const { server } = await setup(readOwnTeam);
        await open(server, {
          title: 'P',
          severity: 'sev2',
          affectedServices: ['payments-api'],
        });
        await open(server, {
          title: 'E',
          severity: 'sev2',
          affectedServices: ['edge-gateway'],
        });
        const guestList = await request(server)
          .get('/incidents')
          .set('Authorization', as(GUEST));
        expect(guestList.body.items.map((i: any) => i.title)).toEqual(['P']);
        expect(guestList.body.totalCount).toBe(1);
        const aliceList = await request(server)
          .get('/incidents')
          .set('Authorization', as(ALICE));
        expect(aliceList.body.items.map((i: any) => i.title)).toEqual(['E']);
        expect(
          (
            await request(server)
              .get('/incidents/INC-1')
              .set('Authorization', as(ALICE))
          ).status,
        ).toBe(404);
      });
    });
  },
);
