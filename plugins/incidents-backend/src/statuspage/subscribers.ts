import { OutboxChannel } from '../paging/PagingService';
import { postSigned } from '../paging/pagers';
import { StatusPageSubscriber } from './config';
import { PublicStatusPage } from './PublicStatusPage';

/** The outbox channel id of a subscriber. */
export const subscriberChannel = (id: string) => `statuspage:${id}`;

/**
 * Sends a subscriber Atlassian Statuspage's webhook payload for a public
 * incident or maintenance window (`{ meta, page, incident }`), signed like
 * the paging webhooks. The outbox queues only which record changed, in the
 * change's transaction; the payload is the page as it is when sent.
 */
export class StatusPageWebhookChannel implements OutboxChannel {
  readonly id: string;

  constructor(
    private readonly subscriber: StatusPageSubscriber,
    private readonly page: PublicStatusPage,
  ) {
    this.id = subscriberChannel(subscriber.id);
  }

  async deliver(payload: Record<string, unknown>): Promise<void> {
    // As the page is now on any replica, not this replica's cached copy.
    this.page.invalidate();
    const snapshot = await this.page.snapshot();
    const id = String(payload.recordId ?? payload.maintenanceId);
    const incident =
      snapshot.incidents.find(i => i.id === id) ??
      snapshot.maintenances.find(m => m.id === id);
    if (!incident) {
      return; // unpublished since: nothing public to tell
    }
    await postSigned({
      url: this.subscriber.url,
      secret: this.subscriber.secret,
      body: JSON.stringify({
        meta: { unsubscribe: null, documentation: null },
        page: {
          id: snapshot.page.id,
          status_indicator: snapshot.status.indicator,
          status_description: snapshot.status.description,
        },
        incident,
      }),
    });
  }
}
