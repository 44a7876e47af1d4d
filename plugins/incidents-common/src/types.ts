// The API's records (Incident, IncidentDetail, TimelineEntry, ActionItem...)
// are the OpenAPI spec's, generated into ./schema/openapi/generated. This
// file names a few of them as the plugins have always called them, and holds
// what is not an HTTP shape: the signal channel.
import type {
  Change,
  Impact,
  ListIncidents,
  Roles,
  RootCause,
} from './schema/openapi/generated';

/**
 * The change (deploy, scaffolder task, pull request) that caused an incident.
 * @public
 */
export type IncidentChange = Change;

/**
 * Who is doing what on an incident.
 * @public
 */
export type IncidentRoles = Roles;

/**
 * Estimated impact.
 * @public
 */
export type IncidentImpact = Impact;

/**
 * What caused it, as far as is known.
 * @public
 */
export type IncidentRootCause = RootCause;

/**
 * Filters, sorting and paging of the incident list (`GET /incidents`).
 * @public
 */
export type IncidentListQuery = NonNullable<ListIncidents['query']>;

/**
 * A sort field of the incident list.
 * @public
 */
export type IncidentSortField = NonNullable<IncidentListQuery['sort']>;

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
] as const satisfies readonly IncidentSortField[];

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
