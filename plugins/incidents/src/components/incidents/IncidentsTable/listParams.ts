/*
 * The incident list's state in the query string, so that a reload or a
 * shared link shows the same list: `?tab=open&scope=team&severity=sev1`.
 * Defaults are left out of the URL.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  INCIDENT_SORT_FIELDS,
  IncidentSortField,
  IncidentStatus,
  Severity,
  SEVERITIES,
} from '@vigil/plugin-incidents-common';
import { SortOrder } from '../../../api';

/** The list's tabs: the active states together, each one, or everything. */
export const STATUS_TABS = [
  'active',
  'open',
  'investigating',
  'mitigated',
  'all',
] as const;
export type StatusTab = (typeof STATUS_TABS)[number];

/** The statuses each tab lists; none means every status. */
export const TAB_STATUSES: Record<StatusTab, IncidentStatus[]> = {
  active: ['open', 'investigating', 'mitigated'],
  open: ['open'],
  investigating: ['investigating'],
  mitigated: ['mitigated'],
  all: [],
};

/** Whose incidents: the user's own, their team's or everyone's. */
export const SCOPES = ['mine', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export interface IncidentListParams {
  tab: StatusTab;
  scope: Scope;
  severity: Severity[];
  /** One affected catalog entity. */
  entityRef?: string;
  q: string;
  sort: IncidentSortField;
  order: SortOrder;
  /** The cursors of the pages visited after the first; the last is shown. */
  cursors: string[];
}

/** Triage order: the most severe first, the oldest of each severity first. */
export const DEFAULT_PARAMS: IncidentListParams = {
  tab: 'active',
  scope: 'all',
  severity: [],
  q: '',
  sort: 'severity',
  order: 'asc',
  cursors: [],
};

function oneOf<T extends string>(
  values: readonly T[],
  value: string | null,
  fallback: T,
): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

export function parseListParams(search: URLSearchParams): IncidentListParams {
  const d = DEFAULT_PARAMS;
  return {
    tab: oneOf(STATUS_TABS, search.get('tab'), d.tab),
    scope: oneOf(SCOPES, search.get('scope'), d.scope),
    severity: search
      .getAll('severity')
      .filter((s): s is Severity => SEVERITIES.includes(s as Severity)),
    entityRef: search.get('service') ?? undefined,
    q: search.get('q') ?? '',
    sort: oneOf(INCIDENT_SORT_FIELDS, search.get('sort'), d.sort),
    order: oneOf(['asc', 'desc'] as const, search.get('order'), d.order),
    cursors: search.getAll('cursor'),
  };
}

export function formatListParams(
  params: IncidentListParams,
  base: URLSearchParams,
): URLSearchParams {
  const next = new URLSearchParams(base);
  const d = DEFAULT_PARAMS;
  const single: Array<[string, string | undefined, string | undefined]> = [
    ['tab', params.tab, d.tab],
    ['scope', params.scope, d.scope],
    ['service', params.entityRef, undefined],
    ['q', params.q, ''],
    ['sort', params.sort, d.sort],
    ['order', params.order, d.order],
  ];
  for (const [key, value, fallback] of single) {
    next.delete(key);
    if (value && value !== fallback) {
      next.set(key, value);
    }
  }
  for (const [key, values] of [
    ['severity', params.severity],
    ['cursor', params.cursors],
  ] as const) {
    next.delete(key);
    values.forEach(v => next.append(key, v));
  }
  return next;
}

/**
 * The list's state from the URL and a setter that merges a change into it.
 * Any change but paging goes back to the first page. Other query
 * parameters of the page are kept.
 */
export function useIncidentListParams(): [
  IncidentListParams,
  (change: Partial<IncidentListParams>) => void,
] {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseListParams(search), [search]);
  const change = useCallback(
    (patch: Partial<IncidentListParams>) =>
      setSearch(
        previous => {
          const current = parseListParams(previous);
          const cursors = patch.cursors ?? [];
          return formatListParams({ ...current, ...patch, cursors }, previous);
        },
        { replace: !('cursors' in patch) },
      ),
    [setSearch],
  );
  return [params, change];
}
