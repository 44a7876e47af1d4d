import {
  IncidentChange,
  IncidentImpact,
  IncidentListQuery,
  IncidentRootCause,
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
  done?: boolean;
  link?: string;
}
