import { usePermission } from '@backstage/plugin-permission-react';
import { useEffect, useRef } from 'react';
import { mutate } from 'swr';
import {
  IncidentActionPermissions,
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
 *
 * The backend sends them with the incident (`given`, GetIncident's
 * `permissions`, decided with its read in one permission call); then no
 * permission request is made here. Otherwise they are asked of the
 * permission backend: decisions depend on the incident (acknowledging makes
 * you its responder), but usePermission caches them per incident; so when
 * `version` (the incident's updatedAt) changes, this incident's cached
 * decisions are re-fetched.
 */
export function useIncidentPermissions(
  incidentId: string | undefined,
  version?: string,
  given?: IncidentActionPermissions,
): IncidentPermissions {
  // Without a resourceRef, usePermission answers DENY and asks nobody.
  const resourceRef = given ? undefined : incidentId;
  const seenVersion = useRef(version);
  useEffect(() => {
    if (!incidentId || given || seenVersion.current === version) {
      return;
    }
    seenVersion.current = version;
    // usePermission keys its cache with { permission, resourceRef }
    mutate(key => {
      const text = typeof key === 'string' ? key : JSON.stringify(key ?? '');
      return text.includes(incidentId);
    });
  }, [incidentId, version, given]);
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
  if (given) return { ...given, loading: false };
  return {
    acknowledge: acknowledge.allowed,
    resolve: resolve.allowed,
    cancel: cancel.allowed,
    update: update.allowed,
    note: note.allowed,
    loading: all.some(p => p.loading),
  };
}
