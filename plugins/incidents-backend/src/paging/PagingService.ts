import { LoggerService } from '@backstage/backend-plugin-api';
import { Severity } from '@vigil/plugin-incidents-common';
import { IncidentPager } from '@vigil/plugin-incidents-node';
import { ClaimedDelivery, PagingStore, RetryPolicy } from './PagingStore';

/**
 * Sends outbox messages that are not pages (status page subscribers). A
 * failure is retried like a page.
 */
export interface OutboxChannel {
  /** The `pager_id` its messages are queued under. */
  readonly id: string;
  deliver(payload: Record<string, unknown>): Promise<void>;
}

/** What a pager's filter may look at. */
export interface PagedIncident {
  severity: Severity;
  ownerGroups?: string[];
  affectedServices?: string[];
}

/** Deliveries sent at once per instance. */
const DELIVERY_BATCH = 50;
/** How long a claimed delivery is held before another run may retry it. */
const DELIVERY_LEASE_MS = 120_000;

/**
 * Paging: which pagers a page goes through, and delivering the outbox
 * through each (Backstage notifications, signed webhooks, pagers from the
 * extension point), retried with backoff.
 */
export class PagingService {
  constructor(
    private readonly options: {
      store: PagingStore;
      pagers: IncidentPager[];
      /** Channels of non-page messages, by id. */
      channels?: OutboxChannel[];
      retry: RetryPolicy;
      logger: LoggerService;
      /** The frontend's base URL, for links in pages. */
      appBaseUrl: string;
      /** Acknowledge links for pages (when configured). */
      ackLinks?: {
        linkFor(page: {
          id: string;
          recipient: string;
          dueAt: Date;
        }): string | undefined;
      };
      /** Per severity, the pagers pages go through (the severity policy). */
      pagersBySeverity?: Partial<Record<Severity, string[]>>;
      /** The clock; tests move it. */
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The pagers a page of this incident is delivered through: those the
   * severity policy names for its severity (all when it names none), each
   * taking the page if its own filter (`accepts`) does.
   */
  pagerIdsFor(incident: PagedIncident): string[] {
    const allowed = this.options.pagersBySeverity?.[incident.severity];
    return this.options.pagers
      .filter(p => !allowed || allowed.includes(p.id))
      .filter(p => {
        const filter = (
          p as { accepts?: (s: string, i: PagedIncident) => boolean }
        ).accepts;
        return filter ? filter.call(p, incident.severity, incident) : true;
      })
      .map(p => p.id);
  }

  openPagesOf(userRef: string) {
    return this.options.store.openPagesOf(userRef);
  }

  pagesOf(incidentId: string) {
    return this.options.store.pagesOf(incidentId);
  }

  /** Chat posts about an incident, with their delivery audit. */
  messagesOf(incidentId: string) {
    return this.options.store.messagesOf(incidentId);
  }

  pagedUsers(incidentId: string) {
    return this.options.store.pagedUsers(incidentId);
  }

  /** Sends every due delivery, batch after batch. */
  async deliverDue(): Promise<{ sent: number; failed: number }> {
    const result = { sent: 0, failed: 0 };
    const pagers = new Map(this.options.pagers.map(p => [p.id, p]));
    const channels = new Map((this.options.channels ?? []).map(c => [c.id, c]));
    for (;;) {
      const claimed = await this.options.store.claimDeliveries({
        now: this.now(),
        limit: DELIVERY_BATCH,
        leaseMs: DELIVERY_LEASE_MS,
      });
      if (claimed.length === 0) break;
      await Promise.all(
        claimed.map(async delivery => {
          const attempt = delivery.attempts + 1;
          const startedAt = Date.now();
          let error: string | undefined;
          try {
            await this.send(delivery, pagers, channels);
          } catch (e) {
            error = e instanceof Error ? e.message : String(e);
            this.options.logger.warn(
              `Delivery ${delivery.id} via ${delivery.pagerId} failed (attempt ${attempt}): ${error}`,
            );
          }
          await this.options.store.recordAttempt({
            deliveryId: delivery.id,
            attempt,
            ok: !error,
            error,
            durationMs: Date.now() - startedAt,
            now: this.now(),
            retry: this.options.retry,
          });
          if (error) result.failed += 1;
          else result.sent += 1;
        }),
      );
      if (claimed.length < DELIVERY_BATCH) break;
    }
    return result;
  }

  /** Sends one delivery: a page through its pager, a message through its channel. */
  private async send(
    delivery: ClaimedDelivery,
    pagers: Map<string, IncidentPager>,
    channels: Map<string, OutboxChannel>,
  ) {
    if (!delivery.page || !delivery.incident) {
      const channel = channels.get(delivery.pagerId);
      if (!channel) {
        throw new Error(`channel '${delivery.pagerId}' is not configured`);
      }
      await channel.deliver(delivery.payload ?? {});
      return;
    }
    const pager = pagers.get(delivery.pagerId);
    if (!pager) {
      throw new Error(`pager '${delivery.pagerId}' is not configured`);
    }
    const acknowledgeUrl = this.options.ackLinks?.linkFor(delivery.page);
    await pager.send({
      pageId: delivery.page.id,
      incident: {
        ...delivery.incident,
        url: `${this.options.appBaseUrl}/incidents/${delivery.incident.id}`,
      },
      recipient: delivery.page.recipient,
      step: delivery.page.step,
      ...(acknowledgeUrl ? { acknowledgeUrl } : {}),
    });
  }
}
