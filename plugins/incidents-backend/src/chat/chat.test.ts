import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { ChatReceiver } from '../__testUtils__/chatReceiver';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestClock } from '../__testUtils__/escalationHarness';
import { ChatConfig, readChatConfig } from './config';
import { ConfigReader } from '@backstage/config';
import { slackMessageSchema, teamsMessageSchema } from './schemas';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const as = (user: string) => mockCredentials.user.header(user);

describe.each(databases.eachSupportedId())('chat posts on %p', databaseId => {
  let knex: Knex;
  let clock: TestClock;
  const receiver = new ChatReceiver();

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    clock = new TestClock('2027-03-27T12:00:00Z');
    receiver.clear();
  });

  function chatConfig(): ChatConfig {
    return readChatConfig(
      new ConfigReader({
        incidents: {
          chat: {
            channels: [
              {
                id: 'incidents',
                type: 'slack',
                webhookUrl: `${receiver.url}/slack/incidents`,
                severities: ['sev1', 'sev2'],
              },
              {
                id: 'leadership',
                type: 'teams',
                webhookUrl: `${receiver.url}/teams/leadership`,
                public: true,
                events: [
                  'opened',
                  'status',
                  'public-update',
                  'internal-update',
                ],
              },
              {
                id: 'payments',
                type: 'slack',
                webhookUrl: `${receiver.url}/slack/payments`,
                owners: ['group:default/team-payments'],
                events: ['opened', 'handoff'],
              },
            ],
          },
          severityPolicy: {
            sev1: {
              channels: ['incidents', 'leadership'],
              notify: ['group:default/sre'],
            },
          },
          ackLinks: { secret: 'chat-test-secret-0123456789' },
        },
      }),
    );
  }

  async function setup() {
    return createTestApp(knex, {
      now: clock.now,
      appBaseUrl: 'http://portal.test',
      chat: chatConfig(),
      escalation: {
        policies: [
          {
            id: 'carol',
            name: 'Carol',
            severities: ['sev1', 'sev3'],
            services: [],
            repeat: 0,
            steps: [{ targets: [{ user: CAROL }], delayMinutes: 30 }],
          },
        ],
      },
    });
  }

  async function open(
    app: Awaited<ReturnType<typeof setup>>,
    severity: string,
  ) {
    const res = await request(app.server)
      .post('/incidents')
      .set('Authorization', as(GUEST))
      .send({
        title: 'Checkout failing',
        severity,
        affectedServices: ['component:default/payments-api'],
      });
    expect(res.status).toBe(201);
    return res.body as { id: string; ref: string };
  }

  it('posts a sev1 to its channels through the outbox, pages with an Acknowledge button, and keeps internal updates out of public channels', async () => {
    const app = await setup();
    const incident = await open(app, 'sev1');
    for (const [visibility, message] of [
      ['internal', 'Rolling back 1.2.3'],
      ['external', 'Payments are failing for some customers'],
    ]) {
      const posted = await request(app.server)
        .post(`/incidents/${incident.id}/status-updates`)
        .set('Authorization', as(GUEST))
        .send({ visibility, message });
      expect(posted.status).toBe(201);
    }
    // Nothing is sent before the outbox runs.
    expect(receiver.posts).toEqual([]);
    await app.escalation.tick();

    const slack = receiver.to('/slack/incidents');
    const teams = receiver.to('/teams/leadership');
    for (const body of slack) {
      expect(slackMessageSchema.safeParse(body).error).toBeUndefined();
    }
    for (const body of teams) {
      expect(teamsMessageSchema.safeParse(body).error).toBeUndefined();
    }
    // The severity policy keeps the sev1 out of the team channel.
    expect(receiver.to('/slack/payments')).toEqual([]);
    expect(slack.map(b => b.blocks[0].text.text).sort()).toEqual(
      [
        `Incident opened: ${incident.ref} Checkout failing`,
        `Internal update: ${incident.ref} Checkout failing`,
        `Paged: ${incident.ref} Checkout failing`,
        `Public update: ${incident.ref} Checkout failing`,
      ].sort(),
    );
    // leadership is public: the external update only.
    expect(
      teams.map(b => b.attachments[0].content.body[0].text).sort(),
    ).toEqual(
      [
        `Incident opened: ${incident.ref} Checkout failing`,
        `Public update: ${incident.ref} Checkout failing`,
      ].sort(),
    );
    // The page's button carries the page's acknowledge link (no Slack
    // signing secret here, so it opens the confirmation page).
    const page = slack.find(b => b.blocks[0].text.text.startsWith('Paged'))!;
    const ack = page.blocks.find((b: any) => b.type === 'actions').elements[0];
    expect(ack.text.text).toBe('Acknowledge');
    expect(ack.url).toMatch(/^http:\/\/portal\.test\/incidents\/ack\?token=/);

    // sev1 notifies the groups the severity policy names.
    expect(app.notifications).toContainEqual(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: ['group:default/sre'] },
      }),
    );

    // Every post is in the war room's Paging card with its attempts.
    const escalations = await request(app.server)
      .get(`/incidents/${incident.id}/escalations`)
      .set('Authorization', as(GUEST));
    expect(escalations.status).toBe(200);
    const posts = escalations.body.chatPosts as any[];
    expect(posts).toHaveLength(5);
    expect(posts.every(p => p.delivery.status === 'sent')).toBe(true);
    expect(posts.map(p => p.event).sort()).toEqual(
      [
        'internal-update',
        'opened',
        'opened',
        'public-update',
        'public-update',
      ].sort(),
    );
    // The page's chat delivery sits with the page.
    const deliveries = escalations.body.items[0].pages[0].deliveries;
    expect(deliveries.map((d: any) => d.pagerId)).toEqual(['chat:incidents']);
  });

  it('retries a post the channel refused, recording every attempt', async () => {
    const app = await setup();
    receiver.failNext('/slack/payments', 1);
    const incident = await open(app, 'sev3');
    await app.escalation.tick();
    expect(receiver.to('/slack/payments')).toEqual([]);
    const first = await request(app.server)
      .get(`/incidents/${incident.id}/escalations`)
      .set('Authorization', as(GUEST));
    const post = first.body.chatPosts.find(
      (p: any) => p.channelId === 'chat:payments',
    );
    expect(post).toMatchObject({
      channelId: 'chat:payments',
      event: 'opened',
      delivery: {
        status: 'pending',
        lastError: 'chat webhook answered 500: receiver down',
      },
    });
    // The webhook URL is a secret: no error names it.
    expect(JSON.stringify(first.body)).not.toContain(receiver.url);

    clock.advance({ seconds: 11 });
    await app.escalation.tick();
    expect(receiver.to('/slack/payments')).toHaveLength(1);
    const second = await request(app.server)
      .get(`/incidents/${incident.id}/escalations`)
      .set('Authorization', as(GUEST));
    expect(
      second.body.chatPosts.find((p: any) => p.channelId === 'chat:payments')
        .delivery,
    ).toMatchObject({
      status: 'sent',
      attempts: [
        { attempt: 1, ok: false },
        { attempt: 2, ok: true },
      ],
    });
  });

  it('posts status moves with where the acknowledgement came from', async () => {
    const app = await setup();
    const incident = await open(app, 'sev2');
    await app.escalation.tick();
    receiver.clear();
    const acked = await request(app.server)
      .post(`/incidents/${incident.id}/status`)
      .set('Authorization', as(CAROL))
      .send({ status: 'investigating', source: 'home-widget' });
    expect(acked.status).toBe(200);
    await app.escalation.tick();
    const [slack] = receiver.to('/slack/incidents');
    expect(slack.text).toBe(
      `${incident.ref} Checkout failing: Acknowledged by carol via the home widget`,
    );
    const [teams] = receiver.to('/teams/leadership');
    expect(teams.attachments[0].content.body[1].text).toBe(
      'Acknowledged by carol via the home widget.',
    );
  });

  it("posts the on-call domain's hand-offs to the channels that take them", async () => {
    const app = await setup();
    await app.publishEvent({
      topic: 'incidents.oncall',
      eventPayload: {
        type: 'oncall.handoff',
        scheduleId: 'payments-primary',
        scheduleTitle: 'Payments primary',
        from: 'user:default/alice',
        to: CAROL,
        at: '2027-03-27T09:00:00.000Z',
      },
    });
    // Other events on the topic are not hand-offs.
    await app.publishEvent({
      topic: 'incidents.oncall',
      eventPayload: { type: 'oncall.shift-notice' },
    });
    await app.escalation.tick();
    const posts = receiver.to('/slack/payments');
    expect(posts).toHaveLength(1);
    expect(posts[0].text).toBe(
      'On-call hand-off on Payments primary: alice → carol',
    );
    expect(slackMessageSchema.safeParse(posts[0]).error).toBeUndefined();
    // The incidents channel takes every event by default, hand-offs too.
    expect(receiver.to('/slack/incidents')).toHaveLength(1);
    expect(receiver.to('/teams/leadership')).toEqual([]);
  });
});
