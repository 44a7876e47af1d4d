import { useCallback } from 'react';
import { SubRouteRef, useRouteRef } from '@backstage/core-plugin-api';
import { incidentDetailsRouteRef, postmortemRouteRef } from '../routes';

/**
 * Links to one incident's page under a route, or undefined when the
 * incidents page isn't mounted in the app (an entity card can be used
 * without it).
 */
function useIncidentPageLink(
  routeRef: SubRouteRef<{ id: string }>,
): (idOrRef: string) => string | undefined {
  let route: ((params: { id: string }) => string) | undefined;
  try {
    // useRouteRef throws only after its own hooks ran, so catching keeps the
    // hook order stable.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useRouteRef(routeRef);
  } catch {
    route = undefined;
  }
  return useCallback((idOrRef: string) => route?.({ id: idOrRef }), [route]);
}

/** Links to an incident's war room (see {@link useIncidentPageLink}). */
export function useIncidentLink() {
  return useIncidentPageLink(incidentDetailsRouteRef);
}

/** Links to an incident's postmortem (see {@link useIncidentPageLink}). */
export function usePostmortemLink() {
  return useIncidentPageLink(postmortemRouteRef);
}
