/*
 * The lifecycle rules of a status move: which moves are allowed (the state
 * machine in -common), which permission each needs, and what a move records
 * besides the status. The store only applies the move, compare-and-set.
 */
import { ConflictError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  AcknowledgementSource,
  describeIllegalMove,
  Incident,
  incidentAcknowledgePermission,
  incidentCancelPermission,
  incidentResolvePermission,
  IncidentStatus,
  incidentUpdatePermission,
  isActiveStatus,
  isMoveAllowed,
  STATUS_VERBS,
} from '@vigil/plugin-incidents-common';
import { IncidentMove } from './IncidentStore';

/** The permission that guards moving an incident into each state. */
export const MOVE_PERMISSIONS: Record<IncidentStatus, ResourcePermission> = {
  open: incidentUpdatePermission,
  investigating: incidentAcknowledgePermission,
  mitigated: incidentResolvePermission,
  resolved: incidentResolvePermission,
  postmortem: incidentUpdatePermission,
  cancelled: incidentCancelPermission,
};

/**
 * The move of `incident` (as last read) to `to` by `actor`. A move the
 * lifecycle forbids is a ConflictError naming the allowed moves.
 */
export function planMove(
  incident: Incident,
  to: IncidentStatus,
  actor: string,
  message?: string,
  source: AcknowledgementSource = 'api',
): IncidentMove {
  const from = incident.status;
  if (!isMoveAllowed(from, to)) {
    throw new ConflictError(describeIllegalMove(from, to));
  }
  const verb = STATUS_VERBS[to];
  const label = sentenceCase(verb);
  // Skipping past investigating still counts as the acknowledgement.
  const acknowledges = to !== 'cancelled' && !incident.acknowledgedAt;
  return {
    id: incident.id,
    from,
    to,
    actor,
    verb,
    sets: {
      ...(acknowledges
        ? { acknowledgedAt: true as const, acknowledgedVia: source }
        : {}),
      // The first person to move it forward is its responder.
      ...(to !== 'cancelled' && !incident.responder && actor.startsWith('user:')
        ? { responder: actor }
        : {}),
      ...(!isActiveStatus(to) ? { clearDedupKey: true as const } : {}),
    },
    entry: {
      kind: 'status',
      message: message ? `${label}: ${message}` : label,
      // The acknowledgement says where it came from, for the postmortem.
      data: acknowledges ? { from, to, source } : { from, to },
    },
  };
}

/** `status_update_posted` → `Status update posted`. */
export function sentenceCase(text: string): string {
  const words = text.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
