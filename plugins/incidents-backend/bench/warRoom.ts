/*
 * The requests of one war-room load (IncidentDetailPage) for
 * `yarn bench:users`: the incident, its timeline and its escalations, and,
 * before GetIncident carried the caller's action permissions, the
 * browser's own permission request for the five action buttons (what
 * IdentityPermissionApi batches into one POST to the permission backend,
 * which asks the incidents plugin to apply the conditional ones).
 */
import {
  incidentAcknowledgePermission,
  incidentCancelPermission,
  incidentNotePermission,
  incidentResolvePermission,
  incidentUpdatePermission,
} from '@vigil/plugin-incidents-common';
import { LoadRequest } from './load';

const ACTIONS = [
  incidentAcknowledgePermission,
  incidentResolvePermission,
  incidentCancelPermission,
  incidentUpdatePermission,
  incidentNotePermission,
];

/** The ids of `count` incidents (INC-1…), as the page has them. */
export async function incidentIds(
  baseUrl: string,
  token: string,
  count: number,
): Promise<Array<{ ref: string; id: string }>> {
  const found = [];
  for (let n = 1; n <= count; n++) {
    const res = await fetch(`${baseUrl}/api/incidents/incidents/INC-${n}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`INC-${n} answered ${res.status}`);
    const { ref, id } = (await res.json()) as { ref: string; id: string };
    found.push({ ref, id });
  }
  return found;
}

/** The requests of one page load of `incident`. */
export function warRoomRequests(
  incident: { ref: string; id: string },
  withPermissionRequest: boolean,
): LoadRequest[] {
  const base = `/api/incidents/incidents/${incident.ref}`;
  const reads: LoadRequest[] = [
    {
      method: 'GET',
      path: withPermissionRequest ? base : `${base}?permissions=true`,
    },
    { method: 'GET', path: `${base}/timeline` },
    { method: 'GET', path: `${base}/escalations` },
  ];
  if (!withPermissionRequest) return reads;
  return [
    ...reads,
    {
      method: 'POST',
      path: '/api/permission/authorize',
      body: {
        items: ACTIONS.map((permission, i) => ({
          id: String(i),
          permission,
          resourceRef: incident.id,
        })),
      },
    },
  ];
}
