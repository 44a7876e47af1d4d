import { useCallback, useMemo } from 'react';
import { CatalogFilterLayout } from '@backstage/plugin-catalog-react';
import { Theme } from '@material-ui/core/styles';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Incident } from '@vigil/plugin-incidents-common';
import { SortOrder } from '../../../api';
import { useIncidentLink } from '../../../hooks';
import { DenseTable } from '../../shared/DenseTable';
import { IncidentFilters, IncidentFilterValue } from '../IncidentFilters';
import { incidentColumns, sortFieldOf } from './columns';
import { DEFAULT_PARAMS, useIncidentListParams } from './listParams';
import { useIncidentList } from './useIncidentList';
import { ListError, ListToolbar, Pager } from './listParts';

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
 * The incident list for triage: active incidents first, tabs by state with
 * counts, Mine / My team / All, filters, server-side sorting (most severe
 * and oldest first by default) and paging, all kept in the query string.
 * Refreshes when the backend signals a change.
 * @public
 */
export const IncidentsTable = (props: IncidentsTableProps) => {
  const { entityRef, title = 'Incidents', pageSize = 25, notify } = props;
  const linkTo = useIncidentLink();
  const [params, change] = useIncidentListParams();
  const { cursors } = params;
  const { value, loading, error, counts, groups, refresh, retryAll } =
    useIncidentList(params, { entityRef, pageSize, notify });

  // The columns carry the sort too: the table resets to their default sort
  // whenever it differs from the one it shows.
  const { sort, order } = params;
  const compact = useMediaQuery<Theme>(theme => theme.breakpoints.down('xs'));
  const columns = useMemo(
    () =>
      incidentColumns({
        linkTo,
        sort: { field: sort, order },
        onMoved: refresh,
        compact,
      }),
    [linkTo, sort, order, refresh, compact],
  );

  const changeFilters = useCallback(
    (patch: Partial<IncidentFilterValue>) => change(patch),
    [change],
  );
  const changeOrder = (columnIndex: number, next: SortOrder) => {
    const field = sortFieldOf(columns[columnIndex]);
    change(
      field
        ? { sort: field, order: next }
        : { sort: DEFAULT_PARAMS.sort, order: DEFAULT_PARAMS.order },
    );
  };

  return (
    <CatalogFilterLayout>
      <CatalogFilterLayout.Filters>
        <IncidentFilters
          value={params}
          onChange={changeFilters}
          hideService={Boolean(entityRef)}
        />
      </CatalogFilterLayout.Filters>
      <CatalogFilterLayout.Content>
        <ListToolbar
          params={params}
          counts={counts}
          teamGroups={groups}
          onChange={change}
        />
        {error ? (
          <ListError error={error} onRetry={retryAll} />
        ) : (
          <DenseTable<Incident>
            title={title}
            subtitle={value ? `${value.totalCount} in total` : undefined}
            columns={columns}
            data={value?.items ?? []}
            isLoading={loading && !value}
            reloading={loading && Boolean(value)}
            onOrderChange={changeOrder}
            options={{ sorting: true, thirdSortClick: false }}
            emptyText="No incidents match these filters."
            footer={
              <Pager
                first={cursors.length * pageSize}
                shown={value?.items.length ?? 0}
                total={value?.totalCount}
                disabled={loading}
                onPrevious={
                  cursors.length
                    ? () => change({ cursors: cursors.slice(0, -1) })
                    : undefined
                }
                onNext={
                  value?.nextCursor
                    ? () => change({ cursors: [...cursors, value.nextCursor!] })
                    : undefined
                }
              />
            }
          />
        )}
      </CatalogFilterLayout.Content>
    </CatalogFilterLayout>
  );
};
