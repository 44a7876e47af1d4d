import {
  Incident,
  Postmortem,
  PostmortemRevision,
  PostmortemStatus,
  PostmortemSummary,
  Severity,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';
import { IncidentPermissionCriteria } from '@vigil/plugin-incidents-node';
import { PostmortemMove } from './flow';

/** Filters of the postmortem list. */
export interface PostmortemListQuery {
  status?: PostmortemStatus[];
  /** Only postmortems of incidents affecting this entity. */
  entityRef?: string;
  limit: number;
  offset: number;
  includeBody?: boolean;
  /** Only postmortems of incidents a conditional read decision allows. */
  permissionCriteria?: IncidentPermissionCriteria;
}

/** Published postmortems of earlier incidents sharing a service. */
export interface RelatedQuery {
  incident: Pick<Incident, 'id' | 'openedAt' | 'affectedServices'>;
  limit: number;
  permissionCriteria?: IncidentPermissionCriteria;
}

/** An incident whose required postmortem is due a reminder. */
export interface DueReminder {
  incidentId: string;
  ref: string;
  title: string;
  severity: Severity;
  commander?: string;
  responder?: string;
  ownerGroups: string[];
  resolvedAt: Date;
  started: boolean;
  /** Reminders sent so far, and when the last one was. */
  sent: number;
  lastRemindedAt?: Date;
}

/**
 * Persistence of postmortems (`incident_postmortem`, its revisions and
 * reminders). Writes are compare-and-set; the rules are in `flow.ts`.
 */
export interface PostmortemStore {
  get(incidentId: string): Promise<Postmortem | undefined>;
  /** Starts it, or returns the one it has (`created: false`). */
  start(
    input: { incidentId: string; title: string; body: string },
    actor: string,
    now: Date,
  ): Promise<{ created: boolean; postmortem: Postmortem }>;
  /** Saves a body over `version`; false when that version is not current. */
  save(
    current: Postmortem,
    input: { body: string; version: number },
    actor: string,
    now: Date,
  ): Promise<boolean>;
  /** Applies a planned move; undefined when the postmortem moved meanwhile. */
  move(
    current: Postmortem,
    move: PostmortemMove,
    actor: string,
    now: Date,
  ): Promise<TimelineEntry | undefined>;
  revisions(postmortemId: string): Promise<PostmortemRevision[]>;
  list(query: PostmortemListQuery): Promise<{
    items: Array<PostmortemSummary & { body?: string }>;
    totalCount: number;
  }>;
  related(query: RelatedQuery): Promise<PostmortemSummary[]>;
  /**
   * Incidents of the required severities, resolved at least `startWithinMs`
   * ago, whose postmortem is not published: the first reminder when none
   * was started, then one every `cadenceMs` until it is published.
   */
  dueReminders(options: {
    severities: Severity[];
    now: Date;
    startWithinMs: number;
    cadenceMs: number;
    limit?: number;
  }): Promise<DueReminder[]>;
  /** Claims a reminder (with its timeline entry): true when this caller may send it. */
  claimReminder(
    due: DueReminder,
    recipient: string,
    now: Date,
  ): Promise<boolean>;
}
