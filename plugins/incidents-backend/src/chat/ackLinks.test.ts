import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { CapturingPager, TestClock } from '../__testUtils__/escalationHarness';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';
import { readChatConfig } from './config';
import { ConfigReader } from '@backstage/config';
import { signAckToken, verifyAckToken } from './ackTokens';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const as = (user: string) => mockCredentials.user.header(user);
const SECRET = 'ack-link-secret-for-tests';

// Acknowledge: only the users paged for the incident (IS_PAGED).
const pagedOnly: TestPolicy = (permission, credentials) => {
  if (permission.name !== 'incidents.incident.acknowledge') {
    return { result: AuthorizeResult.ALLOW };
  }
  const user = (credentials.principal as any).userEntityRef as string;
  return createIncidentConditionalDecision(permission as any, {
    anyOf: [incidentConditions.isPaged({ claims: [user] })],
  });
};

describe('ack tokens', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  const claims = {
    pageId: '3f2a7c1e-0000-4000-8000-000000000001',
    userRef: CAROL,
    expiresAt: new Date('2027-01-01T04:00:00Z'),
  };

  it('verifies a token it signed, and refuses tampered or expired ones', () => {
    const token = signAckToken(SECRET, claims);
    expect(verifyAckToken(SECRET, token, now)).toEqual(claims);
    const [payload, signature] = token.split('.');
    // Someone else's page, with the signature kept.
    const forged = Buffer.from(
      JSON.stringify({ v: 1, p: claims.pageId, u: GUEST, e: 1798761600 }),
    ).toString('base64url');
    expect(() => verifyAckToken(SECRET, `${forged}.${signature}`, now)).toThrow(
      /signature does not match/,
    );
    const flipped = `${payload}.${signature.slice(0, -2)}${
      signature.endsWith('AA') ? 'BB' : 'AA'
    }`;
    expect(() => verifyAckToken(SECRET, flipped, now)).toThrow(
      /signature does not match/,
    );
    expect(() => verifyAckToken('another-secret-here', token, now)).toThrow(
      /signature does not match/,
    );
    expect(() =>
      verifyAckToken(SECRET, token, new Date('2027-01-01T04:00:00Z')),
    ).toThrow(/expired at 2027-01-01T04:00:00.000Z/);
    expect(() => verifyAckToken(SECRET, 'garbage', now)).toThrow(/not valid/);
  });

  it('reads incidents.ackLinks with a 4 hour default lifetime', () => {
    const read = (ackLinks: object) =>
      readChatConfig(new ConfigReader({ incidents: { ackLinks } })).ackLinks;
    expect(read({ secret: SECRET })).toEqual({
      secret: SECRET,
      ttlMs: 4 * 3600_000,
    });
    expect(read({ secret: SECRET, ttl: { minutes: 30 } }).ttlMs).toBe(
      1_800_000,
    );
    expect(() => read({ secret: 'short' })).toThrow(/at least 16/);
  });
});

describe.each(databases.eachSupportedId())(
  'acknowledge links on %p',
  databaseId => {
    let knex: Knex;
    let clock: TestClock;
    let pager: CapturingPager;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      clock = new TestClock('2027-03-27T12:00:00Z');
      pager = new CapturingPager();
    });

    async function pagedIncident() {
      const app = await createTestApp(knex, {
        policy: pagedOnly,
        now: clock.now,
        pagers: [pager],
        appBaseUrl: 'http://portal.test',
        escalation: {
          policies: [
            {
              id: 'carol',
              name: 'Carol',
              severities: ['sev1'],
              services: [],
              repeat: 0,
              steps: [{ targets: [{ user: CAROL }], delayMinutes: 30 }],
            },
          ],
        },
        chat: { ackLinks: { secret: SECRET, ttlMs: 3600_000 } },
      });
      const opened = await request(app.server)
        .post('/incidents')
        .set('Authorization', as(GUEST))
        .send({ title: 'Checkout failing', severity: 'sev1' });
      expect(opened.status).toBe(201);
      await app.escalation.tick();
      expect(pager.sent).toHaveLength(1);
      const url = new URL(pager.sent[0].acknowledgeUrl!);
      expect(url.origin + url.pathname).toBe(
        'http://portal.test/incidents/ack',
      );
      return {
        ...app,
        incident: opened.body as { id: string; ref: string },
        token: url.searchParams.get('token')!,
        page: pager.sent[0],
      };
    }

    const post = (
      app: { server: any },
      path: string,
      user: string,
      token: string,
    ) =>
      request(app.server)
        .post(`/ack-links/${path}`)
        .set('Authorization', as(user))
        .send({ token });

    async function state(app: Awaited<ReturnType<typeof pagedIncident>>) {
      const incident = await request(app.server)
        .get(`/incidents/${app.incident.id}`)
        .set('Authorization', as(GUEST));
      const timeline = await request(app.server)
        .get(`/incidents/${app.incident.id}/timeline`)
        .set('Authorization', as(GUEST));
      const uses = await knex('incident_ack_token_use').count({ n: '*' });
      return {
        status: incident.body.status,
        responder: incident.body.responder,
        entries: timeline.body.items.length,
        uses: Number(uses[0].n),
      };
    }

    it('acknowledges once from the link, as the paged user, with source link', async () => {
      const app = await pagedIncident();
      const inspected = await post(app, 'inspect', CAROL, app.token);
      expect(inspected.status).toBe(200);
      expect(inspected.body).toMatchObject({
        pageId: app.page.pageId,
        recipient: CAROL,
        step: 1,
        canAcknowledge: true,
        incident: {
          id: app.incident.id,
          ref: app.incident.ref,
          status: 'open',
        },
      });
      // Expiry: the page's due time plus the configured hour.
      expect(inspected.body.expiresAt).toBe('2027-03-27T13:00:00.000Z');

      const acked = await post(app, 'acknowledge', CAROL, app.token);
      expect(acked.status).toBe(200);
      expect(acked.body).toMatchObject({
        status: 'investigating',
        responder: CAROL,
        acknowledgedVia: 'link',
      });
      const timeline = await request(app.server)
        .get(`/incidents/${app.incident.id}/timeline`)
        .set('Authorization', as(GUEST));
      expect(timeline.body.items.at(-1)).toMatchObject({
        kind: 'status',
        actor: CAROL,
        data: { from: 'open', to: 'investigating', source: 'link' },
      });
      expect((await state(app)).uses).toBe(1);

      // Replayed: refused, nothing changes.
      const before = await state(app);
      const replay = await post(app, 'acknowledge', CAROL, app.token);
      expect(replay.status).toBe(409);
      expect(replay.body.error.message).toMatch(/already used at/);
      expect(await state(app)).toEqual(before);
      const again = await post(app, 'inspect', CAROL, app.token);
      expect(again.body).toMatchObject({ canAcknowledge: false });
      expect(again.body.reason).toMatch(/already used/);
    });

    it("refuses someone else's, a tampered and an expired link, changing nothing", async () => {
      const app = await pagedIncident();
      const before = await state(app);
      expect(before).toMatchObject({ status: 'open', uses: 0 });

      const other = await post(app, 'acknowledge', GUEST, app.token);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toBe(
        `This acknowledge link was sent to ${CAROL}; you are ${GUEST}. Acknowledge from the incident page instead.`,
      );

      // The same page for guest, signed with another key.
      const forged = signAckToken('not-the-configured-key', {
        pageId: app.page.pageId,
        userRef: GUEST,
        expiresAt: new Date('2027-03-27T13:00:00Z'),
      });
      const tampered = await post(app, 'acknowledge', GUEST, forged);
      expect(tampered.status).toBe(400);
      expect(tampered.body.error.message).toMatch(/^token: .*signature/);

      // A page id that is not a page, correctly signed.
      const noPage = signAckToken(SECRET, {
        pageId: '00000000-0000-4000-8000-000000000000',
        userRef: CAROL,
        expiresAt: new Date('2027-03-27T13:00:00Z'),
      });
      expect((await post(app, 'acknowledge', CAROL, noPage)).status).toBe(400);

      clock.advance({ hours: 1 });
      const expired = await post(app, 'acknowledge', CAROL, app.token);
      expect(expired.status).toBe(400);
      expect(expired.body.error.message).toBe(
        'token: This acknowledge link expired at 2027-03-27T13:00:00.000Z',
      );
      expect(await state(app)).toEqual(before);
    });

    it('lets one of two simultaneous uses win', async () => {
      const app = await pagedIncident();
      const results = await Promise.all(
        [1, 2, 3].map(() => post(app, 'acknowledge', CAROL, app.token)),
      );
      expect(results.map(r => r.status).sort()).toEqual([200, 409, 409]);
      expect(await state(app)).toMatchObject({
        status: 'investigating',
        responder: CAROL,
        uses: 1,
      });
    });

    it('refuses a link of an incident acknowledged meanwhile', async () => {
      const app = await pagedIncident();
      const acked = await request(app.server)
        .post(`/incidents/${app.incident.id}/status`)
        .set('Authorization', as(CAROL))
        .send({ status: 'investigating', source: 'portal' });
      expect(acked.status).toBe(200);
      const late = await post(app, 'acknowledge', CAROL, app.token);
      expect(late.status).toBe(409);
      expect(late.body.error.message).toMatch(
        new RegExp(`${app.incident.ref} was already acknowledged by ${CAROL}`),
      );
      expect((await state(app)).uses).toBe(0);
    });
  },
);
