import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ACKNOWLEDGEMENT_SOURCE_LABELS,
  AcknowledgementSource,
  Incident,
} from '@vigil/plugin-incidents-common';
import { Knex } from 'knex';
import { IncidentChangeResult } from '../incidents/IncidentStore';
import { PagingStore } from '../paging/PagingStore';
import {
  channelTakes,
  chatChannelId,
  ChatSubject,
  render,
} from './ChatChannels';
import { ChatConfig, ChatEvent } from './config';
import { ChatMessage } from './formats';

/** The events service topic the on-call domain publishes hand-offs on. */
export const ONCALL_TOPIC = 'incidents.oncall';

/** `{ type: 'oncall.handoff', ... }` as published by the on-call domain. */
export interface HandoffEvent {
  type: 'oncall.handoff';
  scheduleId: string;
  scheduleTitle?: string;
  from?: string;
  to?: string;
  at: string;
}

const STORM_ACTOR = 'system:storm-detector';

/**
 * Tells chat channels about incidents (opened, status moves, status
 * updates, storms, postmortems) and on-call hand-offs: each post rendered
 * for the channel (Slack Block Kit or a Teams Adaptive Card) and queued in
 * the paging outbox, which leases, retries and records every attempt.
 * Pages reach channels through `ChatPager`. It also notifies the groups the
 * severity policy names when an incident of that severity opens.
 */
export class ChatService {
  constructor(
    private readonly options: {
      config: ChatConfig;
      outbox: Pick<PagingStore, 'addMessages'>;
      db: Knex;
      appBaseUrl: string;
      catalog: CatalogService;
      auth: AuthService;
      notifications: NotificationService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** Subscribes to the on-call domain's hand-offs. */
  async subscribe(events: EventsService) {
    await events.subscribe({
      id: 'incidents-chat',
      topics: [ONCALL_TOPIC],
      onEvent: async params => {
        const payload = params.eventPayload as HandoffEvent;
        if (payload?.type === 'oncall.handoff') {
          await this.onHandoff(payload);
        }
      },
    });
  }

  /** A user ref's catalog display name, or its name part. */
  async nameOf(ref: string): Promise<string> {
    const fallback = (() => {
      try {
        return parseEntityRef(ref).name;
      } catch {
        return ref;
      }
    })();
    try {
      const entity = await this.options.catalog.getEntityByRef(ref, {
        credentials: await this.options.auth.getOwnServiceCredentials(),
      });
      const profile = (entity?.spec as any)?.profile;
      return profile?.displayName ?? entity?.metadata.title ?? fallback;
    } catch {
      return fallback;
    }
  }

  /** Listener of every committed incident change. */
  async onIncidentChange(change: IncidentChangeResult, actor: string) {
    try {
      await this.post(change, actor);
    } catch (e) {
      // The change happened; a chat post must not fail it.
      this.options.logger.warn(
        `Could not queue chat posts for ${change.incident.ref}: ${e}`,
      );
    }
  }

  private async post(change: IncidentChangeResult, actor: string) {
    const { config } = this.options;
    // Nothing configured: no work on the change's path at all.
    if (
      config.channels.length === 0 &&
      !Object.values(config.severityPolicy).some(p => p?.notify?.length)
    ) {
      return;
    }
    const { incident, verb, entry } = change;
    const url = `${this.options.appBaseUrl}/incidents/${incident.id}`;
    const who = await this.nameOf(actor);
    const base = {
      severity: incident.severity,
      links: [{ label: 'Open war room', url }],
    };
    const facts = (extra: ChatMessage['facts'] = []) => [
      { title: 'Status', value: incident.status },
      ...(incident.affectedServices.length
        ? [
            {
              title: 'Services',
              value: incident.affectedServices
                .map(s => s.replace(/^component:(default\/)?/, ''))
                .join(', '),
            },
          ]
        : []),
      ...extra,
    ];
    const head = `${incident.ref} ${incident.title}`;
    let message: ChatMessage | undefined;
    if (verb === 'opened' && actor !== STORM_ACTOR) {
      message = {
        ...base,
        event: 'opened',
        summary: `Incident opened: ${head}`,
        title: `Incident opened: ${head}`,
        body: incident.description,
        facts: facts([{ title: 'Opened by', value: who }]),
      };
      await this.notifyPolicyGroups(incident, url);
    } else if (entry.kind === 'status') {
      const data = (entry.data ?? {}) as {
        to?: string;
        source?: AcknowledgementSource;
      };
      const via = data.source
        ? ` via ${ACKNOWLEDGEMENT_SOURCE_LABELS[data.source]}`
        : '';
      message = {
        ...base,
        event: 'status',
        summary: `${head}: ${entry.message} by ${who}${via}`,
        title: `${incident.ref} is ${incident.status}`,
        body: `${entry.message} by ${who}${via}.`,
        facts: facts(),
      };
    } else if (verb === 'status_update_posted') {
      const visibility = (entry.data as { visibility?: string })?.visibility;
      const internal = visibility !== 'external';
      message = {
        ...base,
        event: internal ? 'internal-update' : 'public-update',
        summary: `${head}: ${entry.message}`,
        title: `${internal ? 'Internal' : 'Public'} update: ${head}`,
        body: entry.message.replace(/^(Internal|External) update: /, ''),
        facts: facts([{ title: 'Posted by', value: who }]),
      };
    } else if (entry.kind === 'alert' && (entry.data as any)?.stormId) {
      const count = Number((entry.data as any).alertCount ?? 0);
      message = {
        ...base,
        event: 'storm',
        summary: `Alert storm: ${count} alerts folded into ${incident.ref}`,
        title: `Alert storm folded into ${head}`,
        body: entry.message,
        facts: facts([{ title: 'Alerts', value: String(count) }]),
      };
    } else if (verb === 'postmortem_published') {
      message = {
        ...base,
        event: 'postmortem',
        summary: `Postmortem published: ${head}`,
        title: `Postmortem published: ${head}`,
        body: `${who} published the postmortem of ${incident.ref}.`,
        facts: facts(),
        links: [{ label: 'Read the postmortem', url: `${url}/postmortem` }],
      };
    }
    if (message) {
      await this.queue(message, incident, incident.id);
    }
  }

  /** Posts an on-call hand-off to the channels that take hand-offs. */
  async onHandoff(event: HandoffEvent) {
    const from = event.from ? await this.nameOf(event.from) : 'nobody';
    const to = event.to ? await this.nameOf(event.to) : 'nobody';
    const schedule = event.scheduleTitle ?? event.scheduleId;
    await this.queue(
      {
        event: 'handoff',
        summary: `On-call hand-off on ${schedule}: ${from} → ${to}`,
        title: `On-call hand-off: ${schedule}`,
        body: `${to} is on call now (taking over from ${from}).`,
        facts: [
          { title: 'From', value: from },
          { title: 'To', value: to },
          { title: 'At', value: event.at },
        ],
        links: [
          { label: 'Open on-call', url: `${this.options.appBaseUrl}/oncall` },
        ],
      },
      {},
    );
  }

  /** The channels an event about `subject` goes to. */
  channelsFor(event: ChatEvent, subject: ChatSubject) {
    const { channels, severityPolicy } = this.options.config;
    return channels.filter(c =>
      channelTakes(c, event, subject, severityPolicy),
    );
  }

  private async queue(
    message: ChatMessage,
    subject: ChatSubject,
    incidentId?: string,
  ) {
    const channels = this.channelsFor(message.event, subject);
    if (channels.length === 0) return;
    const interactive = Boolean(this.options.config.slackSigningSecret);
    const now = this.now();
    await this.options.db.transaction(tx =>
      this.options.outbox.addMessages(
        tx,
        channels.map(c => ({
          channelId: chatChannelId(c.id),
          incidentId,
          payload: {
            event: message.event,
            body: render(c, message, interactive),
          },
        })),
        now,
      ),
    );
  }

  /** Backstage notifications to the groups the severity policy names. */
  private async notifyPolicyGroups(incident: Incident, url: string) {
    const groups =
      this.options.config.severityPolicy[incident.severity]?.notify ?? [];
    if (groups.length === 0) return;
    await this.options.notifications.send({
      recipients: { type: 'entity', entityRef: groups },
      payload: {
        title: `${incident.severity.toUpperCase()} opened: ${incident.ref} ${
          incident.title
        }`,
        description: `Your group is notified of every ${incident.severity.toUpperCase()} incident (severity policy).`,
        link: url,
        severity: incident.severity === 'sev1' ? 'critical' : 'high',
        topic: 'incident-severity-policy',
        scope: `incident-opened:${incident.id}`,
      },
    });
  }
}
