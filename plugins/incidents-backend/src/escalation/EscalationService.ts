import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ANNOTATION_ESCALATION_POLICY,
  EscalationPolicy,
  EscalationTarget,
  INCIDENTS_SIGNAL_CHANNEL,
  IncidentSignal,
  Severity,
} from '@vigil/plugin-incidents-common';
import { IncidentPager } from '@vigil/plugin-incidents-node';
import { randomUUID } from 'node:crypto';
import { IncidentChangeResult } from '../incidents/types';
import { EscalationConfig } from './config';
import {
  DatabaseEscalationStore,
  DueTimer,
  ESCALATION_ACTOR,
  FiredPage,
  PagedIncident,
  PagingIncident,
  TimerRecipients,
} from './DatabaseEscalationStore';

/** Timers fired per transaction. */
const FIRE_BATCH = 100;
/** Deliveries sent at once per instance. */
const DELIVERY_BATCH = 50;
/** How long a claimed delivery is held before another run may retry it. */
const DELIVERY_LEASE_MS = 120_000;
/** How far back the timer task looks for incidents paging never started for. */
const RECONCILE_WINDOW_MS = 24 * 3_600_000;

/** What a run of the timer task did. */
export interface TickResult {
  started: number;
  pages: FiredPage[];
  deliveries: { sent: number; failed: number };
}

/**
 * Escalation: picks the policies that page an incident, fires their durable
 * timers, and delivers pages through every pager.
 */
export class EscalationService {
  private readonly instanceId: string;
  private running: Promise<TickResult> | undefined;
  private rerun = false;

  constructor(
    private readonly options: {
      store: DatabaseEscalationStore;
      config: EscalationConfig;
      pagers: IncidentPager[];
      /** The users on call for schedules at an instant. */
      onCallUsers: (
        scheduleIds: string[],
        at: Date,
      ) => Promise<Map<string, string>>;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      signals?: SignalsService;
      /** The frontend's base URL, for links in pages. */
      appBaseUrl: string;
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

  listPolicies(): EscalationPolicy[] {
    return this.options.config.policies;
  }

  pagingSeverities(): Severity[] {
    return this.options.config.pagingSeverities;
  }

  /** The policies that would page for a component, over paging severities. */
  async policiesForEntity(entityRef: string): Promise<EscalationPolicy[]> {
    const chosen = new Map<string, EscalationPolicy>();
    for (const severity of this.options.config.pagingSeverities) {
      for (const policy of await this.policiesFor(severity, [entityRef])) {
        chosen.set(policy.id, policy);
      }
    }
    return [...chosen.values()];
  }

  escalationsOf(incidentId: string) {
    return this.options.store.listForIncident(incidentId);
  }

  openPagesOf(userRef: string) {
    return this.options.store.openPagesOf(userRef);
  }

  /**
   * The policies that page an incident of `severity` touching `services`:
   * per service, the policy its catalog annotation names (on the component,
   * else on its owner group), else a policy listing the service; with none,
   * the first default policy (one listing no services) for the severity.
   */
  async policiesFor(
    severity: Severity,
    services: string[],
  ): Promise<EscalationPolicy[]> {
    const candidates = this.options.config.policies.filter(p =>
      p.severities.includes(severity),
    );
    const chosen = new Map<string, EscalationPolicy>();
    const annotated = await this.annotatedPolicies(services);
    for (const service of services) {
      const byAnnotation = candidates.find(
        p => p.id === annotated.get(service),
      );
      const policy =
        byAnnotation ?? candidates.find(p => p.services.includes(service));
      if (policy) {
        chosen.set(policy.id, policy);
      }
    }
    if (chosen.size === 0) {
      const { defaultPolicy } = this.options.config;
      const fallback = defaultPolicy
        ? candidates.find(p => p.id === defaultPolicy)
        : candidates.find(p => p.services.length === 0);
      if (fallback) {
        chosen.set(fallback.id, fallback);
      }
    }
    return [...chosen.values()];
  }

  /**
   * Starts paging an open, top-level incident of a paging severity
   * (idempotent). The first step is due at once.
   */
  async startPaging(incident: PagingIncident): Promise<void> {
    if (
      this.options.config.policies.length === 0 ||
      incident.status !== 'open' ||
      incident.parentId ||
      !this.options.config.pagingSeverities.includes(incident.severity)
    ) {
      return;
    }
    if (await this.options.store.hasEscalation(incident.id)) {
      return;
    }
    const policies = await this.policiesFor(
      incident.severity,
      incident.affectedServices,
    );
    const started = await this.options.store.start({
      incidentId: incident.id,
      policies,
      at: this.now(),
      noPolicyReason: `No escalation policy pages ${incident.severity}${
        incident.affectedServices.length
          ? ` for ${incident.affectedServices.join(', ')}`
          : ''
      }`,
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
      await this.options.store.stop({
        incidentId: incident.id,
        actor,
        reason,
        now: this.now(),
      });
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

  private async runOnce(): Promise<TickResult> {
    const now = this.now();
    const started = await this.reconcile(now);
    const pages: FiredPage[] = [];
    for (;;) {
      const due = await this.options.store.dueTimers(now, FIRE_BATCH);
      if (due.length === 0) break;
      const fired = await this.options.store.fire({
        batch: await this.resolveRecipients(due, now),
        now,
        instanceId: this.instanceId,
        pagersFor: severity => this.pagerIdsFor(severity),
      });
      pages.push(...fired.pages);
      await this.signal(fired.incidents);
      if (due.length < FIRE_BATCH) break;
    }
    const deliveries = await this.deliverDue();
    return { started, pages, deliveries };
  }

  /** Sends every due delivery, batch after batch. */
  async deliverDue(): Promise<{ sent: number; failed: number }> {
    const result = { sent: 0, failed: 0 };
    const pagers = new Map(this.options.pagers.map(p => [p.id, p]));
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
          const pager = pagers.get(delivery.pagerId);
          const startedAt = Date.now();
          let error: string | undefined;
          try {
            if (!pager) {
              throw new Error(`pager '${delivery.pagerId}' is not configured`);
            }
            await pager.send({
              pageId: delivery.page.id,
              incident: {
                ...delivery.incident,
                url: `${this.options.appBaseUrl}/incidents/${delivery.incident.id}`,
              },
              recipient: delivery.page.recipient,
              step: delivery.page.step,
            });
          } catch (e) {
            error = e instanceof Error ? e.message : String(e);
            this.options.logger.warn(
              `Page ${delivery.page.id} via ${delivery.pagerId} failed (attempt ${attempt}): ${error}`,
            );
          }
          await this.options.store.recordAttempt({
            deliveryId: delivery.id,
            attempt,
            ok: !error,
            error,
            durationMs: Date.now() - startedAt,
            now: this.now(),
            retry: this.options.config.retry,
          });
          if (error) result.failed += 1;
          else result.sent += 1;
        }),
      );
      if (claimed.length < DELIVERY_BATCH) break;
    }
    return result;
  }

  // ---- internals ----------------------------------------------------------

  private pagerIdsFor(severity: Severity): string[] {
    return this.options.pagers
      .filter(p => {
        const filter = (p as { accepts?: (s: string) => boolean }).accepts;
        return filter ? filter.call(p, severity) : true;
      })
      .map(p => p.id);
  }

  /** Starts paging for incidents opened while this never ran for them. */
  private async reconcile(now: Date): Promise<number> {
    if (this.options.config.policies.length === 0) {
      return 0; // paging isn't configured
    }
    const missed = await this.options.store.unstarted({
      severities: this.options.config.pagingSeverities,
      since: new Date(now.getTime() - RECONCILE_WINDOW_MS),
      limit: 100,
    });
    let started = 0;
    for (const { id } of missed) {
      const incident = await this.options.store.incidentForPaging(id);
      if (incident) {
        await this.startPaging(incident);
        started += 1;
      }
    }
    return started;
  }

  /**
   * Who each due timer pages, resolved now: schedules to whoever is on
   * call, groups to their members, users to themselves.
   */
  private async resolveRecipients(
    due: DueTimer[],
    now: Date,
  ): Promise<TimerRecipients[]> {
    const targets = due.flatMap(t => t.policy.steps[t.step - 1]?.targets ?? []);
    const scheduleIds = [
      ...new Set(targets.flatMap(t => ('schedule' in t ? [t.schedule] : []))),
    ];
    const onCall = scheduleIds.length
      ? await this.options.onCallUsers(scheduleIds, now)
      : new Map<string, string>();
    const groups = await this.groupMembers([
      ...new Set(targets.flatMap(t => ('group' in t ? [t.group] : []))),
    ]);
    const resolve = (t: EscalationTarget) => {
      if ('schedule' in t) {
        const user = onCall.get(t.schedule);
        return user ? [{ recipient: user, via: `schedule:${t.schedule}` }] : [];
      }
      if ('user' in t) {
        return [{ recipient: t.user, via: t.user }];
      }
      return (groups.get(t.group) ?? []).map(recipient => ({
        recipient,
        via: t.group,
      }));
    };
    return due.map(timer => ({
      timer,
      recipients: (timer.policy.steps[timer.step - 1]?.targets ?? []).flatMap(
        resolve,
      ),
    }));
  }

  private async groupMembers(groups: string[]) {
    const result = new Map<string, string[]>();
    if (groups.length === 0) return result;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: groups, fields: ['relations'] },
      { credentials },
    );
    groups.forEach((group, i) => {
      result.set(
        group,
        (items[i]?.relations ?? [])
          .filter(r => r.type === RELATION_HAS_MEMBER)
          .map(r => r.targetRef)
          .sort(),
      );
    });
    return result;
  }

  /** The policy id each service's annotation (or its owner's) names. */
  private async annotatedPolicies(
    services: string[],
  ): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (services.length === 0) return result;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      {
        entityRefs: services,
        fields: ['metadata.annotations', 'relations'],
      },
      { credentials },
    );
    const owners = new Map<string, string>();
    services.forEach((service, i) => {
      const entity = items[i];
      const own = entity?.metadata?.annotations?.[ANNOTATION_ESCALATION_POLICY];
      if (own) {
        result.set(service, own);
        return;
      }
      const owner = entity?.relations?.find(r => r.type === RELATION_OWNED_BY);
      if (owner) owners.set(service, owner.targetRef);
    });
    const ownerRefs = [...new Set(owners.values())];
    if (ownerRefs.length) {
      const groups = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: ownerRefs, fields: ['metadata.annotations'] },
        { credentials },
      );
      for (const [service, owner] of owners) {
        const group = groups.items[ownerRefs.indexOf(owner)];
        const id = group?.metadata?.annotations?.[ANNOTATION_ESCALATION_POLICY];
        if (id) result.set(service, id);
      }
    }
    return result;
  }

  private async signal(incidents: PagedIncident[]) {
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
