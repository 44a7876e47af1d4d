import { usePermission } from '@backstage/plugin-permission-react';
import {
  incidentAcknowledgePermission,
  incidentCancelPermission,
  incidentNotePermission,
  incidentResolvePermission,
  incidentUpdatePermission,
} from '@vigil/plugin-incidents-common';
import { IncidentAction } from '../utils/lifecycle';

/** What the signed-in user may do to one incident. */
export type IncidentPermissions = Record<IncidentAction, boolean> & {
  loading: boolean;
};

/**
 * The user's incident permissions, for showing only the buttons that will
 * work. The backend checks again on every request.
 */
export function useIncidentPermissions(
  incidentId: string | undefined,
): IncidentPermissions {
  const resourceRef = incidentId;
  const acknowledge = usePermission({
    permission: incidentAcknowledgePermission,
    resourceRef,
  });
  const resolve = usePermission({
    permission: incidentResolvePermission,
    resourceRef,
  });
  const cancel = usePermission({
    permission: incidentCancelPermission,
    resourceRef,
  });
  const update = usePermission({
    permission: incidentUpdatePermission,
    resourceRef,
  });
  const note = usePermission({
    permission: incidentNotePermission,
    resourceRef,
  });
  const all = [acknowledge, resolve, cancel, update, note];
  return {
    acknowledge: acknowledge.allowed,
    resolve: resolve.allowed,
    cancel: cancel.allowed,
    update: update.allowed,
    note: note.allowed,
    loading: all.some(p => p.loading),
  };
}
