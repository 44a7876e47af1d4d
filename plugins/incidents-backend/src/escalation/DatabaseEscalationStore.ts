/*
 * Escalations and their durable timers.
 *
 * Guarantees:
 * - A timer fires at most once: it is claimed in the transaction that writes
 *   its pages (PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, so replicas
 *   split the due timers between them; both engines: the claim reads only
 *   pending timers and the outcome is written in the same transaction), and
 *   a page is unique per (timer, recipient).
 * - A timer fires at least once: it stays pending until that transaction
 *   commits, so a crash or restart leaves it for the next run.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { EscalationPolicy, Severity } from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { IncidentReader } from '../incidents/IncidentStore';
import { isPostgres } from '../lib/database';
import { applyDatabaseMigrations } from '../lib/migrations';
import { insertChunked, toIso } from '../lib/rows';
import {
  DueTimer,
  EscalationStore,
  StoredEscalation,
  TimerOutcome,
} from './EscalationStore';

const NO_POLICY: EscalationPolicy = {
  id: '',
  name: 'No escalation policy',
  severities: [],
  services: [],
  repeat: 0,
  steps: [],
};

/** Escalation state in Backstage's database. */
export class DatabaseEscalationStore implements EscalationStore {
  static async create(options: {
    database: DatabaseService;
    incidents: IncidentReader;
  }): Promise<DatabaseEscalationStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabaseEscalationStore(knex, options.incidents);
  }

  private constructor(
    private readonly knex: Knex,
    private readonly incidents: IncidentReader,
  ) {}

  async start(
    tx: Knex.Transaction,
    options: {
      incidentId: string;
      policies: EscalationPolicy[];
      at: Date;
      noPolicyReason: string;
    },
  ): Promise<{ started: number; recordedNoPolicy: boolean }> {
    const { incidentId, policies, at } = options;
    if (policies.length === 0) {
      const inserted = await tx('incident_escalation')
        .insert({
          id: randomUUID(),
          incident_id: incidentId,
          policy_id: '',
          policy: JSON.stringify(NO_POLICY),
          status: 'stopped',
          started_at: at,
          stopped_at: at,
          stopped_by: 'system:escalation',
          stop_reason: options.noPolicyReason,
        })
        .onConflict(['incident_id', 'policy_id'])
        .ignore()
        .returning('id');
      return { started: 0, recordedNoPolicy: inserted.length > 0 };
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
    return { started, recordedNoPolicy: false };
  }

  async hasEscalation(incidentId: string): Promise<boolean> {
    const row = await this.knex('incident_escalation')
      .where({ incident_id: incidentId })
      .first('id');
    return Boolean(row);
  }

  async unstarted(options: {
    severities: Severity[];
    since: Date;
    limit: number;
  }): Promise<string[]> {
    if (options.severities.length === 0) {
      return [];
    }
    const candidates = this.incidents
      .selectIds(
        {
          statuses: ['open'],
          severities: options.severities,
          topLevel: true,
          openedSince: options.since,
        },
        { withTimes: true },
      )
      .as('i');
    const rows = await this.knex
      .from(candidates)
      .whereNotExists(q =>
        q
          .select(this.knex.raw('1'))
          .from('incident_escalation as e')
          .whereRaw('e.incident_id = i.id'),
      )
      .orderBy('i.opened_at', 'asc')
      .limit(options.limit)
      .select('i.id');
    return rows.map(r => r.id as string);
  }

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
      dueAt: new Date(toIso(r.due_at)!),
      policy: JSON.parse(r.policy),
    }));
  }

  async claimTimers(tx: Knex.Transaction, ids: string[]): Promise<Set<string>> {
    let claim = tx('incident_escalation_timer')
      .whereIn('id', ids)
      .where('status', 'pending')
      .select('id');
    if (isPostgres(this.knex)) {
      claim = claim.forUpdate().skipLocked();
    }
    return new Set((await claim).map(r => r.id as string));
  }

  async recordFiring(
    tx: Knex.Transaction,
    outcome: TimerOutcome,
    options: { now: Date; instanceId: string; actor: string },
  ): Promise<void> {
    const { now } = options;
    if (outcome.fired.length) {
      await tx('incident_escalation_timer')
        .whereIn('id', outcome.fired)
        .update({
          status: 'fired',
          fired_at: now,
          fired_by: options.instanceId,
        });
    }
    await insertChunked(
      tx,
      'incident_escalation_timer',
      outcome.next.map(t => ({
        id: randomUUID(),
        escalation_id: t.escalationId,
        incident_id: t.incidentId,
        round: t.round,
        step: t.step,
        due_at: t.dueAt,
        status: 'pending',
      })),
    );
    if (outcome.exhausted.length) {
      await tx('incident_escalation')
        .whereIn('id', outcome.exhausted)
        .where('status', 'active')
        .update({
          status: 'exhausted',
          stopped_at: now,
          stop_reason: 'every step paged; nobody acknowledged',
        });
    }
    if (outcome.cancelled.length) {
      await tx('incident_escalation_timer')
        .whereIn('id', outcome.cancelled)
        .update({ status: 'cancelled' });
    }
    for (const [escalationId, reason] of outcome.stopped) {
      await tx('incident_escalation')
        .where({ id: escalationId, status: 'active' })
        .update({
          status: 'stopped',
          stopped_at: now,
          stopped_by: options.actor,
          stop_reason: reason,
        });
    }
  }

  async stop(
    tx: Knex.Transaction,
    options: { incidentId: string; actor: string; reason: string; now: Date },
  ): Promise<boolean> {
    const { incidentId, actor, reason, now } = options;
    // Timers first, then the escalation: the order a firing takes them in
    // (it claims timers, then records the escalation's outcome), so a stop
    // and a firing of the same escalation never wait for each other in a
    // cycle (PostgreSQL would abort one as a deadlock).
    await tx('incident_escalation_timer')
      .where({ incident_id: incidentId, status: 'pending' })
      .whereIn(
        'escalation_id',
        tx('incident_escalation')
          .where({ incident_id: incidentId, status: 'active' })
          .select('id'),
      )
      .update({ status: 'cancelled' });
    const stopped = await tx('incident_escalation')
      .where({ incident_id: incidentId, status: 'active' })
      .update({
        status: 'stopped',
        stopped_at: now,
        stopped_by: actor,
        stop_reason: reason,
      });
    return stopped > 0;
  }

  async listForIncident(incidentId: string): Promise<StoredEscalation[]> {
    const escalations = await this.knex('incident_escalation')
      .where({ incident_id: incidentId })
      .orderBy('started_at', 'asc');
    if (escalations.length === 0) {
      return [];
    }
    const timers = await this.knex('incident_escalation_timer')
      .where({ incident_id: incidentId })
      .orderBy(['round', 'step']);
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
    }));
  }
}
