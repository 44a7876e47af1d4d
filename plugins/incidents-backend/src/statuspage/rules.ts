/*
 * The status page's rules, pure: how an incident's lifecycle maps to its
 * public status, how severities map to impact and component status, what a
 * maintenance window's status is at an instant, and what the page shows as
 * a whole (Atlassian Statuspage's indicator and description).
 */
import { IncidentStatus, Severity } from '@vigil/plugin-incidents-common';
import {
  ComponentStatus,
  Maintenance,
  MaintenanceStatus,
  PublicImpact,
  PublicIncidentStatus,
  PublicRecord,
} from './StatusPageStore';

/** What the rules read of the internal incident. */
export interface IncidentFacts {
  severity: Severity;
  status: IncidentStatus;
  identifiedAt?: string;
  parentId?: string;
}

/**
 * The public status the lifecycle gives: open/investigating →
 * investigating (identified once the root cause is), mitigated →
 * monitoring, resolved, postmortem and cancelled → resolved.
 */
export function lifecycleStatusOf(
  incident: IncidentFacts,
): PublicIncidentStatus {
  switch (incident.status) {
    case 'mitigated':
      return 'monitoring';
    case 'resolved':
    case 'postmortem':
    case 'cancelled':
      return 'resolved';
    default:
      return incident.identifiedAt ? 'identified' : 'investigating';
  }
}

/** The public impact of a severity: sev1 critical, sev2 major, else minor. */
export function impactOf(severity: Severity): PublicImpact {
  if (severity === 'sev1') return 'critical';
  if (severity === 'sev2') return 'major';
  return 'minor';
}

/** A component's status while an incident of this severity touches it. */
export function componentStatusOf(severity: Severity): ComponentStatus {
  if (severity === 'sev1') return 'major_outage';
  if (severity === 'sev2') return 'partial_outage';
  return 'degraded_performance';
}

/** The generic text of an automatic public update, no internal detail. */
export const AUTOMATIC_UPDATES: Record<PublicIncidentStatus, string> = {
  investigating: 'We are investigating this issue.',
  identified: 'The issue has been identified and a fix is being worked on.',
  monitoring: 'A fix has been implemented and we are monitoring the results.',
  resolved: 'This incident has been resolved.',
};

const COMPONENT_RANK: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** The worse of two component statuses. */
export function worseStatus(
  a: ComponentStatus,
  b: ComponentStatus,
): ComponentStatus {
  return COMPONENT_RANK[a] >= COMPONENT_RANK[b] ? a : b;
}

/** Statuses from best to worst (for ranking and legends). */
export const COMPONENT_STATUSES = Object.keys(
  COMPONENT_RANK,
) as ComponentStatus[];

/**
 * A window's status at `now`: as set by people once they moved it on
 * (`verifying`, `completed`, or `in_progress` started early), otherwise by
 * the clock: in progress between `scheduledFor` and `scheduledUntil`,
 * completed after.
 */
export function effectiveMaintenanceStatus(
  maintenance: Pick<Maintenance, 'status' | 'scheduledFor' | 'scheduledUntil'>,
  now: Date,
): MaintenanceStatus {
  const { status } = maintenance;
  if (status === 'completed' || status === 'verifying') return status;
  const start = new Date(maintenance.scheduledFor).getTime();
  const end = new Date(maintenance.scheduledUntil).getTime();
  if (now.getTime() >= end) return 'completed';
  if (status === 'in_progress' || now.getTime() >= start) return 'in_progress';
  return 'scheduled';
}

/** Whether a window's components are under maintenance at `now`. */
export function isUnderMaintenance(
  maintenance: Pick<Maintenance, 'status' | 'scheduledFor' | 'scheduledUntil'>,
  now: Date,
): boolean {
  const status = effectiveMaintenanceStatus(maintenance, now);
  return status === 'in_progress' || status === 'verifying';
}

/** A public record with the facts of its incident. */
export interface PublicIncident {
  record: PublicRecord;
  incident: IncidentFacts;
}

/** Whether a record shows on the page as an active incident. */
export function isActive(entry: PublicIncident): boolean {
  return (
    entry.record.published &&
    !entry.incident.parentId &&
    entry.record.status !== 'resolved'
  );
}

/** The impact a record shows: its override, else from the severity. */
export function recordImpact(entry: PublicIncident): PublicImpact {
  return entry.record.impact ?? impactOf(entry.incident.severity);
}

/**
 * Every listed component's status at `now`: the worst of the active public
 * incidents touching it (each its override, else from the severity), else
 * under maintenance during a window, else operational.
 */
export function componentStatuses(
  components: string[],
  incidents: PublicIncident[],
  maintenances: Maintenance[],
  now: Date,
): Map<string, ComponentStatus> {
  const result = new Map<string, ComponentStatus>(
    components.map(c => [c, 'operational']),
  );
  for (const m of maintenances) {
    if (!isUnderMaintenance(m, now)) continue;
    for (const ref of m.components) {
      const current = result.get(ref);
      if (current) result.set(ref, worseStatus(current, 'under_maintenance'));
    }
  }
  for (const entry of incidents.filter(isActive)) {
    for (const c of entry.record.components) {
      const current = result.get(c.entityRef);
      if (current) {
        const status = c.status ?? componentStatusOf(entry.incident.severity);
        result.set(c.entityRef, worseStatus(current, status));
      }
    }
  }
  return result;
}

const IMPACT_RANK: Record<PublicImpact, number> = {
  none: 0,
  minor: 1,
  major: 2,
  critical: 3,
};

/**
 * The page's indicator and description, as Statuspage: the worst impact of
 * the active incidents (`none`, `minor`, `major`, `critical`), `maintenance`
 * when none is active but a window is in progress; the description from the
 * worst component status.
 */
export function pageStatus(
  incidents: PublicIncident[],
  statuses: Map<string, ComponentStatus>,
  maintenances: Maintenance[],
  now: Date,
): { indicator: string; description: string } {
  const impact = incidents
    .filter(isActive)
    .map(recordImpact)
    .reduce<PublicImpact>(
      (worst, i) => (IMPACT_RANK[i] > IMPACT_RANK[worst] ? i : worst),
      'none',
    );
  const worst = [...statuses.values()].reduce<ComponentStatus>(
    worseStatus,
    'operational',
  );
  const maintaining = maintenances.some(m => isUnderMaintenance(m, now));
  const indicator = impact === 'none' && maintaining ? 'maintenance' : impact;
  const description = {
    major_outage: 'Major System Outage',
    partial_outage: 'Partial System Outage',
    degraded_performance: 'Minor Service Outage',
    under_maintenance: 'Service Under Maintenance',
    operational:
      impact === 'none' ? 'All Systems Operational' : 'Minor Service Outage',
  }[worst];
  return { indicator, description };
}
