import {
  ActionItem,
  ActionItemHorizon,
  EvidenceLink,
  Incident,
  IncidentChange,
  IncidentDetail,
  IncidentImpact,
  IncidentList,
  IncidentListQuery,
  IncidentRootCause,
  IncidentStatus,
  Severity,
  StatusUpdate,
  TimelineEntry,
  TimelineEntryKind,
} from '@vigil/plugin-incidents-common';
import { IncidentPermissionCriteria } from '@vigil/plugin-incidents-node';

/** The list query of the API, with what the permission policy allows. */
export interface ListIncidentsQuery extends IncidentListQuery {
  /** What the permission policy lets the caller see, if conditional. */
  permissionCriteria?: IncidentPermissionCriteria;
}

/** A validated request to open an incident. */
export interface OpenIncidentInput {
  title: string;
  severity: Severity;
  description?: string;
  affectedServices: string[];
  ownerGroups: string[];
  environments: string[];
  commander?: string;
  change?: IncidentChange;
  dedupKey?: string;
}

/** A validated edit; only the fields given change. */
export interface UpdateIncidentInput {
  title?: string;
  description?: string;
  severity?: Severity;
  affectedServices?: string[];
  /** Required with affectedServices: their owner groups. */
  ownerGroups?: string[];
  environments?: string[];
  roles?: {
    commander?: string;
    commsOwner?: string;
    technicalLead?: string;
    responders?: string[];
  };
  impact?: IncidentImpact;
  rootCause?: IncidentRootCause;
  identified?: boolean;
  change?: IncidentChange;
}

/** A change written by the store, for the caller's side effects. */
export interface IncidentChangeResult {
  incident: Incident;
  /** The verb for events and audit, e.g. `acknowledged`. */
  verb: string;
  entry: TimelineEntry;
}

/** A timeline entry to write. */
export interface NewTimelineEntry {
  kind: TimelineEntryKind;
  message: string;
  links?: Array<{ url: string; title?: string }>;
  data?: Record<string, unknown>;
}

/**
 * Persistence of incidents. Every write is one transaction that also writes
 * the timeline entry and the audit row.
 */
export interface IncidentStore {
  list(query: ListIncidentsQuery): Promise<IncidentList>;
  /** By id or human reference (`INC-42`). */
  get(idOrRef: string): Promise<Incident | undefined>;
  getDetail(idOrRef: string): Promise<IncidentDetail | undefined>;
  /**
   * Opens an incident, or returns the unresolved one with the same dedup key
   * (`created: false`).
   */
  open(
    input: OpenIncidentInput,
    actor: string,
  ): Promise<{ created: boolean } & IncidentChangeResult>;
  update(
    id: string,
    input: UpdateIncidentInput,
    actor: string,
  ): Promise<IncidentChangeResult>;
  /**
   * Moves an incident that is in `from` to `to`. Throws ConflictError when
   * the lifecycle forbids it or another request moved the incident first.
   */
  move(options: {
    id: string;
    from: IncidentStatus;
    to: IncidentStatus;
    actor: string;
    message?: string;
  }): Promise<IncidentChangeResult>;
  merge(
    childId: string,
    parentId: string,
    actor: string,
  ): Promise<IncidentChangeResult>;
  addTimelineEntry(
    id: string,
    entry: NewTimelineEntry,
    actor: string,
  ): Promise<IncidentChangeResult>;
  getTimeline(id: string): Promise<TimelineEntry[]>;
  addStatusUpdate(
    id: string,
    input: { message: string; visibility: 'internal' | 'external' },
    actor: string,
  ): Promise<IncidentChangeResult & { statusUpdate: StatusUpdate }>;
  addEvidence(
    id: string,
    input: { url: string; title?: string },
    actor: string,
  ): Promise<IncidentChangeResult & { evidence: EvidenceLink }>;
  addActionItem(
    id: string,
    input: {
      title: string;
      owner?: string;
      dueDate?: string;
      horizon?: ActionItemHorizon;
      link?: string;
    },
    actor: string,
  ): Promise<IncidentChangeResult & { actionItem: ActionItem }>;
  updateActionItem(
    id: string,
    itemId: string,
    input: {
      title?: string;
      owner?: string;
      dueDate?: string;
      horizon?: ActionItemHorizon;
      done?: boolean;
      link?: string;
    },
    actor: string,
  ): Promise<IncidentChangeResult & { actionItem: ActionItem }>;
}
