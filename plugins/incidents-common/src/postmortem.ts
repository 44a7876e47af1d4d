/**
 * Postmortems: one Markdown document per incident, written after it is
 * resolved, with its own flow `draft → review → published`.
 *
 * - `draft → review`: the authors hand it to reviewers.
 * - `review → draft`: reviewers ask for changes.
 * - `review → published`: an admin publishes it; it becomes read-only.
 * - `published → draft`: a new revision, to change a published postmortem.
 */
// The postmortem records and `PostmortemStatus` / `ActionItemHorizon` are
// the OpenAPI spec's (generated models); the flow is written here.
import type {
  ActionItemHorizon,
  PostmortemStatus,
} from './schema/openapi/generated';

/**
 * The states of a postmortem, in flow order.
 * @public
 */
export const POSTMORTEM_STATUSES = [
  'draft',
  'review',
  'published',
] as const satisfies readonly PostmortemStatus[];

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
 * When an action item is meant to be done.
 * @public
 */
export const ACTION_ITEM_HORIZONS = [
  'short',
  'medium',
  'long',
] as const satisfies readonly ActionItemHorizon[];

/**
 * The search document type of published postmortems.
 * @public
 */
export const POSTMORTEM_SEARCH_TYPE = 'incidents-postmortem';
