import {
  AcknowledgementSource,
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
import { Knex } from 'knex';

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
  excludeFromMetrics?: boolean;
  change?: IncidentChange;
}

/**
 * A status move decided by the lifecycle rules (see `lifecycle.ts`): the
 * store only applies it, compare-and-set on `from`.
 */
export interface IncidentMove {
  id: string;
  from: IncidentStatus;
  to: IncidentStatus;
  actor: string;
  /** The columns the move sets besides the status (state timestamps...). */
  sets: {
    acknowledgedAt?: true;
    /** Where the acknowledgement came from (set with `acknowledgedAt`). */
    acknowledgedVia?: AcknowledgementSource;
    responder?: string;
    clearDedupKey?: true;
  };
  entry: NewTimelineEntry;
  verb: string;
  /**
   * Runs in the move's transaction once the compare-and-set won (e.g.
   * recording an acknowledge link as used); a throw rolls the move back.
   */
  within?: (tx: Knex.Transaction) => Promise<void>;
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

/** A timeline entry with the incident, actor and audit action it records. */
export interface TimelineRecord extends NewTimelineEntry {
  incidentId: string;
  actor: string;
  /** The audit action recorded beside the entry. */
  auditAction: string;
}

/**
 * The war-room log and the audit trail. Every domain writes its entries here,
 * inside the transaction of the change they describe, so they commit or roll
 * back with it.
 */
export interface TimelineStore {
  /** Writes one entry and its audit row; returns the entry as stored. */
  writeOne(
    tx: Knex.Transaction,
    record: TimelineRecord,
    now: Date,
  ): Promise<TimelineEntry>;
  /** Writes many entries and their audit rows. */
  write(
    tx: Knex.Transaction,
    records: TimelineRecord[],
    now: Date,
  ): Promise<void>;
  /** An audit row without a timeline entry (e.g. a postmortem save). */
  audit(
    tx: Knex.Transaction,
    row: {
      incidentId: string;
      action: string;
      actor: string;
      details: Record<string, unknown>;
    },
    now: Date,
  ): Promise<void>;
  /** An incident's entries, oldest first. */
  list(incidentId: string): Promise<TimelineEntry[]>;
}

/** The summary other domains show of an incident. */
export interface IncidentSummary {
  id: string;
  ref: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  commander?: string;
  responder?: string;
  affectedServices: string[];
  ownerGroups: string[];
  openedAt: string;
  resolvedAt?: string;
  parentId?: string;
}

/** Which incidents a query of another domain is about. */
export interface IncidentSelection {
  /** Incidents affecting one of these entities. */
  affecting?: string[];
  severities?: Severity[];
  statuses?: IncidentStatus[];
  openedSince?: Date;
  openedBefore?: Date;
  resolvedBefore?: Date;
  /** Only top-level incidents (not merged into another). */
  topLevel?: boolean;
  /** Only the children of this incident. */
  childrenOf?: string;
  /** Incidents whose affected services one of these groups owns. */
  ownedBy?: string[];
  /**
   * What the response metrics count: not cancelled, not merged into
   * another, not marked "exclude from metrics".
   */
  forMetrics?: boolean;
  excludeId?: string;
  /** What a conditional read decision allows. */
  permissionCriteria?: IncidentPermissionCriteria;
}

/**
 * What other domains read of incidents: the incidents domain owns the
 * incident tables, so postmortems, alerts and escalation ask it instead of
 * reading them.
 */
export interface IncidentReader {
  /** By id or human reference (`INC-42`). */
  get(idOrRef: string): Promise<Incident | undefined>;
  getDetail(idOrRef: string): Promise<IncidentDetail | undefined>;
  list(query: ListIncidentsQuery): Promise<IncidentList>;
  /** Summaries by id (missing ids are left out). */
  summaries(ids: string[]): Promise<Map<string, IncidentSummary>>;
  /**
   * The number of committed incident writes that can change what a list or
   * a metric counts (see `database/changes.ts`): equal stamps, on any
   * replica, mean the same incidents.
   */
  changeStamp(): Promise<string>;
  /**
   * A subquery selecting the ids (`id`) of the incidents matching the
   * selection, for `whereIn` filters of other domains' queries; with
   * `withTimes`, also `opened_at` and `resolved_at` (as a derived table to
   * join and sort by).
   */
  selectIds(
    selection: IncidentSelection,
    options?: { withTimes?: boolean },
  ): Knex.QueryBuilder;
  /**
   * A derived table of the selected incidents for aggregates: `id`,
   * `severity`, `opened_at`, `acknowledged_at`, `mitigated_at`,
   * `resolved_at`, `change_url` (and with `byEntity`, one row per affected
   * service with its `entity_ref`).
   */
  selectForMetrics(
    selection: IncidentSelection,
    options?: { byEntity?: boolean },
  ): Knex.QueryBuilder;
  /**
   * Locks the incidents for the rest of the transaction (PostgreSQL: FOR
   * SHARE, so a concurrent acknowledgement waits or is seen) and returns
   * their summaries.
   */
  lockForRead(
    tx: Knex.Transaction,
    ids: string[],
  ): Promise<Map<string, IncidentSummary>>;
  /** Touches `updated_at` of an incident inside a transaction. */
  touch(tx: Knex.Transaction, id: string, now: Date): Promise<void>;
}

/** Filters of the action item list. */
export interface ActionItemQuery {
  owner?: string;
  entityRef?: string;
  done?: boolean;
  /** Only items due before this day (YYYY-MM-DD), i.e. overdue on it. */
  dueBefore?: string;
  limit: number;
  /** Only items of incidents a conditional read decision allows. */
  permissionCriteria?: IncidentPermissionCriteria;
}

/** An action item with the incident it belongs to. */
export interface TrackedActionItem extends ActionItem {
  incident: {
    id: string;
    ref: string;
    title: string;
    status: IncidentStatus;
    severity: Severity;
  };
  overdue: boolean;
}

/** An overdue action item due a reminder to its owner. */
export interface OverdueItem {
  id: string;
  incidentId: string;
  ref: string;
  incidentTitle: string;
  title: string;
  owner: string;
  dueDate: string;
  lastNotifiedAt?: Date;
}

/** An action item to add. */
export interface NewActionItem {
  title: string;
  owner?: string;
  dueDate?: string;
  horizon?: ActionItemHorizon;
  link?: string;
}

/** An action item edit; only the fields given change. */
export interface ActionItemPatch extends Partial<NewActionItem> {
  done?: boolean;
}

/**
 * Persistence of incidents. Every write is one transaction that also writes
 * the timeline entry and the audit row.
 */
export interface IncidentStore extends IncidentReader {
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
   * Applies a move: compare-and-set on `from`, so of concurrent moves one
   * wins and the others get a ConflictError.
   */
  move(move: IncidentMove): Promise<IncidentChangeResult>;
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
    input: NewActionItem,
    actor: string,
  ): Promise<IncidentChangeResult & { actionItem: ActionItem }>;
  updateActionItem(
    id: string,
    itemId: string,
    input: ActionItemPatch,
    actor: string,
  ): Promise<IncidentChangeResult & { actionItem: ActionItem }>;
  /** Action items across incidents, with their incidents. */
  listActionItems(
    query: ActionItemQuery,
    today: string,
  ): Promise<{ items: TrackedActionItem[]; totalCount: number }>;
  /** Open action items with an owner, due before `today`, due a reminder. */
  overdueActionItems(options: {
    today: string;
    now: Date;
    cadenceMs: number;
    limit?: number;
  }): Promise<OverdueItem[]>;
  /** Claims an overdue reminder (compare-and-set on its last time). */
  claimOverdue(item: OverdueItem, now: Date): Promise<boolean>;
  /** Gives back a claim whose notification could not be sent. */
  releaseOverdue(item: OverdueItem, now: Date): Promise<void>;
}
