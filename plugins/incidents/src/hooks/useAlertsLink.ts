import { useCallback } from 'react';
import { useRouteRef } from '@backstage/core-plugin-api';
import { AlertListQuery } from '@vigil/plugin-incidents-common';
import { alertsRouteRef } from '../routes';

/** The filters of the Alerts view that can be linked to. */
export type AlertsLinkFilters = Pick<
  AlertListQuery,
  'status' | 'entityRef' | 'incidentId' | 'unmapped'
>;

/** The Alerts view's query string for the given filters. */
export function alertsSearch(filters: AlertsLinkFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.entityRef) params.set('entityRef', filters.entityRef);
  if (filters.incidentId) params.set('incidentId', filters.incidentId);
  if (filters.unmapped) params.set('unmapped', 'true');
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/**
 * Links to the Alerts view with filters, or undefined when the incidents
 * page isn't mounted in the app (an entity card can be used without it).
 */
export function useAlertsLink(): (
  filters?: AlertsLinkFilters,
) => string | undefined {
  let route: (() => string) | undefined;
  try {
    // useRouteRef throws only after its own hooks ran, so catching keeps the
    // hook order stable.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useRouteRef(alertsRouteRef);
  } catch {
    route = undefined;
  }
  return useCallback(
    (filters: AlertsLinkFilters = {}) =>
      route ? `${route()}${alertsSearch(filters)}` : undefined,
    [route],
  );
}
