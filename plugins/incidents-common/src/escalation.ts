import type { Severity } from './severity';

/**
 * Who an escalation step pages: whoever is on call for a schedule, one
 * user, or every member of a group.
 * @public
 */
export type EscalationTarget =
  | { schedule: string }
  | { user: string }
  | { group: string };

/**
 * One step of an escalation policy. The step is paged when reached; if
 * nobody acknowledges within `delayMinutes`, the next step is paged as well.
 * @public
 */
export interface EscalationStep {
  targets: EscalationTarget[];
  delayMinutes: number;
}

/**
 * An escalation policy as defined in app-config
 * (`incidents.escalation.policies`).
 * @public
 */
export interface EscalationPolicy {
  id: string;
  name: string;
  /** Severities the policy pages for. */
  severities: Severity[];
  /** Components the policy is chosen for; empty for a default policy. */
  services: string[];
  /** How many more times the whole policy runs after its last step. */
  repeat: number;
  steps: EscalationStep[];
}

/**
 * A durable escalation timer of one incident.
 * @public
 */
export interface EscalationTimer {
  round: number;
  step: number;
  dueAt: string;
  status: 'pending' | 'fired' | 'cancelled';
  firedAt?: string;
}

/**
 * One attempt to hand a page to a pager.
 * @public
 */
export interface PageDeliveryAttempt {
  attempt: number;
  at: string;
  ok: boolean;
  error?: string;
  durationMs?: number;
}

/**
 * A page handed to one pager (in-app notification, a webhook, ...).
 * @public
 */
export interface PageDelivery {
  pagerId: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: PageDeliveryAttempt[];
  nextAttemptAt?: string;
  sentAt?: string;
  lastError?: string;
}

/**
 * One page: a recipient paged by one step of an escalation.
 * @public
 */
export interface IncidentPageRecord {
  id: string;
  incidentId: string;
  recipient: string;
  round: number;
  step: number;
  /** The step's target that named the recipient, e.g. `schedule:payments-primary`. */
  via?: string;
  dueAt: string;
  createdAt: string;
  deliveries: PageDelivery[];
}

/**
 * An escalation policy running (or that ran) for an incident, with the
 * snapshot taken when paging started.
 * @public
 */
export interface IncidentEscalation {
  id: string;
  incidentId: string;
  policy: EscalationPolicy;
  status: 'active' | 'stopped' | 'exhausted';
  startedAt: string;
  stoppedAt?: string;
  stoppedBy?: string;
  stopReason?: string;
  timers: EscalationTimer[];
  pages: IncidentPageRecord[];
}

/**
 * A page of mine on an incident nobody has acknowledged yet.
 * @public
 */
export interface MyOpenPage {
  pageId: string;
  step: number;
  createdAt: string;
  incident: {
    id: string;
    ref: string;
    title: string;
    severity: Severity;
    status: string;
    createdAt: string;
  };
}
