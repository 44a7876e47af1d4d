import { Config, readDurationFromConfig } from '@backstage/config';
import { Severity } from '@vigil/plugin-incidents-common';
import { durationMs, parseSeverities } from '../lib/config';

/** What a chat channel can be told about. */
export const CHAT_EVENTS = [
  'page',
  'opened',
  'status',
  'public-update',
  'internal-update',
  'storm',
  'postmortem',
  'handoff',
] as const;

/** One kind of chat post. */
export type ChatEvent = (typeof CHAT_EVENTS)[number];

/** A Slack or Teams channel reached through an incoming webhook. */
export interface ChatChannelDefinition {
  id: string;
  type: 'slack' | 'teams';
  webhookUrl: string;
  /** A public channel never gets internal status updates. */
  public: boolean;
  /** What it is told about; default everything. */
  events: ChatEvent[];
  /** Only incidents of these severities; default all. */
  severities?: Severity[];
  /** Only incidents owned by one of these groups (entity refs). */
  owners?: string[];
  /** Only incidents affecting one of these components (entity refs). */
  components?: string[];
}

/** Per severity: which pagers and channels are used, who is notified. */
export interface SeverityPolicyEntry {
  /** Pager ids pages of this severity go through (e.g. `notifications`, `webhook:<id>`, `chat:<id>`); default all. */
  pagers?: string[];
  /** Channel ids told about incidents of this severity; default every channel whose filters match. */
  channels?: string[];
  /** Groups (or users) sent a Backstage notification when such an incident opens. */
  notify?: string[];
}

export interface ChatConfig {
  channels: ChatChannelDefinition[];
  /** Slack's signing secret, for the interactivity endpoint; off without it. */
  slackSigningSecret?: string;
  severityPolicy: Partial<Record<Severity, SeverityPolicyEntry>>;
  ackLinks: {
    /** HMAC-SHA256 key of acknowledge links; no links without it. */
    secret?: string;
    ttlMs: number;
  };
}

const ENTITY_REF = /^[a-z0-9_-]+:[^/\s]+\/[^\s]+$/i;

function refs(values: string[], kind: string, where: string): string[] {
  return values.map(v => {
    const ref = v.includes(':') ? v : `${kind}:default/${v}`;
    const full = ref.includes('/') ? ref : ref.replace(':', ':default/');
    if (!ENTITY_REF.test(full)) {
      throw new Error(`${where}: '${v}' is not an entity reference`);
    }
    return full.toLocaleLowerCase('en-US');
  });
}

/**
 * Reads `incidents.chat`, `incidents.severityPolicy` and
 * `incidents.ackLinks`. A bad definition stops the backend naming it.
 */
export function readChatConfig(config: Config): ChatConfig {
  const seen = new Set<string>();
  const channels = (
    config.getOptionalConfigArray('incidents.chat.channels') ?? []
  ).map((c, i): ChatChannelDefinition => {
    const id = c.getString('id');
    const where = `incidents.chat.channels[${i}] (${id})`;
    if (!/^[a-z0-9][a-z0-9._-]{0,60}$/i.test(id)) {
      throw new Error(`${where}: id must be letters, digits, . _ -`);
    }
    if (seen.has(id)) throw new Error(`${where}: duplicate id`);
    seen.add(id);
    const type = c.getString('type');
    if (type !== 'slack' && type !== 'teams') {
      throw new Error(`${where}: type must be slack or teams`);
    }
    const webhookUrl = c.getString('webhookUrl');
    if (!/^https?:\/\//.test(webhookUrl)) {
      throw new Error(`${where}: webhookUrl must be http(s)`);
    }
    const events = c.getOptionalStringArray('events');
    for (const e of events ?? []) {
      if (!(CHAT_EVENTS as readonly string[]).includes(e)) {
        throw new Error(
          `${where}.events: unknown event '${e}'; use ${CHAT_EVENTS.join(
            ', ',
          )}`,
        );
      }
    }
    return {
      id,
      type,
      webhookUrl,
      public: c.getOptionalBoolean('public') ?? false,
      events: (events as ChatEvent[] | undefined) ?? [...CHAT_EVENTS],
      severities: c.has('severities')
        ? parseSeverities(c.getStringArray('severities'), `${where}.severities`)
        : undefined,
      owners: c.has('owners')
        ? refs(c.getStringArray('owners'), 'group', `${where}.owners`)
        : undefined,
      components: c.has('components')
        ? refs(
            c.getStringArray('components'),
            'component',
            `${where}.components`,
          )
        : undefined,
    };
  });

  const severityPolicy: ChatConfig['severityPolicy'] = {};
  const policy = config.getOptionalConfig('incidents.severityPolicy');
  for (const key of policy?.keys() ?? []) {
    const where = `incidents.severityPolicy.${key}`;
    const [severity] = parseSeverities([key], 'incidents.severityPolicy');
    const entry = policy!.getConfig(key);
    const channelIds = entry.getOptionalStringArray('channels');
    for (const id of channelIds ?? []) {
      if (!seen.has(id)) {
        throw new Error(`${where}.channels: no chat channel '${id}'`);
      }
    }
    severityPolicy[severity] = {
      pagers: entry.getOptionalStringArray('pagers'),
      channels: channelIds,
      notify: entry.has('notify')
        ? refs(entry.getStringArray('notify'), 'group', `${where}.notify`)
        : undefined,
    };
  }

  const ack = config.getOptionalConfig('incidents.ackLinks');
  const secret = ack?.getOptionalString('secret');
  if (secret !== undefined && secret.length < 16) {
    throw new Error('incidents.ackLinks.secret: use at least 16 characters');
  }
  return {
    channels,
    slackSigningSecret: config.getOptionalString(
      'incidents.chat.slack.signingSecret',
    ),
    severityPolicy,
    ackLinks: {
      secret,
      ttlMs: ack?.has('ttl')
        ? durationMs(readDurationFromConfig(ack, { key: 'ttl' }))
        : 4 * 3600_000,
    },
  };
}
