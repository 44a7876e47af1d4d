import { useApi } from '@backstage/core-plugin-api';
import { IncidentStatus } from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../api';
import { useIncidentSignals } from './useIncidentSignals';

const ACTIVE: IncidentStatus[] = ['open', 'investigating', 'mitigated'];

/**
 * The most severe (then oldest) active incidents, optionally of one entity,
 * kept current by the backend's signals.
 */
export function useActiveIncidents(options: {
  entityRef?: string;
  limit: number;
}) {
  const { entityRef, limit } = options;
  const api = useApi(incidentsApiRef);
  const state = useAsyncRetry(
    () =>
      api.listIncidents({
        status: ACTIVE,
        entityRef,
        sort: 'severity',
        order: 'asc',
        limit,
      }),
    [api, entityRef, limit],
  );
  useIncidentSignals(state.retry);
  return state;
}
