import {
  EscalationPolicy,
  IncidentEscalation,
  Severity,
} from '@vigil/plugin-incidents-common';
import { Knex } from 'knex';

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

/** A timer to arm. */
export interface NewTimer {
  escalationId: string;
  incidentId: string;
  round: number;
  step: number;
  dueAt: Date;
}

/** What firing a batch of claimed timers did to the timers. */
export interface TimerOutcome {
  /** Timers that paged. */
  fired: string[];
  /** Timers whose incident no longer pages. */
  cancelled: string[];
  /** Escalations whose last step paged. */
  exhausted: string[];
  /** Escalations stopped, with why. */
  stopped: Map<string, string>;
  /** The next timers to arm. */
  next: NewTimer[];
}

/** An escalation without its pages. */
export type StoredEscalation = Omit<IncidentEscalation, 'pages'>;

/**
 * Escalations and their durable timers (`incident_escalation`,
 * `incident_escalation_timer`). The stepping rules are in `stepping.ts`.
 */
export interface EscalationStore {
  /**
   * Starts paging an incident: snapshots each policy and arms its first
   * step, due at `at`. Idempotent per (incident, policy). With no policies,
   * records (once) that nothing pages, with `noPolicyReason`.
   */
  start(
    tx: Knex.Transaction,
    options: {
      incidentId: string;
      policies: EscalationPolicy[];
      at: Date;
      noPolicyReason: string;
    },
  ): Promise<{ started: number; recordedNoPolicy: boolean }>;
  /** Whether paging was ever started (or ruled out) for the incident. */
  hasEscalation(incidentId: string): Promise<boolean>;
  /**
   * Open, top-level incidents of a paging severity opened since `since`
   * that paging was never started for.
   */
  unstarted(options: {
    severities: Severity[];
    since: Date;
    limit: number;
  }): Promise<string[]>;
  /** Pending timers due at `now`, oldest first. */
  dueTimers(now: Date, limit: number): Promise<DueTimer[]>;
  /**
   * Claims pending timers for the transaction (PostgreSQL: FOR UPDATE SKIP
   * LOCKED, so replicas split them); returns the ids this caller holds.
   */
  claimTimers(tx: Knex.Transaction, ids: string[]): Promise<Set<string>>;
  /** Records what firing did: timer states, escalation ends, next timers. */
  recordFiring(
    tx: Knex.Transaction,
    outcome: TimerOutcome,
    options: { now: Date; instanceId: string; actor: string },
  ): Promise<void>;
  /**
   * Stops every running escalation of an incident and cancels its timers;
   * returns whether anything was running.
   */
  stop(
    tx: Knex.Transaction,
    options: { incidentId: string; actor: string; reason: string; now: Date },
  ): Promise<boolean>;
  /** An incident's escalations with their timers. */
  listForIncident(incidentId: string): Promise<StoredEscalation[]>;
}
