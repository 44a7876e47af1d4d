import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AckLinkService } from './AckLinkService';
import { SLACK_ACK_ACTION } from './formats';

/** The annotation naming a catalog user's Slack member id. */
export const SLACK_USER_ID_ANNOTATION = 'slack.com/user-id';

/** What Vigil answers Slack (the message it shows). */
export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  replace_original: boolean;
  text: string;
}

/** Slack's budget for an answer is 3 s; this leaves room for the network. */
const SLACK_BUDGET_MS = 2500;

const ephemeral = (text: string): SlackReply => ({
  response_type: 'ephemeral',
  replace_original: false,
  text,
});

/**
 * Handles Slack's block_actions requests (already signature-checked): the
 * Acknowledge button of a page. The Slack user is mapped to a catalog user
 * (by the e-mail in the payload's user profile, if Slack sent one, else by
 * the `slack.com/user-id` annotation) and the page is acknowledged as that
 * user, only if they are the user it was sent to (see AckLinkService and
 * the README). Every refusal is an ephemeral message naming the reason.
 */
export class SlackInteractions {
  constructor(
    private readonly options: {
      ackLinks: AckLinkService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      /** Posts a late answer to Slack's response_url. */
      respond?: (url: string, reply: SlackReply) => Promise<void>;
    },
  ) {}

  async handle(payload: any): Promise<SlackReply> {
    const action = Array.isArray(payload?.actions)
      ? payload.actions.find((a: any) => a?.action_id === SLACK_ACK_ACTION)
      : undefined;
    if (payload?.type !== 'block_actions' || !action) {
      return ephemeral('Vigil does not handle this action.');
    }
    const work = this.acknowledge(payload, String(action.value ?? ''));
    // Slack waits 3 s: answer in time, and post the result later if needed.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>(resolve => {
      timer = setTimeout(() => resolve(undefined), SLACK_BUDGET_MS);
    });
    const reply = await Promise.race([work, late]);
    clearTimeout(timer);
    if (reply) return reply;
    const url =
      typeof payload.response_url === 'string'
        ? payload.response_url
        : undefined;
    work
      .then(r => (url ? this.respond(url, r) : undefined))
      .catch(e => this.options.logger.warn(`Slack late reply failed: ${e}`));
    return ephemeral('Acknowledging… the result follows in a moment.');
  }

  private async acknowledge(payload: any, token: string): Promise<SlackReply> {
    const slackUser = payload.user ?? {};
    const userRef = await this.catalogUser(slackUser);
    if (!userRef) {
      return ephemeral(
        `Your Slack account (${
          slackUser.id ?? 'unknown'
        }) is not linked to a Backstage user: add the annotation ${SLACK_USER_ID_ANNOTATION}: ${
          slackUser.id ?? '<your member id>'
        } to your User entity, or acknowledge in the portal.`,
      );
    }
    try {
      const incident = await this.options.ackLinks.acknowledgeAs(
        token,
        userRef,
        'slack',
      );
      return {
        response_type: 'in_channel',
        replace_original: false,
        text: `${incident.ref} acknowledged by <@${slackUser.id}> (${userRef}). The escalation stopped.`,
      };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return ephemeral(
        `Could not acknowledge: ${message.replace(/^token: /, '')}`,
      );
    }
  }

  /** The catalog user of a Slack user: by e-mail, else by annotation. */
  async catalogUser(user: {
    id?: string;
    email?: string;
    profile?: { email?: string };
  }): Promise<string | undefined> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const email = user.profile?.email ?? user.email;
    const find = async (filter: Record<string, string>) => {
      const { items } = await this.options.catalog.getEntities(
        { filter: { kind: 'User', ...filter } },
        { credentials },
      );
      // Ambiguous (two users share it): nobody, rather than a guess.
      return items.length === 1 ? stringifyEntityRef(items[0]) : undefined;
    };
    if (email) {
      const byEmail = await find({ 'spec.profile.email': email });
      if (byEmail) return byEmail;
    }
    if (user.id) {
      return find({
        [`metadata.annotations.${SLACK_USER_ID_ANNOTATION}`]: user.id,
      });
    }
    return undefined;
  }

  private async respond(url: string, reply: SlackReply) {
    if (this.options.respond) {
      await this.options.respond(url, reply);
      return;
    }
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(reply),
      signal: AbortSignal.timeout(10_000),
    });
  }
}
