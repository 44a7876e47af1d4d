/*
 * The metrics answers reshaped into chart rows. Kept apart from the charts
 * so what a chart shows is tested without drawing it.
 */
import {
  FrequencySeries,
  MetricsSummary,
  OncallLoadReport,
  Severity,
} from '@vigil/plugin-incidents-common';
import { formatDuration } from '../../utils/format';

/** The three response times the summary reports. */
export const RESPONSE_METRICS = [
  { key: 'timeToAcknowledge', label: 'Time to acknowledge', short: 'MTTA' },
  { key: 'timeToMitigate', label: 'Time to mitigate', short: 'MTTM' },
  { key: 'timeToResolve', label: 'Time to resolve', short: 'MTTR' },
] as const;

export type ResponseMetric = (typeof RESPONSE_METRICS)[number]['key'];

/** One bar group: a severity's median and p90 in minutes (null: no value). */
export interface ResponseTimeRow {
  severity: Severity;
  label: string;
  count: number;
  median: number | null;
  p90: number | null;
}

const minutes = (seconds: number | null) =>
  seconds === null ? null : Math.round((seconds / 60) * 10) / 10;

/** A response time per severity, in minutes, for a bar chart. */
export function responseTimeRows(
  summary: MetricsSummary,
  metric: ResponseMetric,
): ResponseTimeRow[] {
  return summary.bySeverity.map(s => ({
    severity: s.severity,
    label: s.severity.toLocaleUpperCase('en-US'),
    count: s[metric].count,
    median: minutes(s[metric].median),
    p90: minutes(s[metric].p90),
  }));
}

/** One stacked column per bucket: its label and a count per severity. */
export function frequencyRows(
  series: FrequencySeries,
): Array<{ label: string; total: number } & Partial<Record<Severity, number>>> {
  return series.buckets.map(b => ({
    label: b.label,
    total: b.total,
    ...b.counts,
  }));
}

/** The severities present in a frequency series, in order. */
export function frequencySeverities(series: FrequencySeries): Severity[] {
  return Object.keys(series.buckets[0]?.counts ?? {}) as Severity[];
}

/** One stacked bar per person: hours in business, off and sleep hours. */
export function loadRows(report: OncallLoadReport) {
  return report.users.map(u => ({
    userRef: u.userRef,
    business: u.hours.business,
    off: u.hours.off,
    sleep: u.hours.sleep,
    pages: u.pages.business + u.pages.off + u.pages.sleep,
    sleepPages: u.pages.sleep,
  }));
}

/** A duration in seconds as people read it (`—` for no value). */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return formatDuration(seconds * 1000);
}

/** A response target as people read it: `5 min`, `1 h`, `next business day`. */
export function formatTarget(target: string): string {
  if (target === 'next-business-day') return 'next business day';
  const seconds = Number(target.replace(/s$/, ''));
  if (!Number.isFinite(seconds)) return target;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
