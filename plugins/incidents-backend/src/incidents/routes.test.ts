import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { createTestApp } from '../__testUtils__/createTestApp';
import {
  testEntities,
  TestPolicy,
} from '../__testUtils__/startIncidentsBackend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const GUEST = 'user:default/guest';
const CAROL = 'user:default/carol';
const as = (user: string) => mockCredentials.user.header(user);

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

    it('opens an incident with timeline, audit, event and signal', async () => {
      const { server, events, signals, knex } = await setup();
      const res = await open(server, {
        title: 'Checkout returns 500',
        severity: 'P1',
        affectedServices: ['component:default/payments-api', 'checkout-web'],
        environments: ['production'],
        commander: 'user:default/carol',
        change: { url: 'https://ci.example/deploys/42', source: 'ci' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        ref: 'INC-1',
        title: 'Checkout returns 500',
        severity: 'sev1',
        status: 'open',
        affectedServices: [
          'component:default/checkout-web',
          'component:default/payments-api',
        ],
        ownerGroups: ['group:default/team-payments'],
        environments: ['production'],
        commander: CAROL,
        openedBy: GUEST,
        change: { url: 'https://ci.example/deploys/42', source: 'ci' },
      });

      const timeline = await request(server)
        .get('/incidents/INC-1/timeline')
        .set('Authorization', as(GUEST));
      expect(timeline.status).toBe(200);
      expect(timeline.body.items).toEqual([
        expect.objectContaining({ kind: 'opened', actor: GUEST }),
      ]);
      expect(await knex('incident_audit').select('action', 'actor')).toEqual([
        { action: 'opened', actor: GUEST },
      ]);
      expect(events).toEqual([
        expect.objectContaining({
          topic: 'incidents',
          eventPayload: expect.objectContaining({ type: 'incident.opened' }),
        }),
      ]);
      expect(signals).toEqual([
        {
          channel: 'incidents',
          message: expect.objectContaining({
            type: 'incident.opened',
            ref: 'INC-1',
          }),
        },
      ]);
    });

    it('records service callers as system actors and looks up the catalog as itself', async () => {
      const knex = await databases.init(databaseId);
      const catalog = catalogServiceMock({ entities: testEntities });
      const lookups: string[] = [];
      const original = catalog.getEntitiesByRefs.bind(catalog);
      catalog.getEntitiesByRefs = async (req, opts) => {
        lookups.push((opts as any).credentials.principal.subject);
        return original(req, opts);
      };
      const { server } = await createTestApp(knex, { catalog });
      const res = await request(server)
        .post('/incidents')
        .set('Authorization', mockCredentials.service.header())
        .send({
          title: 'From CI',
          severity: 'sev2',
          affectedServices: ['payments-api'],
        });
      expect(res.status).toBe(201);
      expect(res.body.openedBy).toBe('system:test-service');
      // an external caller's token may be restricted to this plugin, so the
      // lookup must not be made with it
      expect(lookups).toEqual(['plugin:test']);
    });

    it.each([
      [
        { title: 'x', severity: 'sev9' },
        /severity must be equal to one of the allowed values: sev1, SEV1, Sev1/,
      ],
      [{ severity: 'sev1' }, /title/],
      [{ title: 'x'.repeat(301), severity: 'sev1' }, /title/],
      [{ title: '', severity: 'sev1' }, /title/],
      [{ title: 'x', severity: 'sev1', extra: 1 }, /extra|additional/i],
      [
        {
          title: 'x',
          severity: 'sev1',
          affectedServices: ['component:default/nope'],
        },
        /Unknown catalog entity: component:default\/nope/,
      ],
      [
        { title: 'x', severity: 'sev1', commander: 'group:default/sre' },
        /commander: 'group:default\/sre' is not a valid user entity reference/,
      ],
    ])(
      'rejects bad input %p with a 400 and writes nothing',
      async (body, message) => {
        const { server, knex } = await setup();
        const res = await open(server, body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
        expect(await knex('incident').count({ n: '*' })).toEqual([
          { n: expect.anything() },
        ]);
        const [{ n }] = await knex('incident').count({ n: '*' });
        expect(Number(n)).toBe(0);
        expect(
          Number((await knex('incident_timeline').count({ n: '*' }))[0].n),
        ).toBe(0);
      },
    );

    it('rejects malformed JSON and unknown sort fields with a 400', async () => {
      const { server } = await setup();
      const malformed = await request(server)
        .post('/incidents')
        .set('Authorization', as(GUEST))
        .set('Content-Type', 'application/json')
        .send('{"title": "x", ');
      expect(malformed.status).toBe(400);

      const sort = await request(server)
        .get('/incidents?sort=password')
        .set('Authorization', as(GUEST));
      expect(sort.status).toBe(400);
      expect(sort.body.error.message).toMatch(/sort/);

      const cursor = await request(server)
        .get('/incidents?cursor=garbage')
        .set('Authorization', as(GUEST));
      expect(cursor.status).toBe(400);
      expect(cursor.body.error.message).toMatch(/Invalid cursor/);
    });

    it('returns the unresolved incident for a repeated dedupKey, even concurrently', async () => {
      const { server, knex } = await setup();
      const body = {
        title: 'Deploy failed',
        severity: 'sev2',
        dedupKey: 'deploy-7',
      };
      const results = await Promise.all(
        Array.from({ length: 10 }, () => open(server, body)),
      );
      const ids = new Set(results.map(r => r.body.id));
      expect(ids.size).toBe(1);
      expect(results.filter(r => r.status === 201)).toHaveLength(1);
      expect(results.filter(r => r.status === 200)).toHaveLength(9);

      // Once resolved, the key opens a new incident.
      const [first] = results;
      await request(server)
        .post(`/incidents/${first.body.id}/status`)
        .set('Authorization', as(GUEST))
        .send({ status: 'resolved' });
      const again = await open(server, body);
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(first.body.id);
      const [{ n }] = await knex('incident').count({ n: '*' });
      expect(Number(n)).toBe(2);
    });

    it('finds incidents by id and by INC reference, and 404s others', async () => {
      const { server } = await setup();
      const created = (await open(server, { title: 'A', severity: 'sev3' }))
        .body;
      for (const key of [created.id, 'INC-1', 'inc-1']) {
        const res = await request(server)
          .get(`/incidents/${key}`)
          .set('Authorization', as(GUEST));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          id: created.id,
          actionItems: [],
          statusUpdates: [],
          evidence: [],
          children: [],
        });
      }
      for (const key of ['INC-99', 'not-an-id']) {
        const res = await request(server)
          .get(`/incidents/${key}`)
          .set('Authorization', as(GUEST));
        expect(res.status).toBe(404);
      }
    });

    it('moves through the lifecycle and names allowed moves on an illegal one', async () => {
      const { server } = await setup();
      const { id } = (await open(server, { title: 'A', severity: 'sev2' }))
        .body;
      const move = (status: string, user = GUEST) =>
        request(server)
          .post(`/incidents/${id}/status`)
          .set('Authorization', as(user))
          .send({ status, message: `to ${status}` });

      const ack = await move('investigating');
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({
        status: 'investigating',
        responder: GUEST,
      });
      expect(ack.body.acknowledgedAt).toBeDefined();

      const back = await move('open');
      expect(back.status).toBe(409);
      expect(back.body.error.message).toBe(
        "Cannot move an incident from 'investigating' to 'open'; allowed moves from 'investigating': mitigated, resolved",
      );

      expect((await move('mitigated')).body.mitigatedAt).toBeDefined();
      expect((await move('resolved')).body.status).toBe('resolved');
      const cancel = await move('cancelled');
      expect(cancel.status).toBe(409);
      expect(cancel.body.error.message).toMatch(
        /allowed moves from 'resolved': postmortem/,
      );

      const timeline = await request(server)
        .get(`/incidents/${id}/timeline`)
        .set('Authorization', as(GUEST));
      expect(timeline.body.items.map((e: any) => e.message)).toEqual([
        'Opened as sev2: A',
        'Acknowledged: to investigating',
        'Mitigated: to mitigated',
        'Resolved: to resolved',
      ]);
    });

    it('records where the acknowledgement came from, on the incident and its timeline entry', async () => {
      const { server } = await setup();
      const ack = async (source?: string) => {
        const { id } = (await open(server, { title: 'S', severity: 'sev2' }))
          .body;
        const moved = await request(server)
          .post(`/incidents/${id}/status`)
          .set('Authorization', as(GUEST))
          .send(
            source
              ? { status: 'investigating', source }
              : { status: 'investigating' },
          );
        const timeline = await request(server)
          .get(`/incidents/${id}/timeline`)
          .set('Authorization', as(GUEST));
        return { id, moved, timeline: timeline.body.items };
      };
      const fromHome = await ack('home-widget');
      expect(fromHome.moved.status).toBe(200);
      expect(fromHome.moved.body).toMatchObject({
        responder: GUEST,
        acknowledgedVia: 'home-widget',
      });
      expect(fromHome.timeline[1]).toMatchObject({
        kind: 'status',
        data: { from: 'open', to: 'investigating', source: 'home-widget' },
      });
      const detail = await request(server)
        .get(`/incidents/${fromHome.id}`)
        .set('Authorization', as(GUEST));
      expect(detail.body.acknowledgedVia).toBe('home-widget');

      // A service call that names no source is an API acknowledgement.
      expect((await ack()).moved.body.acknowledgedVia).toBe('api');

      const bad = await ack('pager');
      expect(bad.moved.status).toBe(400);
      expect(JSON.stringify(bad.moved.body)).toMatch(/source/);
    });

    it('records no source on moves that do not acknowledge', async () => {
      const { server } = await setup();
      const { id } = (await open(server, { title: 'T', severity: 'sev3' }))
        .body;
      const move = (status: string, source: string) =>
        request(server)
          .post(`/incidents/${id}/status`)
          .set('Authorization', as(GUEST))
          .send({ status, source });
      await move('investigating', 'portal');
      const mitigated = await move('mitigated', 'slack');
      expect(mitigated.body.acknowledgedVia).toBe('portal');
      const timeline = await request(server)
        .get(`/incidents/${id}/timeline`)
        .set('Authorization', as(GUEST));
      expect(timeline.body.items[2].data).toEqual({
        from: 'investigating',
        to: 'mitigated',
      });
    });

    it('lets exactly one of 50 concurrent acknowledgements win', async () => {
      const { server, knex } = await setup();
      const { id } = (await open(server, { title: 'Race', severity: 'sev1' }))
        .body;
      const users = Array.from({ length: 50 }, (_, i) =>
        i % 2 ? GUEST : CAROL,
      );
      const results = await Promise.all(
        users.map(user =>
          request(server)
            .post(`/incidents/${id}/status`)
            .set('Authorization', as(user))
            .send({ status: 'investigating' }),
        ),
      );
      const ok = results.filter(r => r.status === 200);
      const conflicts = results.filter(r => r.status === 409);
      expect(ok).toHaveLength(1);
      expect(conflicts).toHaveLength(49);
      for (const c of conflicts) {
        expect(c.body.error.message).toMatch(
          /INC-1 was moved to 'investigating' by someone else|from 'investigating' to 'investigating'/,
        );
      }
      const row = await knex('incident').where({ id }).first();
      expect(row.responder).toBe(ok[0].body.responder);
      const acks = await knex('incident_timeline').where({
        incident_id: id,
        kind: 'status',
      });
      expect(acks).toHaveLength(1);
    });
  },
);
