import { useCallback, useRef } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef, ListIncidentsQuery } from '../../../api';
import { useIncidentSignals, useOwnershipGroups } from '../../../hooks';
import { IncidentListParams, TAB_STATUSES } from './listParams';
import { useStatusCounts } from './useStatusCounts';

/** The list query's filters for the URL's state: no status, sort or page. */
function filterQuery(
  params: IncidentListParams,
  who: { userRef?: string; groups: string[] },
  entityRef?: string,
): Omit<ListIncidentsQuery, 'status' | 'cursor' | 'limit'> {
  return {
    severity: params.severity,
    entityRef: entityRef ?? params.entityRef,
    owner: params.scope === 'team' ? who.groups : undefined,
    participant: params.scope === 'mine' ? who.userRef : undefined,
    q: params.q || undefined,
  };
}

/**
 * One page of the incident list and the counts per status tab, reloaded
 * when the backend signals a change; `refresh` is stable.
 */
export function useIncidentList(
  params: IncidentListParams,
  options: { entityRef?: string; pageSize: number; notify?: boolean },
) {
  const api = useApi(incidentsApiRef);
  const who = useOwnershipGroups();
  const filters = filterQuery(params, who, options.entityRef);
  const query: ListIncidentsQuery = {
    ...filters,
    status: TAB_STATUSES[params.tab],
    sort: params.sort,
    order: params.order,
    limit: options.pageSize,
    cursor: params.cursors[params.cursors.length - 1],
  };
  // Mine and My team wait for the user's identity.
  const ready = !who.loading || params.scope === 'all';
  const list = useAsyncRetry(
    async () => (ready ? api.listIncidents(query) : undefined),
    [api, JSON.stringify(query), ready],
  );
  const { counts, retry: recount } = useStatusCounts(filters, list.value);

  const latest = useRef({ retry: list.retry, recount });
  latest.current = { retry: list.retry, recount };
  const refresh = useCallback(() => latest.current.retry(), []);
  const retryAll = useCallback(() => {
    latest.current.retry();
    latest.current.recount();
  }, []);
  useIncidentSignals(refresh, { notify: options.notify });

  return { ...list, counts, groups: who.groups, refresh, retryAll };
}
