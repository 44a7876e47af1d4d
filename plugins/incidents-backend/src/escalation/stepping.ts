/*
 * The stepping rules of an escalation: what firing a batch of due timers
 * does. Pure: the escalation service reads and locks what they need and the
 * stores write what they decide, in one transaction.
 */
import { EscalationPolicy } from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { IncidentSummary, TimelineRecord } from '../incidents/IncidentStore';
import { NewPage } from '../paging/PagingStore';
import { DueTimer, NewTimer, TimerOutcome } from './EscalationStore';

/** The actor escalation writes timeline entries as. */
export const ESCALATION_ACTOR = 'system:escalation';

/** Who a due timer pages, resolved before it is claimed. */
export interface TimerRecipients {
  timer: DueTimer;
  recipients: Array<{ recipient: string; via: string }>;
}

/** What firing a batch of claimed timers writes. */
export interface FiringPlan {
  pages: NewPage[];
  entries: TimelineRecord[];
  outcome: TimerOutcome;
}

/**
 * Fires claimed timers: an incident still open and top-level is paged (each
 * recipient once per timer) and the next step (or round) is armed, due a
 * step's delay after this one was due, so a late run doesn't push the rest
 * back; a timer whose incident was acknowledged, closed or merged stops its
 * escalation instead.
 */
export function planFiring(
  claimed: TimerRecipients[],
  incidents: Map<string, IncidentSummary>,
  pagerIdsFor: (incident: IncidentSummary) => string[],
): FiringPlan {
  const plan: FiringPlan = {
    pages: [],
    entries: [],
    outcome: {
      fired: [],
      cancelled: [],
      exhausted: [],
      stopped: new Map(),
      next: [],
    },
  };
  for (const { timer, recipients } of claimed) {
    const incident = incidents.get(timer.incidentId);
    const stopReason = whyNotPage(incident);
    if (stopReason || !incident) {
      plan.outcome.cancelled.push(timer.id);
      plan.outcome.stopped.set(timer.escalationId, stopReason!);
      continue;
    }
    plan.outcome.fired.push(timer.id);
    const unique = new Map<string, string>();
    for (const r of recipients) {
      if (!unique.has(r.recipient)) unique.set(r.recipient, r.via);
    }
    const pagerIds = pagerIdsFor(incident);
    for (const [recipient, via] of unique) {
      plan.pages.push({
        id: randomUUID(),
        incidentId: timer.incidentId,
        escalationId: timer.escalationId,
        timerId: timer.id,
        round: timer.round,
        step: timer.step,
        recipient,
        via,
        dueAt: timer.dueAt,
        pagerIds,
      });
    }
    plan.entries.push(
      pageEntry(timer, [...unique.keys()], timer.policy, recipients.length),
    );
    const next = nextTimer(timer);
    if (next) {
      plan.outcome.next.push(next);
    } else {
      plan.outcome.exhausted.push(timer.escalationId);
    }
  }
  return plan;
}

/** Why a timer of this incident must not page, if it must not. */
export function whyNotPage(
  incident: Pick<IncidentSummary, 'parentId' | 'status'> | undefined,
): string | undefined {
  if (!incident) return 'incident deleted';
  if (incident.parentId) return 'merged into another incident';
  if (incident.status !== 'open') return `incident is ${incident.status}`;
  return undefined;
}

/** The timer after this one: the next step, the next round, or none. */
function nextTimer(timer: DueTimer): NewTimer | undefined {
  const { policy } = timer;
  const delayMs = policy.steps[timer.step - 1].delayMinutes * 60_000;
  const dueAt = new Date(timer.dueAt.getTime() + delayMs);
  const base = {
    escalationId: timer.escalationId,
    incidentId: timer.incidentId,
    dueAt,
  };
  if (timer.step < policy.steps.length) {
    return { ...base, round: timer.round, step: timer.step + 1 };
  }
  if (timer.round < policy.repeat) {
    return { ...base, round: timer.round + 1, step: 1 };
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
): TimelineRecord {
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
