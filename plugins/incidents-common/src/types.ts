import type { IncidentStatus } from './lifecycle';
import type { Severity } from './severity';
import type { ActionItemHorizon } from './postmortem';

/**
 * The body of the backend's unauthenticated `GET /health`.
 * @public
 */
export interface HealthStatus {
  status: 'ok';
  /** The database engine the backend runs on, e.g. `pg` or `better-sqlite3`. */
  database: string;
  /** The name of the latest applied migration. */
  migration?: string;
  /** The backend's time, ISO 8601 UTC. */
  time: string;
}

/**
 * The change (deploy, scaffolder task, pull request) that caused an incident.
 * @public
 */
export interface IncidentChange {
  url: string;
  title?: string;
  source?: string;
}

/**
 * Who is doing what on an incident.
 * @public
 */
export interface IncidentRoles {
  /** Commander / incident lead (user entity ref). */
  commander?: string;
  commsOwner?: string;
  technicalLead?: string;
  /** Everyone else working the incident (user entity refs). */
  responders: string[];
}

/**
 * Estimated impact.
 * @public
 */
export interface IncidentImpact {
  affectedUsers?: number;
  businessImpact?: string;
}

/**
 * What caused it, as far as is known.
 * @public
 */
export interface IncidentRootCause {
  hypothesis?: string;
  confirmedCause?: string;
  trigger?: string;
}

/**
 * An incident as the API returns it. Timestamps are ISO 8601 UTC.
 * @public
 */
export interface Incident {
  id: string;
  /** Human reference, `INC-<n>`. */
  ref: string;
  title: string;
  description?: string;
  severity: Severity;
  status: IncidentStatus;
  affectedServices: string[];
  environments: string[];
  commander?: string;
  /** The user who acknowledged the incident. */
  responder?: string;
  roles: IncidentRoles;
  /** Owner groups of the affected services, from the catalog. */
  ownerGroups: string[];
  impact: IncidentImpact;
  rootCause: IncidentRootCause;
  change?: IncidentChange;
  parentId?: string;
  childCount: number;
  dedupKey?: string;
  openedAt: string;
  acknowledgedAt?: string;
  identifiedAt?: string;
  mitigatedAt?: string;
  resolvedAt?: string;
  cancelledAt?: string;
  postmortemAt?: string;
  updatedAt: string;
  /** Who opened it: a user ref or a named system actor. */
  openedBy: string;
}

/**
 * A follow-up task from an incident.
 * @public
 */
export interface ActionItem {
  id: string;
  incidentId: string;
  title: string;
  owner?: string;
  dueDate?: string;
  /** Short, medium or long term. */
  horizon?: ActionItemHorizon;
  done: boolean;
  link?: string;
  createdAt: string;
}

/**
 * A status update, internal to the team or external (public).
 * @public
 */
export interface StatusUpdate {
  id: string;
  incidentId: string;
  visibility: 'internal' | 'external';
  message: string;
  author: string;
  createdAt: string;
}

/**
 * A link to evidence: a dashboard, a log query, a chat thread.
 * @public
 */
export interface EvidenceLink {
  id: string;
  incidentId: string;
  url: string;
  title?: string;
  addedBy: string;
  createdAt: string;
}

/**
 * Kinds of timeline entries.
 * @public
 */
export type TimelineEntryKind =
  | 'opened'
  | 'status'
  | 'note'
  | 'edit'
  | 'merge'
  | 'child'
  | 'link'
  | 'status-update'
  | 'action-item'
  | 'page'
  | 'escalation'
  | 'alert'
  | 'postmortem';

/**
 * One entry of the war-room log.
 * @public
 */
export interface TimelineEntry {
  id: string;
  incidentId: string;
  kind: TimelineEntryKind;
  /** A user ref or a named system actor such as `system:storm-detector`. */
  actor: string;
  message: string;
  links?: Array<{ url: string; title?: string }>;
  data?: Record<string, unknown>;
  createdAt: string;
}

/**
 * An incident with everything the war room shows.
 * @public
 */
export interface IncidentDetail extends Incident {
  actionItems: ActionItem[];
  statusUpdates: StatusUpdate[];
  evidence: EvidenceLink[];
  children: Array<
    Pick<Incident, 'id' | 'ref' | 'title' | 'status' | 'severity'>
  >;
}

/**
 * A page of incidents.
 * @public
 */
export interface IncidentList {
  items: Incident[];
  nextCursor?: string;
  totalCount: number;
}

/**
 * Fields by which the incident list can be sorted.
 * @public
 */
export const INCIDENT_SORT_FIELDS = [
  'openedAt',
  'updatedAt',
  'severity',
  'status',
  'title',
] as const;

/**
 * A sort field of the incident list.
 * @public
 */
export type IncidentSortField = (typeof INCIDENT_SORT_FIELDS)[number];

/**
 * Filters, sorting and paging of the incident list (`GET /incidents`).
 * @public
 */
export interface IncidentListQuery {
  status?: IncidentStatus[];
  severity?: Severity[];
  /** Only incidents affecting this catalog entity. */
  entityRef?: string;
  /** Only incidents whose affected services are owned by one of these groups. */
  owner?: string[];
  /** Text search in reference, title and description. */
  q?: string;
  sort?: IncidentSortField;
  order?: 'asc' | 'desc';
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * The message broadcast on the `incidents` signal channel after every change.
 * @public
 */
export interface IncidentSignal {
  type: string;
  incidentId: string;
  ref: string;
  title: string;
  status: string;
  severity: string;
  actor: string;
}

/**
 * The signal channel that carries {@link IncidentSignal}s.
 * @public
 */
export const INCIDENTS_SIGNAL_CHANNEL = 'incidents';
