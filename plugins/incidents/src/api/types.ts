import {
  ActionItem,
  AlertListQuery,
  ActionItemHorizon,
  EscalationPolicy,
  IncidentChange,
  IncidentImpact,
  IncidentListQuery,
  IncidentRootCause,
  IncidentStatus,
  PostmortemStatus,
  Severity,
} from '@vigil/plugin-incidents-common';

/**
 * Sort direction of the incident list.
 * @public
 */
export type SortOrder = 'asc' | 'desc';

/**
 * Filters, sorting and paging for `GET /incidents`.
 * @public
 */
export type ListIncidentsQuery = IncidentListQuery;

/**
 * Filters and cursor paging for `GET /alerts`.
 * @public
 */
export type ListAlertsQuery = AlertListQuery;

/**
 * A link attached to a note.
 * @public
 */
export interface IncidentLinkInput {
  url: string;
  title?: string;
}

/**
 * The body of `POST /incidents`.
 * @public
 */
export interface OpenIncidentRequest {
  title: string;
  /** `sev1`…`sev5`, or an alias such as `P1` or `critical`. */
  severity: Severity | string;
  description?: string;
  /** Catalog entity refs. */
  affectedServices?: string[];
  environments?: string[];
  /** User entity ref. */
  commander?: string;
  change?: IncidentChange;
  dedupKey?: string;
}

/**
 * Role changes in `PATCH /incidents/{id}`; roles not given stay as they are.
 * @public
 */
export interface UpdateIncidentRolesRequest {
  commander?: string;
  commsOwner?: string;
  technicalLead?: string;
  responders?: string[];
}

/**
 * The body of `PATCH /incidents/{id}`; only the fields given change.
 * @public
 */
export interface UpdateIncidentRequest {
  title?: string;
  description?: string;
  severity?: Severity | string;
  affectedServices?: string[];
  environments?: string[];
  roles?: UpdateIncidentRolesRequest;
  impact?: IncidentImpact;
  rootCause?: IncidentRootCause;
  /** Marks the root cause as identified (timestamped once). */
  identified?: boolean;
  change?: IncidentChange;
}

/**
 * The body of `POST /incidents/{id}/timeline`.
 * @public
 */
export interface AddNoteRequest {
  message: string;
  links?: IncidentLinkInput[];
}

/**
 * The body of `POST /incidents/{id}/status-updates`.
 * @public
 */
export interface AddStatusUpdateRequest {
  message: string;
  visibility: 'internal' | 'external';
}

/**
 * The body of `POST /incidents/{id}/evidence`.
 * @public
 */
export interface AddEvidenceRequest {
  url: string;
  title?: string;
}

/**
 * The body of `POST /incidents/{id}/action-items`.
 * @public
 */
export interface AddActionItemRequest {
  title: string;
  /** User entity ref. */
  owner?: string;
  /** `YYYY-MM-DD`. */
  dueDate?: string;
  /** Short (this sprint), medium (this quarter) or long term. */
  horizon?: ActionItemHorizon;
  link?: string;
}

/**
 * The body of `PATCH /incidents/{id}/action-items/{itemId}`.
 * @public
 */
export interface UpdateActionItemRequest {
  title?: string;
  owner?: string;
  dueDate?: string;
  horizon?: ActionItemHorizon;
  done?: boolean;
  link?: string;
}

/**
 * Who is on call now on one schedule (`GET /oncall`). `user` is missing when
 * nobody covers the schedule at the moment.
 * @public
 */
export interface OncallNow {
  schedule: { id: string; name: string };
  /** User entity ref. */
  user?: string;
  /** ISO timestamp; when the current shift started. */
  start?: string;
  /** ISO timestamp; when the current shift hands off. */
  end?: string;
  /** The current shift is a one-off override of the rotation. */
  isOverride?: boolean;
}

/**
 * How a schedule rotates.
 * @public
 */
export interface ScheduleRotation {
  type: 'daily' | 'weekly' | 'custom';
  /** Local time of day of the hand-off, e.g. `09:00`. */
  handoffTime: string;
  /** Shift length of a `custom` rotation. */
  length?: { days?: number; hours?: number };
}

/**
 * An on-call schedule defined in app-config (`GET /schedules`).
 * @public
 */
export interface Schedule {
  id: string;
  name: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  rotation: ScheduleRotation;
  /** User entity refs, in rotation order. */
  members: string[];
  active: boolean;
}

/**
 * One shift of a schedule (`GET /schedules/{scheduleId}/slots`).
 * @public
 */
export interface OncallSlot {
  id: string;
  scheduleId: string;
  /** User entity ref. */
  userRef: string;
  /** ISO timestamp. */
  start: string;
  /** ISO timestamp. */
  end: string;
  isOverride: boolean;
  /** User entity ref of whoever created the override. */
  createdBy?: string;
  reason?: string;
}

/**
 * The time range of `GET /schedules/{scheduleId}/slots`; the backend
 * defaults to the next 14 days.
 * @public
 */
export interface ListScheduleSlotsOptions {
  /** ISO timestamp. */
  from?: string;
  /** ISO timestamp. */
  to?: string;
}

/**
 * The body of `POST /schedules/{scheduleId}/overrides`: who covers the
 * schedule from `start` to `end` instead of the rotation.
 * @public
 */
export interface AddScheduleOverrideRequest {
  /** User entity ref. */
  userRef: string;
  /** ISO timestamp. */
  start: string;
  /** ISO timestamp. */
  end: string;
  reason?: string;
}

/**
 * The body of `POST /schedules/{scheduleId}/handoff`: hands the schedule to
 * `userRef` now, or at `at`, until the rotation's next boundary.
 * @public
 */
export interface HandoffScheduleRequest {
  /** User entity ref. */
  userRef: string;
  /** ISO timestamp; now when missing. */
  at?: string;
}

/**
 * The answer of `GET /escalation-policies`.
 * @public
 */
export interface EscalationPolicyList {
  items: EscalationPolicy[];
  /** The severities that page at all. */
  pagingSeverities: Severity[];
}

/**
 * Filters and paging of `GET /postmortems`.
 * @public
 */
export interface ListPostmortemsQuery {
  status?: PostmortemStatus[];
  /** Only postmortems of incidents affecting this catalog entity. */
  entityRef?: string;
  limit?: number;
  offset?: number;
}

/**
 * Filters of `GET /action-items`.
 * @public
 */
export interface ListActionItemsQuery {
  /** User entity ref. */
  owner?: string;
  /** Only items of incidents affecting this catalog entity. */
  entityRef?: string;
  done?: boolean;
  /** Only open items due before today. */
  overdue?: boolean;
  limit?: number;
}

/**
 * An action item with its incident (`GET /action-items`).
 * @public
 */
export interface TrackedActionItem extends ActionItem {
  incident: {
    id: string;
    ref: string;
    title: string;
    status: IncidentStatus;
    severity: Severity;
  };
  /** Open and due before today (UTC). */
  overdue: boolean;
}
