/**
 * Postmortems: one Markdown document per incident, written after it is
 * resolved, with its own flow `draft → review → published`.
 *
 * - `draft → review`: the authors hand it to reviewers.
 * - `review → draft`: reviewers ask for changes.
 * - `review → published`: an admin publishes it; it becomes read-only.
 * - `published → draft`: a new revision, to change a published postmortem.
 */
import type { IncidentStatus } from './lifecycle';
import type { Severity } from './severity';

/**
 * The states of a postmortem, in flow order.
 * @public
 */
export const POSTMORTEM_STATUSES = ['draft', 'review', 'published'] as const;

/**
 * A state of the postmortem flow.
 * @public
 */
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

const POSTMORTEM_MOVES: Record<PostmortemStatus, PostmortemStatus[]> = {
  draft: ['review'],
  review: ['draft', 'published'],
  published: ['draft'],
};

/**
 * The moves the postmortem flow allows from a state.
 * @public
 */
export function allowedPostmortemMoves(
  from: PostmortemStatus,
): PostmortemStatus[] {
  return [...POSTMORTEM_MOVES[from]];
}

/**
 * Whether a postmortem may be edited in this state; a published one is
 * read-only until a new revision is started.
 * @public
 */
export function isPostmortemEditable(status: PostmortemStatus): boolean {
  return status !== 'published';
}

/**
 * A human-readable explanation of why a postmortem move is not allowed,
 * naming the moves that are.
 * @public
 */
export function describeIllegalPostmortemMove(
  from: PostmortemStatus,
  to: PostmortemStatus,
): string {
  return `Cannot move a postmortem from '${from}' to '${to}'; allowed moves from '${from}': ${POSTMORTEM_MOVES[
    from
  ].join(', ')}`;
}

/**
 * The incident a postmortem belongs to, as listed with it.
 * @public
 */
export interface PostmortemIncident {
  id: string;
  ref: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  affectedServices: string[];
  commander?: string;
  openedAt: string;
  resolvedAt?: string;
}

/**
 * A postmortem without its body, as lists return it. Timestamps are ISO 8601
 * UTC.
 * @public
 */
export interface PostmortemSummary {
  id: string;
  incident: PostmortemIncident;
  title: string;
  status: PostmortemStatus;
  /** Increases with every write; `PUT` must send the version it edited. */
  version: number;
  /** 1 for the first publication; each new revision after publishing adds 1. */
  revision: number;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  submittedBy?: string;
  submittedAt?: string;
  /** Who published it last, and when. */
  publishedBy?: string;
  publishedAt?: string;
}

/**
 * A postmortem with its Markdown body.
 * @public
 */
export interface Postmortem extends PostmortemSummary {
  body: string;
}

/**
 * One entry of a postmortem's history: every write keeps the body it wrote.
 * @public
 */
export interface PostmortemRevision {
  version: number;
  revision: number;
  status: PostmortemStatus;
  /** What the write was: started, saved, or a move to a state. */
  action: 'started' | 'saved' | PostmortemStatus;
  author: string;
  body: string;
  createdAt: string;
}

/**
 * When an action item is meant to be done.
 * @public
 */
export const ACTION_ITEM_HORIZONS = ['short', 'medium', 'long'] as const;

/**
 * `short` (this sprint), `medium` (this quarter) or `long` term (roadmap).
 * @public
 */
export type ActionItemHorizon = (typeof ACTION_ITEM_HORIZONS)[number];

/**
 * The search document type of published postmortems.
 * @public
 */
export const POSTMORTEM_SEARCH_TYPE = 'incidents-postmortem';
