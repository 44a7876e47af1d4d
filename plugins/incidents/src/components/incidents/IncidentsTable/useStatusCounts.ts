import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef, ListIncidentsQuery } from '../../../api';
import { StatusTab } from './listParams';

/** The number of matching incidents per tab; undefined until known. */
export type StatusCounts = Partial<Record<StatusTab, number>>;

const COUNTED = ['open', 'investigating', 'mitigated'] as const;

/**
 * How many incidents each status tab holds under the other filters: one
 * single-row list per state and one for all (the backend keeps counts
 * cached while nothing changes). A failure leaves the counts out; the list
 * itself reports errors.
 */
export function useStatusCounts(
  filters: Omit<ListIncidentsQuery, 'status' | 'cursor' | 'limit'>,
  refreshKey: unknown,
): { counts: StatusCounts; retry: () => void } {
  const api = useApi(incidentsApiRef);
  const key = JSON.stringify(filters);
  const { value, retry } = useAsyncRetry(async () => {
    const count = (status: ListIncidentsQuery['status']) =>
      api
        .listIncidents({ ...filters, status, limit: 1 })
        .then(list => list.totalCount);
    const [open, investigating, mitigated, all] = await Promise.all([
      ...COUNTED.map(status => count([status])),
      count(undefined),
    ]);
    return {
      active: open + investigating + mitigated,
      open,
      investigating,
      mitigated,
      all,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key, refreshKey]);
  return { counts: value ?? {}, retry };
}
