import type { Severity } from './severity';

/**
 * Whether an alert is firing or has cleared.
 * @public
 */
export type AlertStatus = 'firing' | 'resolved';

/**
 * An alert as `GET /alerts` returns it (the OpenAPI `Alert` schema).
 * Timestamps are ISO 8601 UTC.
 * @public
 */
export interface Alert {
  id: string;
  /** Who sent it, e.g. `alertmanager:alertmanager-demo`. */
  source: string;
  /** Deduplication key within the source. */
  fingerprint: string;
  status: AlertStatus;
  severity: Severity;
  title: string;
  description?: string;
  /** The catalog component it maps to; missing when unmapped. */
  entityRef?: string;
  labels: Record<string, string>;
  tags: string[];
  /** The top-level incident it belongs to, e.g. a storm parent. */
  incidentId?: string;
  /** The incident this alert opened, if it opened one. */
  openedIncidentId?: string;
  /** The storm it is part of. */
  stormId?: string;
  /** When the sender says it started. */
  startsAt?: string;
  /** When the sender says it ended. */
  endsAt?: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** When it last started firing. */
  firedAt: string;
  resolvedAt?: string;
  /** How many deliveries of it arrived. */
  seenCount: number;
}

/**
 * Filters and paging of `GET /alerts`.
 * @public
 */
export interface AlertListQuery {
  status?: AlertStatus;
  /** Only alerts mapped to this catalog component. */
  entityRef?: string;
  /** Only alerts of this incident (id or `INC-42`), or that opened it. */
  incidentId?: string;
  /** Only alerts mapped to no component. */
  unmapped?: boolean;
  /** Page size, 1–500; the backend defaults to 50. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * A page of alerts, newest first.
 * @public
 */
export interface AlertList {
  items: Alert[];
  nextCursor?: string;
}
