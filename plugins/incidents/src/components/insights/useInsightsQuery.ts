import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Severity, SEVERITIES } from '@vigil/plugin-incidents-common';
import { MetricsQuery } from '../../api/types';
import { useOwnershipGroups } from '../../hooks';

/** The time ranges offered, in days. */
export const RANGES = [7, 30, 90, 180, 365] as const;
const DAY_MS = 86_400_000;

/** The filters as the page shows them; all of them live in the query string. */
export interface InsightsFilters {
  days: number;
  severity: Severity[];
  entityRef: string;
  owner: string;
  myTeam: boolean;
  interval: 'day' | 'week' | 'month';
  scheduleId: string;
}

/**
 * The Insights filters from the query string (`?days=30&severity=sev1&
 * entityRef=…&owner=…&team=mine&interval=week&schedule=…`), so a view is
 * shareable and survives a reload, and the metrics query they make.
 */
export function useInsightsQuery(fixed: { entityRef?: string } = {}) {
  const [params, setParams] = useSearchParams();
  const { groups, loading: groupsLoading } = useOwnershipGroups();
  const filters: InsightsFilters = useMemo(() => {
    const days = Number(params.get('days'));
    const interval = params.get('interval');
    return {
      days: (RANGES as readonly number[]).includes(days) ? days : 90,
      severity: params
        .getAll('severity')
        .filter((s): s is Severity => SEVERITIES.includes(s as Severity)),
      entityRef: fixed.entityRef ?? params.get('entityRef') ?? '',
      owner: params.get('owner') ?? '',
      myTeam: params.get('team') === 'mine',
      interval: interval === 'day' || interval === 'month' ? interval : 'week',
      scheduleId: params.get('schedule') ?? '',
    };
  }, [params, fixed.entityRef]);

  const setFilters = useCallback(
    (change: Partial<InsightsFilters>) => {
      const next = { ...filters, ...change };
      const out = new URLSearchParams();
      if (next.days !== 90) out.set('days', String(next.days));
      next.severity.forEach(s => out.append('severity', s));
      if (next.entityRef && !fixed.entityRef)
        out.set('entityRef', next.entityRef);
      if (next.owner && !next.myTeam) out.set('owner', next.owner);
      if (next.myTeam) out.set('team', 'mine');
      if (next.interval !== 'week') out.set('interval', next.interval);
      if (next.scheduleId) out.set('schedule', next.scheduleId);
      setParams(out, { replace: true });
    },
    [filters, setParams, fixed.entityRef],
  );

  // The range ends now; recomputed only when the range changes, so the
  // charts don't refetch on every render.
  const from = useMemo(
    () =>
      new Date(
        Math.floor((Date.now() - filters.days * DAY_MS) / 60_000) * 60_000,
      ).toISOString(),
    [filters.days],
  );
  const query: MetricsQuery = useMemo(() => {
    let owner: string[] | undefined;
    if (filters.myTeam) owner = groups;
    else if (filters.owner) owner = [filters.owner];
    return {
      from,
      severity: filters.severity.length ? filters.severity : undefined,
      entityRef: filters.entityRef || undefined,
      owner,
    };
  }, [from, filters, groups]);

  return {
    filters,
    setFilters,
    query,
    // "My team" waits for the groups, so it never shows everyone's figures.
    ready: !filters.myTeam || (!groupsLoading && groups.length > 0),
    noTeam: filters.myTeam && !groupsLoading && groups.length === 0,
  };
}
