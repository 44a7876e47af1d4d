/*
 * Escalation: starts paging incidents, fires their durable timers and stops
 * them when someone acknowledges.
 *
 * Guarantees (with the stores): each step of an escalation pages exactly
 * once across replicas and restarts. A due timer is claimed, its incident
 * share-locked (so an acknowledgement either happens before the page or
 * stops it), and its pages, deliveries, timeline entry and next timer are
 * written in one transaction.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  EscalationPolicy,
  INCIDENTS_SIGNAL_CHANNEL,
  IncidentEscalation,
  IncidentSignal,
  Severity,
} from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import {
  IncidentChangeResult,
  IncidentReader,
  IncidentSummary,
  TimelineStore,
} from '../incidents/IncidentStore';
import { TransactionRunner } from '../lib/database';
import { TaskDefinition } from '../lib/tasks';
import { PagingService } from '../paging/PagingService';
import { PagingStore } from '../paging/PagingStore';
import { EscalationConfig } from './config';
import { EscalationStore } from './EscalationStore';
import { PolicySelector } from './policies';
import { RecipientResolver } from './recipients';
import { ESCALATION_ACTOR, planFiring } from './stepping';

/** Timers fired per transaction. */
const FIRE_BATCH = 100;
/** How far back the timer task looks for incidents paging never started for. */
const RECONCILE_WINDOW_MS = 24 * 3_600_000;

/** A page written by a fired timer. */
export interface FiredPage {
  pageId: string;
  incidentId: string;
  recipient: string;
  step: number;
  round: number;
  dueAt: Date;
}

/** What a run of the timer task did. */
export interface TickResult {
  started: number;
  pages: FiredPage[];
  deliveries: { sent: number; failed: number };
}

/** The fields paging decisions need. */
export type PagingIncident = Pick<
  IncidentSummary,
  'id' | 'ref' | 'status' | 'severity' | 'parentId' | 'affectedServices'
>;

/** Picks policies, fires timers and hands pages to paging. */
export class EscalationService {
  private readonly instanceId: string;
  private running: Promise<TickResult> | undefined;
  private rerun = false;

  constructor(
    private readonly options: {
      db: TransactionRunner;
      store: EscalationStore;
      pages: PagingStore;
      paging: PagingService;
      incidents: IncidentReader;
      timeline: TimelineStore;
      config: EscalationConfig;
      policies: PolicySelector;
      recipients: RecipientResolver;
      logger: LoggerService;
      signals?: SignalsService;
      /** The clock; tests move it. */
      now?: () => Date;
      /** Run the timer task right after paging starts (off in clock tests). */
      kickOnStart?: boolean;
      instanceId?: string;
    },
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The timer task: every replica runs it; the database splits the due
   * timers and deliveries between them, so each fires and sends once.
   */
  tasks(): TaskDefinition[] {
    return [
      {
        id: 'incidents-escalation-timers',
        scope: 'local',
        frequency: this.options.config.interval,
        timeout: { minutes: 5 },
        fn: () => this.tick().then(() => undefined),
      },
    ];
  }

  listPolicies(): EscalationPolicy[] {
    return this.options.config.policies;
  }

  pagingSeverities(): Severity[] {
    return this.options.config.pagingSeverities;
  }

  policiesForEntity(entityRef: string) {
    return this.options.policies.policiesForEntity(entityRef);
  }

  /** An incident's escalations with their timers, pages and deliveries. */
  async escalationsOf(incidentId: string): Promise<IncidentEscalation[]> {
    const escalations = await this.options.store.listForIncident(incidentId);
    if (escalations.length === 0) {
      return [];
    }
    const pages = await this.options.pages.pagesOf(incidentId);
    return escalations.map(e => ({ ...e, pages: pages.get(e.id) ?? [] }));
  }

  /**
   * Starts paging an open, top-level incident of a paging severity
   * (idempotent). The first step is due at once.
   */
  async startPaging(incident: PagingIncident): Promise<void> {
    const { config, store } = this.options;
    if (
      config.policies.length === 0 ||
      incident.status !== 'open' ||
      incident.parentId ||
      !config.pagingSeverities.includes(incident.severity)
    ) {
      return;
    }
    if (await store.hasEscalation(incident.id)) {
      return;
    }
    const policies = await this.options.policies.policiesFor(
      incident.severity,
      incident.affectedServices,
    );
    const services = incident.affectedServices;
    const noPolicyReason = `No escalation policy pages ${incident.severity}${
      services.length ? ` for ${services.join(', ')}` : ''
    }`;
    const at = this.now();
    const { started } = await this.options.db.transaction(async tx => {
      const result = await store.start(tx, {
        incidentId: incident.id,
        policies,
        at,
        noPolicyReason,
      });
      if (result.recordedNoPolicy) {
        await this.options.timeline.write(
          tx,
          [
            {
              incidentId: incident.id,
              kind: 'escalation',
              actor: ESCALATION_ACTOR,
              message: noPolicyReason,
              auditAction: 'escalation-none',
            },
          ],
          at,
        );
      }
      return result;
    });
    if (started && this.options.kickOnStart !== false) {
      this.kick();
    }
  }

  /**
   * Reacts to a committed incident change: opening (or raising the
   * severity of) an incident starts paging; acknowledging, closing or
   * merging it stops the escalation.
   */
  async onIncidentChange(change: IncidentChangeResult, actor: string) {
    const { incident } = change;
    try {
      if (incident.status === 'open' && !incident.parentId) {
        await this.startPaging(incident);
        return;
      }
      const reason =
        change.verb === 'merged' || incident.parentId
          ? `merged by ${actor}`
          : `${change.verb} by ${actor}`;
      await this.stop(incident.id, actor, reason);
    } catch (error) {
      // The timer task starts missed escalations and stops running ones on
      // its own; this only makes it immediate.
      this.options.logger.warn(
        `Escalation update for ${incident.ref} failed: ${error}`,
      );
    }
  }

  /** Runs the timer task now, unless it is running (then once more after). */
  kick(): void {
    this.tick().catch(error =>
      this.options.logger.error(`Escalation run failed: ${error}`),
    );
  }

  /**
   * One run of the timer task: starts paging incidents that missed it,
   * fires every due timer and delivers every due page. Runs of one
   * instance never overlap; replicas split the work through the database.
   */
  async tick(): Promise<TickResult> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      const total: TickResult = {
        started: 0,
        pages: [],
        deliveries: { sent: 0, failed: 0 },
      };
      try {
        do {
          this.rerun = false;
          const result = await this.runOnce();
          total.started += result.started;
          total.pages.push(...result.pages);
          total.deliveries.sent += result.deliveries.sent;
          total.deliveries.failed += result.deliveries.failed;
        } while (this.rerun);
        return total;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  // ---- internals ----------------------------------------------------------

  private async runOnce(): Promise<TickResult> {
    const now = this.now();
    const started = await this.reconcile(now);
    const pages: FiredPage[] = [];
    for (;;) {
      const due = await this.options.store.dueTimers(now, FIRE_BATCH);
      if (due.length === 0) break;
      pages.push(...(await this.fire(due, now)));
      if (due.length < FIRE_BATCH) break;
    }
    const deliveries = await this.options.paging.deliverDue();
    return { started, pages, deliveries };
  }

  /**
   * Fires due timers: recipients resolved first (catalog and on-call reads
   * stay out of the transaction), then claim, lock, decide and write.
   */
  private async fire(
    due: Parameters<RecipientResolver['resolve']>[0],
    now: Date,
  ): Promise<FiredPage[]> {
    const batch = await this.options.recipients.resolve(due, now);
    const { store, incidents, pages, timeline, paging } = this.options;
    const fired = await this.options.db.transaction(async tx => {
      const claimed = await store.claimTimers(
        tx,
        batch.map(b => b.timer.id),
      );
      const mine = batch.filter(b => claimed.has(b.timer.id));
      if (mine.length === 0) {
        return { pages: [], incidents: new Map<string, IncidentSummary>() };
      }
      const locked = await incidents.lockForRead(tx, [
        ...new Set(mine.map(b => b.timer.incidentId)),
      ]);
      const plan = planFiring(mine, locked, i => paging.pagerIdsFor(i));
      await store.recordFiring(tx, plan.outcome, {
        now,
        instanceId: this.instanceId,
        actor: ESCALATION_ACTOR,
      });
      await pages.addPages(tx, plan.pages, now);
      await timeline.write(tx, plan.entries, now);
      return { pages: plan.pages, incidents: locked };
    });
    await this.signal([...fired.incidents.values()]);
    return fired.pages.map(p => ({
      pageId: p.id,
      incidentId: p.incidentId,
      recipient: p.recipient,
      step: p.step,
      round: p.round,
      dueAt: p.dueAt,
    }));
  }

  private async stop(incidentId: string, actor: string, reason: string) {
    const now = this.now();
    await this.options.db.transaction(async tx => {
      if (
        await this.options.store.stop(tx, { incidentId, actor, reason, now })
      ) {
        await this.options.timeline.write(
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
      }
    });
  }

  /** Starts paging for incidents opened while this never ran for them. */
  private async reconcile(now: Date): Promise<number> {
    const { config, store, incidents } = this.options;
    if (config.policies.length === 0) {
      return 0; // paging isn't configured
    }
    const missed = await store.unstarted({
      severities: config.pagingSeverities,
      since: new Date(now.getTime() - RECONCILE_WINDOW_MS),
      limit: 100,
    });
    const summaries = await incidents.summaries(missed);
    let started = 0;
    for (const id of missed) {
      const incident = summaries.get(id);
      if (incident) {
        await this.startPaging(incident);
        started += 1;
      }
    }
    return started;
  }

  private async signal(incidents: IncidentSummary[]) {
    if (!this.options.signals) return;
    for (const incident of incidents) {
      const message: IncidentSignal = {
        type: 'incident.paged',
        incidentId: incident.id,
        ref: incident.ref,
        title: incident.title,
        status: incident.status,
        severity: incident.severity,
        actor: ESCALATION_ACTOR,
      };
      try {
        await this.options.signals.publish({
          recipients: { type: 'broadcast' },
          channel: INCIDENTS_SIGNAL_CHANNEL,
          message: { ...message },
        });
      } catch (error) {
        this.options.logger.warn(`Could not signal a page: ${error}`);
      }
    }
  }
}
