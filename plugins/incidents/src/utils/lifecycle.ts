import {
  IncidentSignal,
  IncidentStatus,
  STATUS_VERBS,
} from '@vigil/plugin-incidents-common';

/** Column and filter labels for the lifecycle states. */
export const STATUS_LABELS: Record<IncidentStatus, string> = {
  open: 'Open',
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  postmortem: 'Postmortem',
  cancelled: 'Cancelled',
};

/** Button labels for moving an incident into a state. */
export const MOVE_LABELS: Record<IncidentStatus, string> = {
  open: 'Reopen',
  investigating: 'Acknowledge',
  mitigated: 'Mitigate',
  resolved: 'Resolve',
  postmortem: 'Start postmortem',
  cancelled: 'Cancel incident',
};

/** The incident permissions the war room checks. */
export type IncidentAction =
  | 'acknowledge'
  | 'resolve'
  | 'cancel'
  | 'update'
  | 'note';

/** Which permission a move needs; mirrors the backend's checks. */
export const MOVE_PERMISSIONS: Record<IncidentStatus, IncidentAction> = {
  open: 'update',
  investigating: 'acknowledge',
  mitigated: 'resolve',
  resolved: 'resolve',
  postmortem: 'update',
  cancelled: 'cancel',
};

const LIFECYCLE_VERBS = new Set(Object.values(STATUS_VERBS));

/**
 * The toast text for a signal, e.g. `INC-3 acknowledged by user:default/guest`;
 * undefined for changes that aren't worth interrupting anyone for (edits,
 * notes), which only refresh the views.
 */
export function describeSignal(signal: IncidentSignal): string | undefined {
  const verb = signal.type.replace(/^incident\./, '');
  if (!LIFECYCLE_VERBS.has(verb)) {
    return undefined;
  }
  const text = `${signal.ref} ${verb.replace(/_/g, ' ')} by ${signal.actor}`;
  return verb === STATUS_VERBS.open ? `${text}: ${signal.title}` : text;
}
