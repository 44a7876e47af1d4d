/*
 * Pages, their deliveries and every delivery attempt.
 *
 * Guarantees:
 * - A page is unique per (timer, recipient) and a delivery per (page,
 *   pager), so a timer fired twice could not page twice (the escalation
 *   store's claim already prevents that).
 * - A delivery is leased while it is sent (PostgreSQL: claimed with FOR
 *   UPDATE SKIP LOCKED, so replicas split the due deliveries); a sender that
 *   dies leaves it for another run once the lease runs out.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  IncidentPageRecord,
  MyOpenPage,
  PageDelivery,
} from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { IncidentReader } from '../incidents/IncidentStore';
import { isPostgres } from '../lib/database';
import { applyDatabaseMigrations } from '../lib/migrations';
import { insertChunked, tableStamp, toIso } from '../lib/rows';
import {
  ChannelMessageRecord,
  ClaimedDelivery,
  NewMessage,
  NewPage,
  PageRef,
  PagingStore,
  RetryPolicy,
} from './PagingStore';

/** Pages and deliveries in Backstage's database. */
export class DatabasePagingStore implements PagingStore {
  static async create(options: {
    database: DatabaseService;
    incidents: IncidentReader;
  }): Promise<DatabasePagingStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabasePagingStore(knex, options.incidents);
  }

  private constructor(
    private readonly knex: Knex,
    private readonly incidents: IncidentReader,
  ) {}

  async addPages(
    tx: Knex.Transaction,
    pages: NewPage[],
    now: Date,
  ): Promise<void> {
    await insertChunked(
      tx,
      'incident_page',
      pages.map(p => ({
        id: p.id,
        incident_id: p.incidentId,
        escalation_id: p.escalationId,
        timer_id: p.timerId,
        round: p.round,
        step: p.step,
        recipient: p.recipient,
        via: p.via,
        due_at: p.dueAt,
        created_at: now,
      })),
    );
    await insertChunked(
      tx,
      'incident_page_delivery',
      pages.flatMap(p =>
        p.pagerIds.map(pagerId => ({
          id: randomUUID(),
          page_id: p.id,
          pager_id: pagerId,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
        })),
      ),
    );
  }

  async addMessages(
    tx: Knex.Transaction,
    messages: NewMessage[],
    now: Date,
  ): Promise<void> {
    await insertChunked(
      tx,
      'incident_page_delivery',
      messages.map(m => ({
        id: randomUUID(),
        page_id: null,
        pager_id: m.channelId,
        incident_id: m.incidentId ?? null,
        payload: JSON.stringify(m.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })),
    );
  }

  async claimDeliveries(options: {
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<ClaimedDelivery[]> {
    const { now, limit, leaseMs } = options;
    const rows: any[] = await this.knex.transaction(
      async (tx): Promise<any[]> => {
        let due = tx('incident_page_delivery')
          .where(q =>
            q
              .where(w =>
                w
                  .where('status', 'pending')
                  .where('next_attempt_at', '<=', now),
              )
              .orWhere(w =>
                w.where('status', 'sending').where('lease_until', '<', now),
              ),
          )
          .orderBy('next_attempt_at', 'asc')
          .limit(limit)
          .select('id');
        if (isPostgres(this.knex)) {
          due = due.forUpdate().skipLocked();
        }
        const ids = (await due).map(r => r.id as string);
        if (ids.length === 0) {
          return [];
        }
        await tx('incident_page_delivery')
          .whereIn('id', ids)
          .update({
            status: 'sending',
            lease_until: new Date(now.getTime() + leaseMs),
          });
        return await tx('incident_page_delivery as d')
          .leftJoin('incident_page as p', 'p.id', 'd.page_id')
          .whereIn('d.id', ids)
          .select(
            'd.id',
            'd.pager_id',
            'd.attempts',
            'd.payload',
            'p.id as page_id',
            'p.incident_id',
            'p.recipient',
            'p.step',
            'p.round',
            'p.due_at',
          );
      },
    );
    const incidents = await this.incidents.summaries([
      ...new Set(rows.flatMap(r => (r.incident_id ? [r.incident_id] : []))),
    ]);
    return rows.map((r): ClaimedDelivery => {
      if (!r.page_id) {
        return {
          id: r.id,
          pagerId: r.pager_id,
          attempts: Number(r.attempts),
          payload: JSON.parse(r.payload ?? '{}'),
        };
      }
      const incident = incidents.get(r.incident_id);
      return {
        id: r.id,
        pagerId: r.pager_id,
        attempts: Number(r.attempts),
        page: {
          id: r.page_id,
          recipient: r.recipient,
          step: Number(r.step),
          round: Number(r.round),
          dueAt: new Date(toIso(r.due_at)!),
        },
        incident: {
          id: r.incident_id,
          ref: incident?.ref ?? r.incident_id,
          title: incident?.title ?? '',
          severity: incident?.severity ?? 'sev3',
        },
      };
    });
  }

  async recordAttempt(options: {
    deliveryId: string;
    attempt: number;
    ok: boolean;
    error?: string;
    durationMs: number;
    now: Date;
    retry: RetryPolicy;
  }): Promise<void> {
    const { deliveryId, attempt, ok, error, durationMs, now, retry } = options;
    await this.knex.transaction(async tx => {
      await tx('incident_page_attempt').insert({
        delivery_id: deliveryId,
        attempt,
        at: now,
        ok,
        error: error ?? null,
        duration_ms: Math.round(durationMs),
      });
      if (ok) {
        await tx('incident_page_delivery').where({ id: deliveryId }).update({
          status: 'sent',
          attempts: attempt,
          sent_at: now,
          lease_until: null,
          last_error: null,
        });
        return;
      }
      const giveUp = attempt >= retry.maxAttempts;
      const backoff = Math.min(
        retry.initialBackoffMs * 2 ** (attempt - 1),
        retry.maxBackoffMs,
      );
      await tx('incident_page_delivery')
        .where({ id: deliveryId })
        .update({
          status: giveUp ? 'failed' : 'pending',
          attempts: attempt,
          next_attempt_at: new Date(now.getTime() + (giveUp ? 0 : backoff)),
          lease_until: null,
          last_error: error ?? 'failed',
        });
    });
  }

  async pagesOf(
    incidentId: string,
  ): Promise<Map<string, IncidentPageRecord[]>> {
    const pages = await this.knex('incident_page')
      .where({ incident_id: incidentId })
      .orderBy([{ column: 'created_at' }, { column: 'recipient' }]);
    const deliveries = await this.deliveriesOf(pages.map(p => p.id));
    const result = new Map<string, IncidentPageRecord[]>();
    for (const p of pages) {
      const list = result.get(p.escalation_id) ?? [];
      list.push({
        id: p.id,
        incidentId,
        recipient: p.recipient,
        round: Number(p.round),
        step: Number(p.step),
        via: p.via ?? undefined,
        dueAt: toIso(p.due_at)!,
        createdAt: toIso(p.created_at)!,
        deliveries: deliveries.get(p.id) ?? [],
      });
      result.set(p.escalation_id, list);
    }
    return result;
  }

  async openPagesOf(recipient: string, limit = 50): Promise<MyOpenPage[]> {
    const rows = await this.knex('incident_page as p')
      .where('p.recipient', recipient)
      .whereIn(
        'p.incident_id',
        this.incidents.selectIds({ statuses: ['open'], topLevel: true }),
      )
      .orderBy('p.created_at', 'desc')
      .limit(limit * 5)
      .select('p.id', 'p.step', 'p.created_at', 'p.incident_id');
    const incidents = await this.incidents.summaries([
      ...new Set(rows.map(r => r.incident_id as string)),
    ]);
    const seen = new Set<string>();
    const result: MyOpenPage[] = [];
    for (const r of rows) {
      const incident = incidents.get(r.incident_id);
      if (!incident || seen.has(r.incident_id) || result.length >= limit) {
        continue;
      }
      seen.add(r.incident_id);
      result.push({
        pageId: r.id,
        step: Number(r.step),
        createdAt: toIso(r.created_at)!,
        incident: {
          id: incident.id,
          ref: incident.ref,
          title: incident.title,
          severity: incident.severity,
          status: incident.status,
          createdAt: incident.openedAt,
        },
      });
    }
    return result;
  }

  async interruptions(options: {
    from: Date;
    to: Date;
    incidents?: Knex.QueryBuilder;
  }): Promise<Array<{ recipient: string; at: Date; via?: string }>> {
    const { knex } = this;
    const pages = knex('incident_page')
      .where('created_at', '>=', options.from)
      .where('created_at', '<', options.to);
    if (options.incidents) pages.whereIn('incident_id', options.incidents);
    // Engine difference: epoch milliseconds on SQLite, timestamptz here.
    const gap = isPostgres(knex)
      ? "created_at - prev > interval '60 seconds'"
      : 'created_at - prev > 60000';
    const rows = await knex
      .with(
        'p',
        pages.select(
          'recipient',
          'via',
          'created_at',
          knex.raw(
            'lag(created_at) over (partition by recipient order by created_at) as prev',
          ),
        ),
      )
      .from('p')
      .whereNull('prev')
      .orWhereRaw(gap)
      .select('recipient', 'via', 'created_at');
    return rows.map((r: any) => ({
      recipient: r.recipient,
      at: new Date(toIso(r.created_at)!),
      via: r.via ?? undefined,
    }));
  }

  async pagesStamp(): Promise<string> {
    return tableStamp(this.knex, 'incident_page');
  }

  async pagedUsers(incidentId: string): Promise<string[]> {
    const rows = await this.knex('incident_page')
      .where({ incident_id: incidentId })
      .distinct('recipient');
    return rows.map(r => r.recipient);
  }

  async messagesOf(incidentId: string): Promise<ChannelMessageRecord[]> {
    const rows = await this.knex('incident_page_delivery')
      .where({ incident_id: incidentId })
      .whereNull('page_id')
      .orderBy([{ column: 'created_at' }, { column: 'pager_id' }])
      .limit(500);
    const attempts = await this.attemptsOf(rows.map(r => r.id));
    return rows.map(d => ({
      channelId: d.pager_id,
      event: JSON.parse(d.payload ?? '{}').event ?? undefined,
      createdAt: toIso(d.created_at)!,
      delivery: toDelivery(d, attempts.get(d.id) ?? []),
    }));
  }

  private async attemptsOf(deliveryIds: string[]) {
    const byDelivery = new Map<string, any[]>();
    for (let i = 0; i < deliveryIds.length; i += 500) {
      const rows = await this.knex('incident_page_attempt')
        .whereIn('delivery_id', deliveryIds.slice(i, i + 500))
        .orderBy('id');
      for (const a of rows) {
        const list = byDelivery.get(a.delivery_id) ?? [];
        list.push(a);
        byDelivery.set(a.delivery_id, list);
      }
    }
    return byDelivery;
  }

  async getPage(pageId: string): Promise<PageRef | undefined> {
    // Not a uuid: no such page (PostgreSQL would refuse the comparison).
    if (!/^[0-9a-f-]{36}$/i.test(pageId)) return undefined;
    const row = await this.knex('incident_page').where({ id: pageId }).first();
    return row
      ? {
          id: row.id,
          incidentId: row.incident_id,
          recipient: row.recipient,
          step: Number(row.step),
          dueAt: new Date(toIso(row.due_at)!),
        }
      : undefined;
  }

  private async deliveriesOf(
    pageIds: string[],
  ): Promise<Map<string, PageDelivery[]>> {
    const result = new Map<string, PageDelivery[]>();
    if (pageIds.length === 0) {
      return result;
    }
    const deliveries: any[] = [];
    const attempts: any[] = [];
    for (let i = 0; i < pageIds.length; i += 500) {
      deliveries.push(
        ...(await this.knex('incident_page_delivery')
          .whereIn('page_id', pageIds.slice(i, i + 500))
          .orderBy('pager_id')),
      );
    }
    const deliveryIds = deliveries.map(d => d.id);
    for (let i = 0; i < deliveryIds.length; i += 500) {
      attempts.push(
        ...(await this.knex('incident_page_attempt')
          .whereIn('delivery_id', deliveryIds.slice(i, i + 500))
          .orderBy('id')),
      );
    }
    for (const d of deliveries) {
      const list = result.get(d.page_id) ?? [];
      list.push({
        pagerId: d.pager_id,
        status: d.status,
        nextAttemptAt:
          d.status === 'pending' ? toIso(d.next_attempt_at) : undefined,
        sentAt: toIso(d.sent_at),
        lastError: d.last_error ?? undefined,
        attempts: attempts
          .filter(a => a.delivery_id === d.id)
          .map(a => ({
            attempt: Number(a.attempt),
            at: toIso(a.at)!,
            ok: Boolean(a.ok),
            error: a.error ?? undefined,
            durationMs: a.duration_ms ?? undefined,
          })),
      });
      result.set(d.page_id, list);
    }
    return result;
  }
}

/** A delivery row and its attempts as the API shows them. */
function toDelivery(d: any, attempts: any[]): PageDelivery {
  return {
    pagerId: d.pager_id,
    status: d.status,
    nextAttemptAt:
      d.status === 'pending' ? toIso(d.next_attempt_at) : undefined,
    sentAt: toIso(d.sent_at),
    lastError: d.last_error ?? undefined,
    attempts: attempts.map(a => ({
      attempt: Number(a.attempt),
      at: toIso(a.at)!,
      ok: Boolean(a.ok),
      error: a.error ?? undefined,
      durationMs: a.duration_ms ?? undefined,
    })),
  };
}
