import { IncidentPage, IncidentPager } from '@vigil/plugin-incidents-node';
import { OutboxChannel, PagedIncident } from '../paging/PagingService';
import { ChatChannelDefinition, ChatConfig, ChatEvent } from './config';
import { ChatMessage, toSlack, toTeams } from './formats';

/** The outbox id of a chat channel (its pager id too). */
export const chatChannelId = (id: string) => `chat:${id}`;

/** What chat channel selection looks at. */
export interface ChatSubject {
  severity?: PagedIncident['severity'];
  ownerGroups?: string[];
  affectedServices?: string[];
}

const lower = (values: string[] | undefined) =>
  (values ?? []).map(v => v.toLocaleLowerCase('en-US'));

/**
 * Whether a channel takes an event: its `events`, `severities` and
 * `owners`/`components` filters, the severity policy's channel list for the
 * severity, and never an internal update in a public channel.
 */
export function channelTakes(
  channel: ChatChannelDefinition,
  event: ChatEvent,
  subject: ChatSubject,
  policy: ChatConfig['severityPolicy'],
): boolean {
  if (!channel.events.includes(event)) return false;
  if (event === 'internal-update' && channel.public) return false;
  if (event === 'handoff') return true;
  const { severity } = subject;
  if (
    channel.severities &&
    (!severity || !channel.severities.includes(severity))
  ) {
    return false;
  }
  const listed = severity ? policy[severity]?.channels : undefined;
  if (listed && !listed.includes(channel.id)) return false;
  if (channel.owners || channel.components) {
    const owners = lower(subject.ownerGroups);
    const services = lower(subject.affectedServices);
    const owned = (channel.owners ?? []).some(o => owners.includes(o));
    const affected = (channel.components ?? []).some(c => services.includes(c));
    if (!owned && !affected) return false;
  }
  return true;
}

/** Renders a message for the channel's type. */
export function render(
  channel: ChatChannelDefinition,
  message: ChatMessage,
  interactive: boolean,
) {
  return channel.type === 'slack'
    ? toSlack(message, { interactive })
    : toTeams(message);
}

/** POSTs a rendered body to an incoming webhook; non-2xx throws (retried). */
export async function postToWebhook(
  url: string,
  body: unknown,
  timeoutMs = 10_000,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Vigil-Chat/1',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200);
    throw new Error(
      `chat webhook answered ${response.status}${text ? `: ${text}` : ''}`,
    );
  }
}

/**
 * Sends a chat channel's outbox messages (already rendered when queued, so
 * the audit shows what was sent). The webhook URL is a secret: it appears
 * in no error.
 */
export class ChatOutboxChannel implements OutboxChannel {
  readonly id: string;

  constructor(private readonly channel: ChatChannelDefinition) {
    this.id = chatChannelId(channel.id);
  }

  async deliver(payload: Record<string, unknown>): Promise<void> {
    await postToWebhook(this.channel.webhookUrl, payload.body);
  }
}

/**
 * Posts pages to a chat channel, with an Acknowledge button: in Slack (with
 * interactivity configured) it posts the page's signed token back to Vigil;
 * otherwise, and in Teams, it opens the page's acknowledge link.
 */
export class ChatPager implements IncidentPager {
  readonly id: string;

  constructor(
    private readonly channel: ChatChannelDefinition,
    private readonly options: {
      policy: ChatConfig['severityPolicy'];
      interactive: boolean;
      /** A user ref as a name (catalog display name). */
      nameOf: (ref: string) => Promise<string>;
    },
  ) {
    this.id = chatChannelId(channel.id);
  }

  accepts(severity: string, incident?: PagedIncident): boolean {
    return channelTakes(
      this.channel,
      'page',
      { ...incident, severity: severity as PagedIncident['severity'] },
      this.options.policy,
    );
  }

  async send(page: IncidentPage): Promise<void> {
    const { incident } = page;
    const name = await this.options.nameOf(page.recipient);
    const token = page.acknowledgeUrl
      ? new URL(page.acknowledgeUrl).searchParams.get('token') ?? undefined
      : undefined;
    const message: ChatMessage = {
      event: 'page',
      summary: `Paged ${name}: ${incident.ref} ${incident.title}`,
      title: `Paged: ${incident.ref} ${incident.title}`,
      body: `${name} is paged (escalation step ${page.step}). Acknowledge to stop the escalation.`,
      severity: incident.severity,
      facts: [{ title: 'Paged', value: name }],
      links: [{ label: 'Open war room', url: incident.url }],
      acknowledge: page.acknowledgeUrl
        ? { token, url: page.acknowledgeUrl }
        : undefined,
    };
    await postToWebhook(
      this.channel.webhookUrl,
      render(this.channel, message, this.options.interactive),
    );
  }
}
