import {
  ActionItem,
  EvidenceLink,
  Incident,
  IncidentStatus,
  Severity,
  StatusUpdate,
} from '@vigil/plugin-incidents-common';
import { toIso } from '../../lib/rows';
import { formatIncidentRef } from '../refs';

type Timestamp = Date | string | number;

/** A row of `incident`. */
export type IncidentRow = {
  id: string;
  ref_number: number | string;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  commander: string | null;
  comms_owner: string | null;
  technical_lead: string | null;
  responder: string | null;
  environments: string;
  impact_users: number | null;
  impact_business: string | null;
  root_cause_hypothesis: string | null;
  root_cause_confirmed: string | null;
  root_cause_trigger: string | null;
  change_url: string | null;
  change_title: string | null;
  change_source: string | null;
  dedup_key: string | null;
  active_dedup_key: string | null;
  parent_id: string | null;
  child_count: number;
  opened_by: string;
  opened_at: Timestamp;
  acknowledged_at: Timestamp | null;
  acknowledged_via: string | null;
  identified_at: Timestamp | null;
  mitigated_at: Timestamp | null;
  resolved_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  postmortem_at: Timestamp | null;
  updated_at: Timestamp;
  exclude_from_metrics: boolean | number;
  /**
   * JSON arrays copying incident_service, incident_owner and
   * incident_responder (which filters use), written with them so that reads
   * need no other table.
   */
  service_refs: string;
  owner_refs: string;
  responder_refs: string;
};

/**
 * The columns the reads select, by name: a prepared statement (see
 * `selectPrepared`) selecting `i.*` would fail on PostgreSQL once a newer
 * replica's migration adds a column ("cached plan must not change result
 * type"); a fixed list keeps working. Typed, so a column added to
 * `IncidentRow` must be added here.
 */
export const INCIDENT_COLUMNS = Object.keys({
  id: true,
  ref_number: true,
  title: true,
  description: true,
  severity: true,
  status: true,
  commander: true,
  comms_owner: true,
  technical_lead: true,
  responder: true,
  environments: true,
  impact_users: true,
  impact_business: true,
  root_cause_hypothesis: true,
  root_cause_confirmed: true,
  root_cause_trigger: true,
  change_url: true,
  change_title: true,
  change_source: true,
  dedup_key: true,
  active_dedup_key: true,
  parent_id: true,
  child_count: true,
  opened_by: true,
  opened_at: true,
  acknowledged_at: true,
  acknowledged_via: true,
  identified_at: true,
  mitigated_at: true,
  resolved_at: true,
  cancelled_at: true,
  postmortem_at: true,
  updated_at: true,
  exclude_from_metrics: true,
  service_refs: true,
  owner_refs: true,
  responder_refs: true,
} satisfies Record<keyof IncidentRow, true>).map(c => `i.${c}`);

/** The timestamp column each state sets when entered. */
export const STATE_TIMESTAMPS: Partial<
  Record<IncidentStatus, keyof IncidentRow>
> = {
  investigating: 'acknowledged_at',
  mitigated: 'mitigated_at',
  resolved: 'resolved_at',
  cancelled: 'cancelled_at',
  postmortem: 'postmortem_at',
};

// The columns toActionItem, toStatusUpdate and toEvidence read: the detail
// view aggregates exactly these into JSON objects (SQLite has no row-to-JSON),
// so a column a mapper starts to read must be added here too.
export const ACTION_ITEM_COLUMNS = [
  'id',
  'incident_id',
  'title',
  'owner',
  'due_date',
  'horizon',
  'done',
  'link',
  'created_at',
];
export const STATUS_UPDATE_COLUMNS = [
  'id',
  'incident_id',
  'visibility',
  'message',
  'author',
  'created_at',
];
export const EVIDENCE_COLUMNS = [
  'id',
  'incident_id',
  'url',
  'title',
  'added_by',
  'created_at',
];

/** Sorted, de-duplicated, lower-case entity refs. */
export function normalizedRefs(refs: string[]): string[] {
  return [...new Set(refs.map(r => r.toLocaleLowerCase('en-US')))].sort();
}

const refsOf = (json: string | null | undefined): string[] =>
  json ? (JSON.parse(json) as string[]).sort() : [];

export function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    ref: formatIncidentRef(row.ref_number),
    title: row.title,
    description: row.description ?? undefined,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    affectedServices: refsOf(row.service_refs),
    environments: JSON.parse(row.environments),
    commander: row.commander ?? undefined,
    responder: row.responder ?? undefined,
    roles: {
      commander: row.commander ?? undefined,
      commsOwner: row.comms_owner ?? undefined,
      technicalLead: row.technical_lead ?? undefined,
      responders: refsOf(row.responder_refs),
    },
    ownerGroups: refsOf(row.owner_refs),
    impact: {
      affectedUsers: row.impact_users ?? undefined,
      businessImpact: row.impact_business ?? undefined,
    },
    rootCause: {
      hypothesis: row.root_cause_hypothesis ?? undefined,
      confirmedCause: row.root_cause_confirmed ?? undefined,
      trigger: row.root_cause_trigger ?? undefined,
    },
    change: row.change_url
      ? {
          url: row.change_url,
          title: row.change_title ?? undefined,
          source: row.change_source ?? undefined,
        }
      : undefined,
    parentId: row.parent_id ?? undefined,
    childCount: Number(row.child_count),
    dedupKey: row.dedup_key ?? undefined,
    openedBy: row.opened_by,
    openedAt: toIso(row.opened_at)!,
    acknowledgedAt: toIso(row.acknowledged_at),
    acknowledgedVia:
      (row.acknowledged_via as Incident['acknowledgedVia']) ?? undefined,
    identifiedAt: toIso(row.identified_at),
    mitigatedAt: toIso(row.mitigated_at),
    resolvedAt: toIso(row.resolved_at),
    cancelledAt: toIso(row.cancelled_at),
    postmortemAt: toIso(row.postmortem_at),
    updatedAt: toIso(row.updated_at)!,
    ...(row.exclude_from_metrics ? { excludeFromMetrics: true } : {}),
  };
}

export function toActionItem(row: any): ActionItem {
  return {
    id: row.id,
    incidentId: row.incident_id,
    title: row.title,
    owner: row.owner ?? undefined,
    dueDate: row.due_date ?? undefined,
    horizon: row.horizon ?? undefined,
    done: Boolean(row.done),
    link: row.link ?? undefined,
    createdAt: toIso(row.created_at)!,
  };
}

export function toStatusUpdate(row: any): StatusUpdate {
  return {
    id: row.id,
    incidentId: row.incident_id,
    visibility: row.visibility,
    message: row.message,
    author: row.author,
    createdAt: toIso(row.created_at)!,
  };
}

export function toEvidence(row: any): EvidenceLink {
  return {
    id: row.id,
    incidentId: row.incident_id,
    url: row.url,
    title: row.title ?? undefined,
    addedBy: row.added_by,
    createdAt: toIso(row.created_at)!,
  };
}

/**
 * An aggregated sub-select's value: PostgreSQL gives parsed JSON
 * (`json_agg`), null for no rows; SQLite gives JSON text.
 */
export function parseAggregate(
  value: unknown[] | string | null | undefined,
): any[] {
  if (value === null || value === undefined) {
    return [];
  }
  return typeof value === 'string' ? JSON.parse(value) : value;
}
