import { ConfigReader } from '@backstage/config';
import { channelTakes } from './ChatChannels';
import { ChatChannelDefinition, readChatConfig } from './config';
import { ChatMessage, escapeSlack, toSlack, toTeams } from './formats';
import {
  adaptiveCardSchema,
  slackMessageSchema,
  teamsMessageSchema,
} from './schemas';

const war = { label: 'Open war room', url: 'https://portal.test/incidents/i1' };
const messages: ChatMessage[] = [
  {
    event: 'page',
    summary: 'Paged Carol: INC-7 Checkout failing',
    title: 'Paged: INC-7 Checkout failing',
    body: 'Carol is paged (escalation step 1).',
    severity: 'sev1',
    facts: [{ title: 'Paged', value: 'Carol' }],
    links: [war],
    acknowledge: {
      token: 'eyJ2IjoxfQ.c2ln',
      url: 'https://portal.test/incidents/ack?token=eyJ2IjoxfQ.c2ln',
    },
  },
  {
    event: 'opened',
    summary: 'Incident opened: INC-7 <Checkout> & more',
    title: 'Incident opened: INC-7 <Checkout> & more',
    body: 'Error rate > 40% on <checkout>',
    severity: 'sev2',
    facts: [
      { title: 'Status', value: 'open' },
      { title: 'Services', value: 'payments-api' },
    ],
    links: [war],
  },
  {
    event: 'status',
    summary: 'INC-7: Acknowledged by Carol via Slack',
    title: 'INC-7 is investigating',
    severity: 'sev3',
    facts: [{ title: 'Status', value: 'investigating' }],
    links: [war],
  },
  {
    event: 'internal-update',
    summary: 'internal',
    title: 'Internal update: INC-7',
    body: 'Rolling back 1.2.3',
    facts: [],
    links: [war],
  },
  {
    event: 'handoff',
    summary: 'On-call hand-off on Payments: Alice → Carol',
    title: 'On-call hand-off: Payments',
    facts: [
      { title: 'From', value: 'Alice' },
      { title: 'To', value: 'Carol' },
    ],
    links: [],
  },
];

describe('chat formats', () => {
  it.each(messages.map(m => [m.event, m] as const))(
    'renders a %s post as valid Block Kit and a valid Adaptive Card',
    (_event, message) => {
      for (const interactive of [true, false]) {
        const slack = toSlack(message, { interactive });
        expect(slackMessageSchema.safeParse(slack).error).toBeUndefined();
      }
      const teams = toTeams(message);
      expect(teamsMessageSchema.safeParse(teams).error).toBeUndefined();
      expect(teams.attachments[0].content.version).toBe('1.4');
    },
  );

  it('puts the signed token on the Slack Acknowledge button, or the link without interactivity', () => {
    const [page] = messages;
    const actions = (interactive: boolean) =>
      toSlack(page, { interactive }).blocks.find(b => b.type === 'actions')!
        .elements as any[];
    expect(actions(true)[0]).toEqual({
      type: 'button',
      action_id: 'vigil_acknowledge',
      text: { type: 'plain_text', text: 'Acknowledge' },
      style: 'primary',
      value: 'eyJ2IjoxfQ.c2ln',
    });
    expect(actions(false)[0]).toMatchObject({
      text: { text: 'Acknowledge' },
      url: page.acknowledge!.url,
    });
    expect(actions(false)[0].value).toBeUndefined();
    const card = toTeams(page).attachments[0].content as any;
    expect(card.actions[0]).toEqual({
      type: 'Action.OpenUrl',
      title: 'Acknowledge',
      url: page.acknowledge!.url,
      style: 'positive',
    });
  });

  it("escapes Slack's control characters", () => {
    expect(escapeSlack('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
    const slack = toSlack(messages[1], { interactive: false });
    expect(JSON.stringify(slack.blocks)).not.toContain('<checkout>');
    expect(slack.text).toBe(
      'Incident opened: INC-7 &lt;Checkout&gt; &amp; more',
    );
  });

  it('refuses payloads outside the documented shapes (the schemas check)', () => {
    const ok = toSlack(messages[0], { interactive: true });
    const longHeader = {
      ...ok,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } },
      ],
    };
    expect(slackMessageSchema.safeParse(longHeader).success).toBe(false);
    const badButton = {
      ...ok,
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'mrkdwn', text: 'Ack' },
              value: 'v',
            },
          ],
        },
      ],
    };
    expect(slackMessageSchema.safeParse(badButton).success).toBe(false);
    const card = toTeams(messages[0]).attachments[0].content;
    expect(
      adaptiveCardSchema.safeParse({ ...card, version: '1.2' }).success,
    ).toBe(false);
    expect(
      adaptiveCardSchema.safeParse({ ...card, body: [{ type: 'Image' }] })
        .success,
    ).toBe(false);
  });
});

describe('chat channels and the severity policy', () => {
  const config = readChatConfig(
    new ConfigReader({
      incidents: {
        chat: {
          channels: [
            {
              id: 'incidents',
              type: 'slack',
              webhookUrl: 'https://hooks.slack.test/1',
              severities: ['sev1', 'sev2'],
            },
            {
              id: 'leadership',
              type: 'teams',
              webhookUrl: 'https://teams.test/2',
              severities: ['sev1'],
              events: ['opened', 'status', 'public-update', 'postmortem'],
            },
            {
              id: 'payments-team',
              type: 'slack',
              webhookUrl: 'https://hooks.slack.test/3',
              owners: ['team-payments'],
            },
            {
              id: 'status-public',
              type: 'slack',
              public: true,
              webhookUrl: 'https://hooks.slack.test/4',
            },
          ],
        },
        severityPolicy: {
          sev1: {
            pagers: ['notifications', 'chat:incidents'],
            channels: ['incidents', 'leadership', 'status-public'],
            notify: ['group:default/leadership'],
          },
          medium: { channels: ['payments-team', 'status-public'] },
        },
      },
    }),
  );
  const takes = (event: any, subject: any) =>
    config.channels
      .filter(c => channelTakes(c, event, subject, config.severityPolicy))
      .map(c => c.id);
  const payments = {
    ownerGroups: ['group:default/team-payments'],
    affectedServices: ['component:default/payments-api'],
  };

  it('sends sev1 to #incidents and leadership, sev3 to the owning team', () => {
    expect(takes('opened', { ...payments, severity: 'sev1' })).toEqual([
      'incidents',
      'leadership',
      'status-public',
    ]);
    expect(takes('opened', { ...payments, severity: 'sev3' })).toEqual([
      'payments-team',
      'status-public',
    ]);
    // Another team's sev3: not the payments channel.
    expect(
      takes('opened', { severity: 'sev3', ownerGroups: ['group:default/sre'] }),
    ).toEqual(['status-public']);
    expect(config.severityPolicy.sev1!.notify).toEqual([
      'group:default/leadership',
    ]);
    expect(config.severityPolicy.sev3!.channels).toEqual([
      'payments-team',
      'status-public',
    ]);
  });

  it('never sends an internal update to a public channel', () => {
    expect(takes('internal-update', { ...payments, severity: 'sev3' })).toEqual(
      ['payments-team'],
    );
    expect(takes('public-update', { ...payments, severity: 'sev3' })).toEqual([
      'payments-team',
      'status-public',
    ]);
    expect(takes('internal-update', { ...payments, severity: 'sev1' })).toEqual(
      ['incidents'],
    );
  });

  it('stops the backend on a bad definition, naming it', () => {
    const read = (incidents: object) =>
      readChatConfig(new ConfigReader({ incidents }));
    const channel: Partial<ChatChannelDefinition> = {
      id: 'x',
      type: 'slack',
      webhookUrl: 'https://hooks.slack.test/x',
    };
    expect(() =>
      read({ chat: { channels: [{ ...channel, type: 'irc' }] } }),
    ).toThrow('incidents.chat.channels[0] (x): type must be slack or teams');
    expect(() =>
      read({ chat: { channels: [{ ...channel, events: ['lunch'] }] } }),
    ).toThrow(
      /incidents.chat.channels\[0\] \(x\).events: unknown event 'lunch'/,
    );
    expect(() =>
      read({ chat: { channels: [{ ...channel, webhookUrl: 'ftp://x' }] } }),
    ).toThrow(/webhookUrl must be http/);
    expect(() =>
      read({
        chat: { channels: [channel] },
        severityPolicy: { sev1: { channels: ['nope'] } },
      }),
    ).toThrow("incidents.severityPolicy.sev1.channels: no chat channel 'nope'");
    expect(() => read({ severityPolicy: { sev9: {} } })).toThrow(
      /unknown severity 'sev9'/,
    );
  });
});
