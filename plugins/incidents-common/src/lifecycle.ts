/**
 * The incident lifecycle.
 *
 * `open → investigating → mitigated → resolved → postmortem`, plus `cancelled`
 * (a false alarm), reachable only from `open`. Moves go forward only, and may
 * skip forward (an alert that clears can resolve an `open` incident), except
 * that `postmortem` is only reached from `resolved`.
 */

import type { Status } from './schema/openapi/generated';

/**
 * A state of the incident lifecycle (the OpenAPI spec's `Status`).
 * @public
 */
export type IncidentStatus = Status;

/**
 * The states an incident can be in, in lifecycle order.
 * @public
 */
export const INCIDENT_STATUSES = [
  'open',
  'investigating',
  'mitigated',
  'resolved',
  'postmortem',
  'cancelled',
] as const satisfies readonly IncidentStatus[];

/** The forward-only part of the lifecycle, in order. */
const FORWARD_PATH: readonly IncidentStatus[] = [
  'open',
  'investigating',
  'mitigated',
  'resolved',
];

/**
 * Returns true when the value is one of the lifecycle states.
 * @public
 */
export function isIncidentStatus(value: unknown): value is IncidentStatus {
  return (
    typeof value === 'string' &&
    (INCIDENT_STATUSES as readonly string[]).includes(value)
  );
}

/**
 * The moves the lifecycle allows from a state, in lifecycle order.
 * @public
 */
export function allowedMoves(from: IncidentStatus): IncidentStatus[] {
  if (from === 'resolved') {
    return ['postmortem'];
  }
  const index = FORWARD_PATH.indexOf(from);
  if (index < 0) {
    // postmortem and cancelled are terminal
    return [];
  }
  const forward = FORWARD_PATH.slice(index + 1);
  return from === 'open' ? [...forward, 'cancelled'] : forward;
}

/**
 * Whether the lifecycle allows moving an incident from one state to another.
 * @public
 */
export function isMoveAllowed(
  from: IncidentStatus,
  to: IncidentStatus,
): boolean {
  return allowedMoves(from).includes(to);
}

/**
 * Whether the incident is still being worked on (not resolved, not in
 * postmortem and not cancelled).
 * @public
 */
export function isActiveStatus(status: IncidentStatus): boolean {
  return (
    status === 'open' || status === 'investigating' || status === 'mitigated'
  );
}

/**
 * The verb used for events, audit and timeline entries when an incident
 * enters a state, e.g. `incident.acknowledged`.
 * @public
 */
export const STATUS_VERBS: Record<IncidentStatus, string> = {
  open: 'opened',
  investigating: 'acknowledged',
  mitigated: 'mitigated',
  resolved: 'resolved',
  postmortem: 'postmortem_started',
  cancelled: 'cancelled',
};

/**
 * A human-readable explanation of why a move is not allowed, naming the
 * moves that are.
 * @public
 */
export function describeIllegalMove(
  from: IncidentStatus,
  to: IncidentStatus,
): string {
  const allowed = allowedMoves(from);
  const options =
    allowed.length === 0
      ? `no further moves are allowed from '${from}'`
      : `allowed moves from '${from}': ${allowed.join(', ')}`;
  return `Cannot move an incident from '${from}' to '${to}'; ${options}`;
}
