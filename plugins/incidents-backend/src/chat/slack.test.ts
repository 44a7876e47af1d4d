import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Knex } from 'knex';
import request from 'supertest';
import { ChatReceiver } from '../__testUtils__/chatReceiver';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestClock } from '../__testUtils__/escalationHarness';
import { testEntities } from '../__testUtils__/startIncidentsBackend';
import { readChatConfig } from './config';
import { slackMessageSchema } from './schemas';
import { checkSlackSignature, slackSignature } from './slackSignature';

jest.setTimeout(120_000);

// Slack's documented example ("Verifying requests from Slack").
const EXAMPLE = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  rawBody:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature:
    'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const at = (seconds: number) => new Date(seconds * 1000);

describe('Slack request signatures', () => {
  const check = (overrides: Partial<typeof EXAMPLE> & { now?: Date }) =>
    checkSlackSignature({
      ...EXAMPLE,
      now: at(1531420618 + 10),
      ...overrides,
    });

  it("computes Slack's documented example", () => {
    expect(
      slackSignature(EXAMPLE.signingSecret, EXAMPLE.timestamp, EXAMPLE.rawBody),
    ).toBe(EXAMPLE.signature);
    expect(check({})).toBeUndefined();
  });

  it('refuses a tampered body, signature or secret', () => {
    expect(
      check({ rawBody: EXAMPLE.rawBody.replace('foobar', 'foobaz') }),
    ).toBe('mismatch');
    expect(check({ signature: `${EXAMPLE.signature.slice(0, -1)}4` })).toBe(
      'mismatch',
    );
    expect(check({ signature: 'v0=short' })).toBe('mismatch');
    expect(check({ signingSecret: 'another-secret' })).toBe('mismatch');
    // The timestamp is signed too: moving it breaks the signature.
    expect(check({ timestamp: '1531420619' })).toBe('mismatch');
  });

  it('refuses a replay outside the 5 minute window, either way', () => {
    expect(check({ now: at(1531420618 + 300) })).toBeUndefined();
    expect(check({ now: at(1531420618 + 301) })).toBe('stale');
    expect(check({ now: at(1531420618 - 301) })).toBe('stale');
  });

  it('refuses a request without the headers', () => {
    expect(check({ signature: undefined as any })).toBe('missing');
    expect(check({ timestamp: undefined as any })).toBe('missing');
    expect(check({ timestamp: 'yesterday' })).toBe('missing');
  });
});

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const SIGNING_SECRET = 'slack-signing-secret-for-tests';

// carol is linked by annotation, alice by the e-mail Slack may send.
const entities: Entity[] = testEntities.map(e => {
  if (e.kind !== 'User') return e;
  if (e.metadata.name === 'carol') {
    return {
      ...e,
      metadata: {
        ...e.metadata,
        annotations: { 'slack.com/user-id': 'U0CAROL' },
      },
    };
  }
  if (e.metadata.name === 'alice') {
    return {
      ...e,
      spec: { ...e.spec, profile: { email: 'alice@example.com' } },
    };
  }
  return e;
});

describe.each(databases.eachSupportedId())(
  'page → Slack button → acknowledged on %p',
  databaseId => {
    let knex: Knex;
    let clock: TestClock;
    const receiver = new ChatReceiver();

    beforeAll(() => receiver.start());
    afterAll(() => receiver.stop());

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      // The real time: Slack's window is checked against the clock.
      clock = new TestClock(new Date().toISOString());
      receiver.clear();
    });

    async function setup(signingSecret: string | null = SIGNING_SECRET) {
      const chat = readChatConfig(
        new ConfigReader({
          incidents: {
            chat: {
              ...(signingSecret ? { slack: { signingSecret } } : {}),
              channels: [
                {
                  id: 'incidents',
                  type: 'slack',
                  webhookUrl: `${receiver.url}/slack/incidents`,
                  events: ['page'],
                },
              ],
            },
            ackLinks: { secret: 'ack-links-secret-for-tests' },
          },
        }),
      );
      const app = await createTestApp(knex, {
        now: clock.now,
        catalog: catalogServiceMock({ entities }),
        chat,
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
      });
      const opened = await request(app.server)
        .post('/incidents')
        .set('Authorization', mockCredentials.user.header(GUEST))
        .send({ title: 'Checkout failing', severity: 'sev1' });
      await app.escalation.tick();
      const [post] = receiver.to('/slack/incidents');
      expect(slackMessageSchema.safeParse(post).error).toBeUndefined();
      const button = post.blocks
        .find((b: any) => b.type === 'actions')
        .elements.find((e: any) => e.action_id === 'vigil_acknowledge');
      return { ...app, incident: opened.body, post, token: button?.value };
    }

    /** Posts Slack's block_actions request, signed as Slack signs it. */
    function click(
      app: { app: any },
      token: string,
      user: Record<string, unknown>,
      options: { secret?: string; timestamp?: number } = {},
    ) {
      const payload = {
        type: 'block_actions',
        user,
        team: { id: 'T0TEAM' },
        response_url: `${receiver.url}/slack/response`,
        actions: [
          {
            type: 'button',
            action_id: 'vigil_acknowledge',
            block_id: 'b1',
            value: token,
            action_ts: '1700000000.000100',
          },
        ],
      };
      const body = new URLSearchParams({
        payload: JSON.stringify(payload),
      }).toString();
      const timestamp = String(
        options.timestamp ?? Math.floor(clock.now().getTime() / 1000),
      );
      // The express app itself: the spec-checking wrapper takes JSON only.
      return request(app.app)
        .post('/chat/slack/interactions')
        .set('content-type', 'application/x-www-form-urlencoded')
        .set('x-slack-request-timestamp', timestamp)
        .set(
          'x-slack-signature',
          slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
        )
        .send(body);
    }

    async function incidentOf(app: any) {
      const res = await request(app.server)
        .get(`/incidents/${app.incident.id}`)
        .set('Authorization', mockCredentials.user.header(GUEST));
      return res.body;
    }

    it('acknowledges as the mapped catalog user with source slack', async () => {
      const app = await setup();
      expect(app.token).toEqual(expect.any(String));
      const res = await click(app, app.token, {
        id: 'U0CAROL',
        username: 'carol',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        response_type: 'in_channel',
        replace_original: false,
        text: `${app.incident.ref} acknowledged by <@U0CAROL> (${CAROL}). The escalation stopped.`,
      });
      expect(await incidentOf(app)).toMatchObject({
        status: 'investigating',
        responder: CAROL,
        acknowledgedVia: 'slack',
      });
      const timeline = await request(app.server)
        .get(`/incidents/${app.incident.id}/timeline`)
        .set('Authorization', mockCredentials.user.header(GUEST));
      expect(timeline.body.items.at(-1)).toMatchObject({
        actor: CAROL,
        kind: 'status',
        data: { from: 'open', to: 'investigating', source: 'slack' },
      });

      // Clicked again (a new, validly signed request): refused, ephemeral.
      const again = await click(app, app.token, { id: 'U0CAROL' });
      expect(again.body.response_type).toBe('ephemeral');
      expect(again.body.text).toMatch(
        /^Could not acknowledge: This acknowledge link was already used at /,
      );
    });

    it('explains refusals ephemerally and changes nothing', async () => {
      const app = await setup();
      const unknown = await click(app, app.token, { id: 'U0NOBODY' });
      expect(unknown.body).toEqual({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'Your Slack account (U0NOBODY) is not linked to a Backstage user: add the annotation slack.com/user-id: U0NOBODY to your User entity, or acknowledge in the portal.',
      });
      // alice, found by her e-mail, was not the one paged.
      const other = await click(app, app.token, {
        id: 'U0ALICE',
        profile: { email: 'alice@example.com' },
      });
      expect(other.body.response_type).toBe('ephemeral');
      expect(other.body.text).toBe(
        `Could not acknowledge: This acknowledge link was sent to ${CAROL}; you are user:default/alice. Acknowledge from the incident page instead.`,
      );
      const tampered = await click(app, `${app.token}x`, { id: 'U0CAROL' });
      expect(tampered.body.response_type).toBe('ephemeral');
      expect(tampered.body.text).toMatch(/not valid/);
      expect(await incidentOf(app)).toMatchObject({ status: 'open' });
      expect(await knex('incident_ack_token_use').select()).toEqual([]);
    });

    it('refuses unsigned, wrongly signed and replayed requests with a 401', async () => {
      const app = await setup();
      const wrong = await click(
        app,
        app.token,
        { id: 'U0CAROL' },
        { secret: 'not-the-secret' },
      );
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.message).toBe('x-slack-signature does not match');
      const old = await click(
        app,
        app.token,
        { id: 'U0CAROL' },
        { timestamp: Math.floor(clock.now().getTime() / 1000) - 301 },
      );
      expect(old.status).toBe(401);
      expect(old.body.error.message).toMatch(/5 minute window/);
      const unsigned = await request(app.app)
        .post('/chat/slack/interactions')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('payload=%7B%7D');
      expect(unsigned.status).toBe(401);
      expect(await incidentOf(app)).toMatchObject({ status: 'open' });
    });

    it('answers 404 without a signing secret, and the button opens the link instead', async () => {
      const app = await setup(null);
      expect(app.token).toBeUndefined();
      const ack = app.post.blocks.find((b: any) => b.type === 'actions')
        .elements[0];
      expect(ack.url).toMatch(/\/incidents\/ack\?token=/);
      const res = await click(app, 'x', { id: 'U0CAROL' });
      expect(res.status).toBe(404);
    });
  },
);
