import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Alert, AlertListQuery } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../api';

/** The backend's largest page. */
const MAX_LIMIT = 500;

/** Alerts loaded page by page, with what is going on. */
export interface AlertPages {
  /** Every alert loaded so far, newest first; undefined before the first page. */
  items?: Alert[];
  /** More alerts are there to load. */
  hasMore: boolean;
  loading: boolean;
  loadingMore: boolean;
  error?: Error;
  /** Appends the next page. */
  loadMore: () => void;
  /** Reloads as many alerts as are shown, from the newest. */
  reload: () => void;
}

/**
 * `GET /alerts` with cursor paging: the first page, then "load more"
 * appends. A reload (e.g. on an incident signal) fetches as many alerts as
 * are shown in one request, so the list keeps its length. A change of the
 * filters starts over.
 */
export function useAlertPages(
  filters: Omit<AlertListQuery, 'limit' | 'cursor'>,
  pageSize = 50,
): AlertPages {
  const api = useApi(incidentsApiRef);
  const key = JSON.stringify(filters);
  const [state, setState] = useState<{
    key: string;
    items: Alert[];
    nextCursor?: string;
  }>();
  const [loading, setLoading] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error>();
  // Answers to an earlier request (older filters, or a reload overtaken by
  // another) are dropped.
  const requestId = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;

  const load = useCallback(
    async (mode: 'first' | 'reload' | 'more') => {
      const current =
        stateRef.current?.key === key ? stateRef.current : undefined;
      const id = ++requestId.current;
      const query: AlertListQuery = { ...JSON.parse(key) };
      if (mode === 'more') {
        if (!current?.nextCursor) return;
        query.cursor = current.nextCursor;
        query.limit = pageSize;
        setLoadingMore(true);
      } else {
        if (mode === 'first') setError(undefined);
        query.limit =
          mode === 'reload' && current
            ? Math.min(MAX_LIMIT, Math.max(pageSize, current.items.length))
            : pageSize;
        setLoading(true);
      }
      try {
        const page = await api.listAlerts(query);
        if (id !== requestId.current) return;
        setError(undefined);
        setState(
          mode === 'more' && current
            ? {
                key,
                items: [...current.items, ...page.items],
                nextCursor: page.nextCursor,
              }
            : { key, items: page.items, nextCursor: page.nextCursor },
        );
      } catch (e) {
        if (id === requestId.current) setError(e as Error);
      } finally {
        if (id === requestId.current) {
          setLoading(false);
          setLoadingMore(false);
        }
      }
    },
    [api, key, pageSize],
  );

  useEffect(() => {
    load('first');
  }, [load]);

  const shown = state?.key === key ? state : undefined;
  return {
    items: shown?.items,
    hasMore: Boolean(shown?.nextCursor),
    loading: loading || (!shown && !error),
    loadingMore,
    error,
    loadMore: useCallback(() => load('more'), [load]),
    reload: useCallback(() => load('reload'), [load]),
  };
}
