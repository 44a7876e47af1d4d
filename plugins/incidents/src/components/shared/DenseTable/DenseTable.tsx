import { ReactNode, useEffect, useRef } from 'react';
import { Table, TableProps } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { LoadingSkeleton } from '../LoadingSkeleton';

/** Props of {@link DenseTable}. */
export interface DenseTableProps<T extends object>
  extends Omit<TableProps<T>, 'emptyContent'> {
  /** What an empty table says, e.g. "No alerts match these filters." */
  emptyText: string;
  /**
   * Newer rows are on their way: the rows shown stay, with a bar above
   * them (`isLoading` is for the first load, when there are none).
   */
  reloading?: boolean;
  /** Below the rows, right-aligned: paging, "Load more". */
  footer?: ReactNode;
}

/**
 * Backstage's table as the plugin's lists use it: dense rows in the
 * backend's order (no client-side paging, search, sorting or column
 * dragging unless `options` asks), a plain empty text, a reload bar and a
 * footer row.
 */
export function DenseTable<T extends object>(props: DenseTableProps<T>) {
  const { emptyText, reloading, footer, options, isLoading, ...tableProps } =
    props;
  const root = useRef<HTMLDivElement>(null);
  // Backstage's table shows the sort with an arrow only; screen readers
  // need aria-sort on the sorted header (and "none" on sortable others).
  useEffect(() => {
    root.current?.querySelectorAll('th').forEach(th => {
      // Class names carry a generated suffix (MuiTableSortLabel-root-12).
      const label = th.querySelector('[class*="MuiTableSortLabel-root"]');
      if (!label) {
        th.removeAttribute('aria-sort');
        return;
      }
      const active = label.className.includes('MuiTableSortLabel-active');
      const descending = label.querySelector(
        '[class*="MuiTableSortLabel-iconDirectionDesc"]',
      );
      let sort = 'none';
      if (active) {
        sort = descending ? 'descending' : 'ascending';
      }
      th.setAttribute('aria-sort', sort);
    });
  });
  return (
    <div ref={root}>
      {reloading && <LinearProgress />}
      <Table<T>
        {...tableProps}
        data={isLoading ? [] : tableProps.data}
        options={{
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
          draggable: false,
          ...options,
        }}
        // The first load shows skeleton rows where the rows will be (and
        // never the empty text before the answer).
        emptyContent={
          isLoading ? (
            <Box p={1}>
              <LoadingSkeleton
                rows={5}
                label={`Loading ${
                  typeof tableProps.title === 'string'
                    ? tableProps.title.toLocaleLowerCase('en-US')
                    : 'rows'
                }`}
              />
            </Box>
          ) : (
            <Box p={3}>
              <Typography color="textSecondary">{emptyText}</Typography>
            </Box>
          )
        }
      />
      {footer && (
        <Box
          display="flex"
          alignItems="center"
          justifyContent="flex-end"
          mt={1}
        >
          {footer}
        </Box>
      )}
    </div>
  );
}
