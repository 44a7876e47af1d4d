import { NotificationService } from '@backstage/plugin-notifications-node';
import { IncidentPage, IncidentPager } from '@vigil/plugin-incidents-node';
import { createHmac } from 'node:crypto';
import { WebhookDefinition } from './config';

/**
 * Pages a user in Backstage: an in-app notification (and whatever the
 * notifications backend forwards it to, such as email).
 */
export class NotificationsPager implements IncidentPager {
  readonly id = 'notifications';

  constructor(private readonly notifications: NotificationService) {}

  async send(page: IncidentPage): Promise<void> {
    const { incident } = page;
    await this.notifications.send({
      recipients: { type: 'entity', entityRef: page.recipient },
      payload: {
        title: `Paged: ${incident.ref} ${incident.title}`,
        description: `${incident.severity.toUpperCase()} — you are paged (escalation step ${
          page.step
        }). Acknowledge to stop the escalation.`,
        // The one-click acknowledge link when configured: it shows the
        // incident and acknowledges with one button.
        link: page.acknowledgeUrl ?? incident.url,
        severity: incident.severity === 'sev1' ? 'critical' : 'high',
        topic: 'incident-page',
        // One notification per page, even if a retry sends it again.
        scope: `incident-page:${page.pageId}`,
      },
    });
  }
}

/** The signature header of outbound webhooks: `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'x-vigil-signature';
/** Unix seconds the signature covers, against replays. */
export const TIMESTAMP_HEADER = 'x-vigil-timestamp';

/**
 * Signs a webhook body: HMAC-SHA256 over `<timestamp>.<body>` with the
 * webhook's secret. Receivers recompute it and compare in constant time.
 */
export function signWebhook(
  secret: string,
  timestamp: string,
  body: string,
): string {
  return `sha256=${createHmac('sha256', secret)
    .update(`${timestamp}.${body}`)
    .digest('hex')}`;
}

/**
 * Posts each page as JSON to a configured URL, signed with an HMAC header.
 * A non-2xx answer or a timeout fails the attempt (and it is retried).
 */
export class WebhookPager implements IncidentPager {
  readonly id: string;

  constructor(
    private readonly webhook: WebhookDefinition,
    private readonly options: { timeoutMs?: number; now?: () => Date } = {},
  ) {
    this.id = `webhook:${webhook.id}`;
  }

  accepts(severity: string): boolean {
    return (
      !this.webhook.severities ||
      this.webhook.severities.includes(severity as any)
    );
  }

  async send(page: IncidentPage): Promise<void> {
    await postSigned({
      url: this.webhook.url,
      secret: this.webhook.secret,
      body: JSON.stringify({ type: 'incident.page', ...page }),
      headers: { 'x-vigil-page-id': page.pageId },
      now: this.options.now,
      timeoutMs: this.options.timeoutMs,
    });
  }
}

/**
 * POSTs a JSON body signed with HMAC-SHA256 (`x-vigil-signature` over
 * `<x-vigil-timestamp>.<body>`). A non-2xx answer or a timeout throws, so
 * the outbox retries it.
 */
export async function postSigned(options: {
  url: string;
  secret: string;
  body: string;
  headers?: Record<string, string>;
  now?: () => Date;
  timeoutMs?: number;
}): Promise<void> {
  const timestamp = String(
    Math.floor((options.now?.() ?? new Date()).getTime() / 1000),
  );
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Vigil-Pager/1',
      ...options.headers,
      [TIMESTAMP_HEADER]: timestamp,
      [SIGNATURE_HEADER]: signWebhook(options.secret, timestamp, options.body),
    },
    body: options.body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200);
    throw new Error(
      `${options.url} answered ${response.status}${text ? `: ${text}` : ''}`,
    );
  }
}
