import { useCallback, useMemo, useState } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CatalogFilterLayout } from '@backstage/plugin-catalog-react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { Incident, IncidentSortField } from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef, ListIncidentsQuery, SortOrder } from '../../../api';
import {
  useIncidentLink,
  useIncidentSignals,
  useOwnershipGroups,
} from '../../../hooks';
import { DenseTable } from '../../shared/DenseTable';
import { IncidentFilters, IncidentFilterValue } from '../IncidentFilters';
import { incidentColumns, sortFieldOf } from './columns';

const DEFAULT_SORT: { field: IncidentSortField; order: SortOrder } = {
  field: 'openedAt',
  order: 'desc',
};

const NO_FILTERS: IncidentFilterValue = {
  severity: [],
  status: [],
  myTeam: false,
  q: '',
};

/**
 * Props of {@link IncidentsTable}.
 * @public
 */
export interface IncidentsTableProps {
  /** Only incidents affecting this entity; hides the service filter. */
  entityRef?: string;
  title?: string;
  /** Incidents per page; 25 by default. */
  pageSize?: number;
  /** Toast new incidents and moves as they happen. */
  notify?: boolean;
}

/**
 * The filterable, server-sorted and paged incident list. Refreshes when the
 * backend signals a change.
 * @public
 */
export const IncidentsTable = (props: IncidentsTableProps) => {
  const { entityRef, title = 'Incidents', pageSize = 25, notify } = props;
  const api = useApi(incidentsApiRef);
  const linkTo = useIncidentLink();
  const { groups } = useOwnershipGroups();
  const [filters, setFilters] = useState(NO_FILTERS);
  const [sort, setSort] = useState(DEFAULT_SORT);
  // The API only pages forward: keep the cursor of each page visited after the
  // first (the last is the current page's) and pop to go back.
  const [cursors, setCursors] = useState<string[]>([]);

  const query: ListIncidentsQuery = {
    status: filters.status,
    severity: filters.severity,
    entityRef: entityRef ?? filters.entityRef,
    owner: filters.myTeam ? groups : undefined,
    q: filters.q || undefined,
    sort: sort.field,
    order: sort.order,
    limit: pageSize,
    cursor: cursors[cursors.length - 1],
  };
  const queryKey = JSON.stringify(query);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listIncidents(query),
    [api, queryKey],
  );
  useIncidentSignals(retry, { notify });

  // The columns carry the sort too: the table resets to their default sort
  // whenever it differs from the one it shows.
  const columns = useMemo(
    () => incidentColumns({ linkTo, sort }),
    [linkTo, sort],
  );

  const changeFilters = useCallback((change: Partial<IncidentFilterValue>) => {
    setFilters(previous => ({ ...previous, ...change }));
    setCursors([]);
  }, []);

  const changeOrder = (columnIndex: number, order: SortOrder) => {
    const field = sortFieldOf(columns[columnIndex]);
    setSort(field ? { field, order } : DEFAULT_SORT);
    setCursors([]);
  };

  const items = value?.items ?? [];
  const first = cursors.length * pageSize;

  return (
    <CatalogFilterLayout>
      <CatalogFilterLayout.Filters>
        <IncidentFilters
          value={filters}
          onChange={changeFilters}
          teamGroups={groups}
          hideService={Boolean(entityRef)}
        />
      </CatalogFilterLayout.Filters>
      <CatalogFilterLayout.Content>
        {error && <ResponseErrorPanel error={error} />}
        <DenseTable<Incident>
          title={title}
          subtitle={value ? `${value.totalCount} in total` : undefined}
          columns={columns}
          data={items}
          isLoading={loading && !value}
          reloading={loading && Boolean(value)}
          onOrderChange={changeOrder}
          options={{ sorting: true, thirdSortClick: false }}
          emptyText="No incidents match these filters."
          footer={
            <>
              <Typography variant="body2" color="textSecondary">
                {items.length
                  ? `${first + 1}–${first + items.length} of ${
                      value?.totalCount
                    }`
                  : ''}
              </Typography>
              <Button
                disabled={!cursors.length || loading}
                onClick={() => setCursors(c => c.slice(0, -1))}
              >
                Previous
              </Button>
              <Button
                disabled={!value?.nextCursor || loading}
                onClick={() => setCursors(c => [...c, value!.nextCursor!])}
              >
                Next
              </Button>
            </>
          }
        />
      </CatalogFilterLayout.Content>
    </CatalogFilterLayout>
  );
};
