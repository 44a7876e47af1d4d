/*
 * Uptime history: for each component, per day in the page's time zone, the
 * minutes it spent at each status other than operational, from the public
 * incidents that touched it and the maintenance windows that covered it
 * (where they overlap, the worse status counts). Uptime follows Atlassian
 * Statuspage: a major outage counts in full, a partial outage at 30%,
 * degraded performance and maintenance not at all.
 */
import { DateTime } from 'luxon';
import {
  componentStatusOf,
  effectiveMaintenanceStatus,
  PublicIncident,
  worseStatus,
} from './rules';
import { ComponentStatus, Maintenance } from './StatusPageStore';

/** One day of one component. */
export interface UptimeDay {
  /** YYYY-MM-DD in the page's time zone. */
  date: string;
  /** Minutes at each status that is not `operational`. */
  minutes: Partial<Record<Exclude<ComponentStatus, 'operational'>, number>>;
  /** The worst status of the day. */
  worst: ComponentStatus;
}

/** A component's history. */
export interface ComponentUptime {
  entityRef: string;
  /** Oldest first. */
  days: UptimeDay[];
  /** 0–100, two decimals. */
  uptimePercent: number;
}

type Interval = { start: number; end: number; status: ComponentStatus };

/** Weights of each status's minutes against uptime. */
const DOWNTIME_WEIGHT: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 0,
  partial_outage: 0.3,
  major_outage: 1,
};

/** The history of each component over the `days` days up to `now`. */
export function uptimeHistory(options: {
  components: string[];
  incidents: PublicIncident[];
  maintenances: Maintenance[];
  now: Date;
  timeZone: string;
  days?: number;
}): ComponentUptime[] {
  const { now, timeZone } = options;
  const dayCount = options.days ?? 90;
  const today = DateTime.fromJSDate(now).setZone(timeZone).startOf('day');
  const first = today.minus({ days: dayCount - 1 });
  const intervals = intervalsByComponent(options);
  return options.components.map(entityRef => {
    const own = intervals.get(entityRef) ?? [];
    const days: UptimeDay[] = [];
    let weighted = 0;
    let total = 0;
    for (let d = first; d <= today; d = d.plus({ days: 1 })) {
      const start = d.toMillis();
      const end = Math.min(d.plus({ days: 1 }).toMillis(), now.getTime());
      const minutes = minutesByStatus(own, start, end);
      let worst: ComponentStatus = 'operational';
      for (const [status, m] of Object.entries(minutes)) {
        worst = worseStatus(worst, status as ComponentStatus);
        weighted += (m ?? 0) * DOWNTIME_WEIGHT[status as ComponentStatus];
      }
      total += Math.max(0, end - start) / 60_000;
      days.push({ date: d.toISODate()!, minutes, worst });
    }
    const uptimePercent =
      total > 0 ? Math.round((1 - weighted / total) * 10_000) / 100 : 100;
    return { entityRef, days, uptimePercent };
  });
}

function intervalsByComponent(options: {
  incidents: PublicIncident[];
  maintenances: Maintenance[];
  now: Date;
}): Map<string, Interval[]> {
  const result = new Map<string, Interval[]>();
  const add = (ref: string, interval: Interval) => {
    if (interval.end > interval.start) {
      result.set(ref, [...(result.get(ref) ?? []), interval]);
    }
  };
  const now = options.now.getTime();
  for (const { record, incident } of options.incidents) {
    if (!record.published || incident.parentId) continue;
    const start = new Date(record.startedAt).getTime();
    const end = record.resolvedAt ? new Date(record.resolvedAt).getTime() : now;
    for (const c of record.components) {
      add(c.entityRef, {
        start,
        end,
        status: c.status ?? componentStatusOf(incident.severity),
      });
    }
  }
  for (const m of options.maintenances) {
    const start = new Date(m.startedAt ?? m.scheduledFor).getTime();
    const status = effectiveMaintenanceStatus(m, options.now);
    const end =
      status === 'completed'
        ? new Date(m.completedAt ?? m.scheduledUntil).getTime()
        : Math.min(now, new Date(m.scheduledUntil).getTime());
    if (status === 'scheduled') continue;
    for (const ref of m.components) {
      add(ref, { start, end, status: 'under_maintenance' });
    }
  }
  return result;
}

/**
 * Minutes within [start, end) at each status, the worst status counting
 * where intervals overlap (a sweep over their boundaries).
 */
function minutesByStatus(
  intervals: Interval[],
  start: number,
  end: number,
): UptimeDay['minutes'] {
  const clipped = intervals
    .map(i => ({
      ...i,
      start: Math.max(i.start, start),
      end: Math.min(i.end, end),
    }))
    .filter(i => i.end > i.start);
  const result: UptimeDay['minutes'] = {};
  if (clipped.length === 0) return result;
  const points = [...new Set(clipped.flatMap(i => [i.start, i.end]))].sort(
    (a, b) => a - b,
  );
  for (let p = 0; p < points.length - 1; p++) {
    const [from, to] = [points[p], points[p + 1]];
    const status = clipped
      .filter(i => i.start <= from && i.end >= to)
      .reduce<ComponentStatus>(
        (w, i) => worseStatus(w, i.status),
        'operational',
      );
    if (status !== 'operational') {
      result[status] =
        Math.round(((result[status] ?? 0) + (to - from) / 60_000) * 100) / 100;
    }
  }
  return result;
}
