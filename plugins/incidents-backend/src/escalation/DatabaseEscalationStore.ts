/*
 * Escalations, their durable timers, pages and deliveries.
 *
 * Guarantees:
 * - A timer fires at most once: it is claimed in the transaction that writes
 *   its pages (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so replicas
 *   split the due timers between them; both engines: a compare-and-set on the
 *   timer's status), and a page is unique per (timer, recipient).
 * - A timer fires at least once: it stays pending until that transaction
 *   commits, so a crash or restart leaves it for the next run.
 * - The incident row is share-locked while its timer fires (PostgreSQL), so
 *   an acknowledgement either happens before a page or stops it.
 * - Deliveries are an outbox written with the page; each is leased while it
 *   is sent, retried with backoff, and every attempt is recorded.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  EscalationPolicy,
  Incident,
  IncidentEscalation,
  IncidentPageRecord,
  MyOpenPage,
  PageDelivery,
  Severity,
} from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import {
  insertChunked,
  SystemTimelineEntry,
  toIso,
  writeTimelineEntries,
} from '../database/rows';

/** A due timer with what firing it needs. */
export interface DueTimer {
  id: string;
  escalationId: string;
  incidentId: string;
  round: number;
  step: number;
  dueAt: Date;
  policy: EscalationPolicy;
}

/** Who a due timer pages, resolved before it is claimed. */
export interface TimerRecipients {
  timer: DueTimer;
  recipients: Array<{ recipient: string; via: string }>;
}

/** A page written by a fired timer. */
export interface FiredPage {
  pageId: string;
  incidentId: string;
  recipient: string;
  step: number;
  round: number;
  dueAt: Date;
}

/** An incident a run of the timer task paged or stopped paging for. */
export interface PagedIncident {
  id: string;
  ref: string;
  title: string;
  status: string;
  severity: Severity;
}

/** The fields paging decisions need. */
export type PagingIncident = Pick<
  Incident,
  'id' | 'ref' | 'status' | 'severity' | 'parentId' | 'affectedServices'
>;

/** A delivery claimed for sending. */
export interface ClaimedDelivery {
  id: string;
  pagerId: string;
  attempts: number;
  page: {
    id: string;
    recipient: string;
    step: number;
    round: number;
    dueAt: Date;
  };
  incident: {
    id: string;
    ref: string;
    title: string;
    severity: Severity;
  };
}

/** The actor escalation writes timeline entries as. */
export const ESCALATION_ACTOR = 'system:escalation';

/** Escalation state in Backstage's database. */
export class DatabaseEscalationStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseEscalationStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabaseEscalationStore(knex);
  }

  private readonly isPostgres: boolean;

  constructor(private readonly knex: Knex) {
    this.isPostgres = knex.client.config.client === 'pg';
  }

  /**
   * Starts paging an incident: snapshots each policy and arms its first
   * step, due at `at`. Idempotent per (incident, policy). With no policies,
   * records that nothing pages, so the incident isn't considered again.
   * Returns the number of escalations started.
   */
  async start(options: {
    incidentId: string;
    policies: EscalationPolicy[];
    at: Date;
    noPolicyReason?: string;
  }): Promise<number> {
    const { incidentId, policies, at } = options;
    return this.knex.transaction(async tx => {
      if (policies.length === 0) {
        const inserted = await tx('incident_escalation')
          .insert({
            id: randomUUID(),
            incident_id: incidentId,
            policy_id: '',
            policy: JSON.stringify({
              id: '',
              name: 'No escalation policy',
              severities: [],
              services: [],
              repeat: 0,
              steps: [],
            }),
            status: 'stopped',
            started_at: at,
            stopped_at: at,
            stopped_by: ESCALATION_ACTOR,
            stop_reason: options.noPolicyReason ?? 'No escalation policy',
          })
          .onConflict(['incident_id', 'policy_id'])
          .ignore()
          .returning('id');
        if (inserted.length) {
          await writeTimelineEntries(
            tx,
            [
              {
                incidentId,
                kind: 'escalation',
                actor: ESCALATION_ACTOR,
                message: options.noPolicyReason ?? 'No escalation policy',
                auditAction: 'escalation-none',
              },
            ],
            at,
          );
        }
        return 0;
      }
      let started = 0;
      for (const policy of policies) {
        const id = randomUUID();
        const inserted = await tx('incident_escalation')
          .insert({
            id,
            incident_id: incidentId,
            policy_id: policy.id,
            policy: JSON.stringify(policy),
            status: 'active',
            started_at: at,
          })
          .onConflict(['incident_id', 'policy_id'])
          .ignore()
          .returning('id');
        if (!inserted.length) {
          continue;
        }
        started += 1;
        await tx('incident_escalation_timer').insert({
          id: randomUUID(),
          escalation_id: id,
          incident_id: incidentId,
          round: 0,
          step: 1,
          due_at: at,
          status: 'pending',
        });
      }
      return started;
    });
  }

  /** Whether paging was ever started (or ruled out) for the incident. */
  async hasEscalation(incidentId: string): Promise<boolean> {
    const row = await this.knex('incident_escalation')
      .where({ incident_id: incidentId })
      .first('id');
    return Boolean(row);
  }

  /**
   * Open, top-level incidents of a paging severity opened since `since` that
   * paging was never started for (e.g. the process stopped right after
   * opening one). The timer task starts them.
   */
  async unstarted(options: {
    severities: Severity[];
    since: Date;
    limit: number;
  }): Promise<Array<{ id: string }>> {
    if (options.severities.length === 0) {
      return [];
    }
    return this.knex('incident as i')
      .where('i.status', 'open')
      .whereIn('i.severity', options.severities)
      .whereNull('i.parent_id')
      .where('i.opened_at', '>=', options.since)
      .whereNotExists(q =>
        q
          .select(this.knex.raw('1'))
          .from('incident_escalation as e')
          .whereRaw('e.incident_id = i.id'),
      )
      .orderBy('i.opened_at', 'asc')
      .limit(options.limit)
      .select('i.id');
  }

  /** An incident's paging-relevant fields, or undefined if it is gone. */
  async incidentForPaging(id: string): Promise<PagingIncident | undefined> {
    const row = await this.knex('incident')
      .where({ id })
      .first('id', 'ref_number', 'status', 'severity', 'parent_id');
    if (!row) return undefined;
    const services = await this.knex('incident_service')
      .where({ incident_id: id })
      .orderBy('entity_ref')
      .pluck('entity_ref');
    return {
      id: row.id,
      ref: `INC-${row.ref_number}`,
      status: row.status,
      severity: row.severity,
      parentId: row.parent_id ?? undefined,
      affectedServices: services,
    };
  }

  /** Pending timers due at `now`, oldest first. */
  async dueTimers(now: Date, limit: number): Promise<DueTimer[]> {
    const rows = await this.knex('incident_escalation_timer as t')
      .join('incident_escalation as e', 'e.id', 't.escalation_id')
      .where('t.status', 'pending')
      .where('t.due_at', '<=', now)
      .orderBy('t.due_at', 'asc')
      .limit(limit)
      .select(
        't.id',
        't.escalation_id',
        't.incident_id',
        't.round',
        't.step',
        't.due_at',
        'e.policy',
      );
    return rows.map(r => ({
      id: r.id,
      escalationId: r.escalation_id,
      incidentId: r.incident_id,
      round: Number(r.round),
      step: Number(r.step),
      dueAt: new Date(r.due_at),
      policy: JSON.parse(r.policy),
    }));
  }

  /**
   * Fires due timers whose recipients were resolved: claims each (a timer
   * another replica holds or already fired is skipped), and for an incident
   * still unacknowledged writes its pages, their deliveries, the timeline
   * entry and the next timer — all in one transaction. A timer whose
   * incident was acknowledged, closed or merged stops its escalation.
   */
  async fire(options: {
    batch: TimerRecipients[];
    now: Date;
    instanceId: string;
    pagersFor: (severity: Severity) => string[];
  }): Promise<{ pages: FiredPage[]; incidents: PagedIncident[] }> {
    const { batch, now, instanceId } = options;
    if (batch.length === 0) {
      return { pages: [], incidents: [] };
    }
    return this.knex.transaction(async tx => {
      let claim = tx('incident_escalation_timer')
        .whereIn(
          'id',
          batch.map(b => b.timer.id),
        )
        .where('status', 'pending')
        .select('id');
      if (this.isPostgres) {
        claim = claim.forUpdate().skipLocked();
      }
      const claimed = new Set((await claim).map(r => r.id as string));
      const mine = batch.filter(b => claimed.has(b.timer.id));
      if (mine.length === 0) {
        return { pages: [], incidents: [] };
      }
      const incidentIds = [...new Set(mine.map(b => b.timer.incidentId))];
      let incidentQuery = tx('incident')
        .whereIn('id', incidentIds)
        .select('id', 'ref_number', 'title', 'status', 'severity', 'parent_id');
      if (this.isPostgres) {
        incidentQuery = incidentQuery.forShare();
      }
      const incidents = new Map(
        (await incidentQuery).map(r => [r.id as string, r]),
      );

      const pages: FiredPage[] = [];
      const pageRows: Record<string, unknown>[] = [];
      const deliveryRows: Record<string, unknown>[] = [];
      const nextTimers: Record<string, unknown>[] = [];
      const entries: SystemTimelineEntry[] = [];
      const fired: string[] = [];
      const cancelled: string[] = [];
      const exhausted: string[] = [];
      const stopped = new Map<string, string>();

      for (const { timer, recipients } of mine) {
        const incident = incidents.get(timer.incidentId);
        const stopReason = whyNotPage(incident);
        if (stopReason) {
          cancelled.push(timer.id);
          stopped.set(timer.escalationId, stopReason);
          continue;
        }
        fired.push(timer.id);
        const { policy } = timer;
        const unique = new Map<string, string>();
        for (const r of recipients) {
          if (!unique.has(r.recipient)) unique.set(r.recipient, r.via);
        }
        const pagerIds = options.pagersFor(incident.severity);
        for (const [recipient, via] of unique) {
          const pageId = randomUUID();
          pageRows.push({
            id: pageId,
            incident_id: timer.incidentId,
            escalation_id: timer.escalationId,
            timer_id: timer.id,
            round: timer.round,
            step: timer.step,
            recipient,
            via,
            due_at: timer.dueAt,
            created_at: now,
          });
          for (const pagerId of pagerIds) {
            deliveryRows.push({
              id: randomUUID(),
              page_id: pageId,
              pager_id: pagerId,
              status: 'pending',
              attempts: 0,
              next_attempt_at: now,
            });
          }
          pages.push({
            pageId,
            incidentId: timer.incidentId,
            recipient,
            step: timer.step,
            round: timer.round,
            dueAt: timer.dueAt,
          });
        }
        entries.push(
          pageEntry(timer, [...unique.keys()], policy, recipients.length),
        );

        // Arm the next step (or the next round); a step's delay counts from
        // when it was due, so a late run doesn't push the rest back.
        const delayMs = policy.steps[timer.step - 1].delayMinutes * 60_000;
        const next = nextStep(policy, timer);
        if (next) {
          nextTimers.push({
            id: randomUUID(),
            escalation_id: timer.escalationId,
            incident_id: timer.incidentId,
            ...next,
            due_at: new Date(timer.dueAt.getTime() + delayMs),
            status: 'pending',
          });
        } else {
          exhausted.push(timer.escalationId);
        }
      }

      if (fired.length) {
        await tx('incident_escalation_timer')
          .whereIn('id', fired)
          .update({ status: 'fired', fired_at: now, fired_by: instanceId });
      }
      await insertChunked(tx, 'incident_page', pageRows);
      await insertChunked(tx, 'incident_page_delivery', deliveryRows);
      await insertChunked(tx, 'incident_escalation_timer', nextTimers);
      if (exhausted.length) {
        await tx('incident_escalation')
          .whereIn('id', exhausted)
          .where('status', 'active')
          .update({
            status: 'exhausted',
            stopped_at: now,
            stop_reason: 'every step paged; nobody acknowledged',
          });
      }
      if (cancelled.length) {
        await tx('incident_escalation_timer')
          .whereIn('id', cancelled)
          .update({ status: 'cancelled' });
        for (const [escalationId, reason] of stopped) {
          await tx('incident_escalation')
            .where({ id: escalationId, status: 'active' })
            .update({
              status: 'stopped',
              stopped_at: now,
              stopped_by: ESCALATION_ACTOR,
              stop_reason: reason,
            });
        }
      }
      await writeTimelineEntries(tx, entries, now);
      return {
        pages,
        incidents: [...incidents.values()].map(r => ({
          id: r.id,
          ref: `INC-${r.ref_number}`,
          title: r.title,
          status: r.status,
          severity: r.severity,
        })),
      };
    });
  }

  /**
   * Stops every running escalation of an incident (on acknowledgement, or
   * when it is closed or merged) and cancels their timers. Returns whether
   * anything was running.
   */
  async stop(options: {
    incidentId: string;
    actor: string;
    reason: string;
    now: Date;
  }): Promise<boolean> {
    const { incidentId, actor, reason, now } = options;
    return this.knex.transaction(async tx => {
      const stopped = await tx('incident_escalation')
        .where({ incident_id: incidentId, status: 'active' })
        .update({
          status: 'stopped',
          stopped_at: now,
          stopped_by: actor,
          stop_reason: reason,
        });
      if (!stopped) {
        return false;
      }
      await tx('incident_escalation_timer')
        .where({ incident_id: incidentId, status: 'pending' })
        .update({ status: 'cancelled' });
      await writeTimelineEntries(
        tx,
        [
          {
            incidentId,
            kind: 'escalation',
            actor,
            message: `Escalation stopped: ${reason}`,
            auditAction: 'escalation-stopped',
          },
        ],
        now,
      );
      return true;
    });
  }

  /**
   * Claims deliveries that are due (new, due for a retry, or whose lease ran
   * out because the sender died) and leases them for `leaseMs`.
   */
  async claimDeliveries(options: {
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<ClaimedDelivery[]> {
    const { now, limit, leaseMs } = options;
    return this.knex.transaction(async tx => {
      let due = tx('incident_page_delivery')
        .where(q =>
          q
            .where(w =>
              w.where('status', 'pending').where('next_attempt_at', '<=', now),
            )
            .orWhere(w =>
              w.where('status', 'sending').where('lease_until', '<', now),
            ),
        )
        .orderBy('next_attempt_at', 'asc')
        .limit(limit)
        .select('id');
      if (this.isPostgres) {
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
      const rows = await tx('incident_page_delivery as d')
        .join('incident_page as p', 'p.id', 'd.page_id')
        .join('incident as i', 'i.id', 'p.incident_id')
        .whereIn('d.id', ids)
        .select(
          'd.id',
          'd.pager_id',
          'd.attempts',
          'p.id as page_id',
          'p.recipient',
          'p.step',
          'p.round',
          'p.due_at',
          'i.id as incident_id',
          'i.ref_number',
          'i.title',
          'i.severity',
        );
      return rows.map(r => ({
        id: r.id,
        pagerId: r.pager_id,
        attempts: Number(r.attempts),
        page: {
          id: r.page_id,
          recipient: r.recipient,
          step: Number(r.step),
          round: Number(r.round),
          dueAt: new Date(r.due_at),
        },
        incident: {
          id: r.incident_id,
          ref: `INC-${r.ref_number}`,
          title: r.title,
          severity: r.severity,
        },
      }));
    });
  }

  /**
   * Records one delivery attempt: sent, or failed and scheduled for a retry
   * with exponential backoff until `maxAttempts`.
   */
  async recordAttempt(options: {
    deliveryId: string;
    attempt: number;
    ok: boolean;
    error?: string;
    durationMs: number;
    now: Date;
    retry: {
      maxAttempts: number;
      initialBackoffMs: number;
      maxBackoffMs: number;
    };
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

  /** Escalations of an incident with their timers, pages and deliveries. */
  async listForIncident(incidentId: string): Promise<IncidentEscalation[]> {
    const escalations = await this.knex('incident_escalation')
      .where({ incident_id: incidentId })
      .orderBy('started_at', 'asc');
    if (escalations.length === 0) {
      return [];
    }
    const [timers, pages] = await Promise.all([
      this.knex('incident_escalation_timer')
        .where({ incident_id: incidentId })
        .orderBy(['round', 'step']),
      this.knex('incident_page')
        .where({ incident_id: incidentId })
        .orderBy([{ column: 'created_at' }, { column: 'recipient' }]),
    ]);
    const deliveries = await this.deliveriesOf(pages.map(p => p.id));
    return escalations.map(e => ({
      id: e.id,
      incidentId,
      policy: JSON.parse(e.policy),
      status: e.status,
      startedAt: toIso(e.started_at)!,
      stoppedAt: toIso(e.stopped_at),
      stoppedBy: e.stopped_by ?? undefined,
      stopReason: e.stop_reason ?? undefined,
      timers: timers
        .filter(t => t.escalation_id === e.id)
        .map(t => ({
          round: Number(t.round),
          step: Number(t.step),
          dueAt: toIso(t.due_at)!,
          status: t.status,
          firedAt: toIso(t.fired_at),
        })),
      pages: pages
        .filter(p => p.escalation_id === e.id)
        .map(
          (p): IncidentPageRecord => ({
            id: p.id,
            incidentId,
            recipient: p.recipient,
            round: Number(p.round),
            step: Number(p.step),
            via: p.via ?? undefined,
            dueAt: toIso(p.due_at)!,
            createdAt: toIso(p.created_at)!,
            deliveries: deliveries.get(p.id) ?? [],
          }),
        ),
    }));
  }

  /** My latest page on each incident nobody has acknowledged yet. */
  async openPagesOf(recipient: string, limit = 50): Promise<MyOpenPage[]> {
    const rows = await this.knex('incident_page as p')
      .join('incident as i', 'i.id', 'p.incident_id')
      .where('p.recipient', recipient)
      .where('i.status', 'open')
      .whereNull('i.parent_id')
      .orderBy('p.created_at', 'desc')
      .limit(limit * 5)
      .select(
        'p.id',
        'p.step',
        'p.created_at',
        'i.id as incident_id',
        'i.ref_number',
        'i.title',
        'i.severity',
        'i.status',
        'i.opened_at',
      );
    const seen = new Set<string>();
    const result: MyOpenPage[] = [];
    for (const r of rows) {
      if (seen.has(r.incident_id) || result.length >= limit) continue;
      seen.add(r.incident_id);
      result.push({
        pageId: r.id,
        step: Number(r.step),
        createdAt: toIso(r.created_at)!,
        incident: {
          id: r.incident_id,
          ref: `INC-${r.ref_number}`,
          title: r.title,
          severity: r.severity,
          status: r.status,
          createdAt: toIso(r.opened_at)!,
        },
      });
    }
    return result;
  }

  /** Users paged on an incident (for "the paged user may acknowledge"). */
  async pagedUsers(incidentId: string): Promise<string[]> {
    const rows = await this.knex('incident_page')
      .where({ incident_id: incidentId })
      .distinct('recipient');
    return rows.map(r => r.recipient);
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
      const chunk = pageIds.slice(i, i + 500);
      deliveries.push(
        ...(await this.knex('incident_page_delivery')
          .whereIn('page_id', chunk)
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

/** Why a timer of this incident must not page, if it must not. */
function whyNotPage(
  incident: { parent_id: string | null; status: string } | undefined,
): string | undefined {
  if (!incident) return 'incident deleted';
  if (incident.parent_id) return 'merged into another incident';
  if (incident.status !== 'open') return `incident is ${incident.status}`;
  return undefined;
}

/** The step after a timer's: the next one, the first of the next round, or none. */
function nextStep(
  policy: EscalationPolicy,
  timer: { round: number; step: number },
): { round: number; step: number } | undefined {
  if (timer.step < policy.steps.length) {
    return { round: timer.round, step: timer.step + 1 };
  }
  if (timer.round < policy.repeat) {
    return { round: timer.round + 1, step: 1 };
  }
  return undefined;
}

function targetLabel(policy: EscalationPolicy, step: number): string {
  return policy.steps[step - 1].targets
    .map(t => {
      if ('schedule' in t) return `schedule ${t.schedule}`;
      return 'user' in t ? t.user : t.group;
    })
    .join(', ');
}

function pageEntry(
  timer: DueTimer,
  recipients: string[],
  policy: EscalationPolicy,
  resolved: number,
): SystemTimelineEntry {
  const where = `step ${timer.step}/${policy.steps.length}${
    timer.round > 0 ? `, repeat ${timer.round}` : ''
  } of ${policy.name}`;
  const who = recipients.length
    ? `Paged ${recipients.join(', ')}`
    : `Nobody to page (${targetLabel(policy, timer.step)}: ${
        resolved ? 'no recipients' : 'nobody on call'
      })`;
  const escalated = timer.step > 1 || timer.round > 0;
  const previousDelay = escalated
    ? policy.steps[
        (timer.step === 1 ? policy.steps.length : timer.step - 1) - 1
      ].delayMinutes
    : 0;
  return {
    incidentId: timer.incidentId,
    kind: escalated ? 'escalation' : 'page',
    actor: ESCALATION_ACTOR,
    message: escalated
      ? `Not acknowledged within ${previousDelay} min: escalated to ${where}. ${who}`
      : `${who} (${where})`,
    data: {
      policyId: policy.id,
      step: timer.step,
      round: timer.round,
      recipients,
      dueAt: timer.dueAt.toISOString(),
    },
    auditAction: escalated ? 'escalation' : 'page',
  };
}
