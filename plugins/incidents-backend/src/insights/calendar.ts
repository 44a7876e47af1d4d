/*
 * The calendar the metrics count in, in a time zone (luxon, so days and
 * weeks stay right across DST): buckets of days, ISO weeks or months; the
 * deadline of a "next business day" response; and the business / off /
 * sleep hours of on-call load. The SQL aggregates join against these
 * intervals, computed here because SQLite knows no time zones.
 */
import { DateTime } from 'luxon';

/** A bucket of the frequency series. */
export interface Bucket {
  /** YYYY-MM-DD (day), YYYY-Www (ISO week) or YYYY-MM (month). */
  label: string;
  start: Date;
  end: Date;
}

export type BucketInterval = 'day' | 'week' | 'month';

function bucketLabel(start: DateTime, interval: BucketInterval): string {
  if (interval === 'week') {
    return `${start.weekYear}-W${String(start.weekNumber).padStart(2, '0')}`;
  }
  if (interval === 'month') return start.toFormat('yyyy-MM');
  return start.toISODate()!;
}

/** Every bucket overlapping [from, to), aligned in the zone; weeks start on Monday. */
export function buckets(
  from: Date,
  to: Date,
  interval: BucketInterval,
  zone: string,
): Bucket[] {
  const result: Bucket[] = [];
  let start = DateTime.fromJSDate(from).setZone(zone).startOf(interval);
  const last = DateTime.fromJSDate(to);
  while (start < last && result.length < 5000) {
    const end = start.plus({ [`${interval}s`]: 1 });
    const label = bucketLabel(start, interval);
    result.push({ label, start: start.toJSDate(), end: end.toJSDate() });
    start = end;
  }
  return result;
}

/** Business hours and days (1 = Monday … 7 = Sunday). */
export interface BusinessHours {
  start: string;
  end: string;
  days: number[];
}

const at = (day: DateTime, time: string) => {
  const [hour, minute] = time.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
};

/**
 * For each local day of [from, to): an incident opened that day must be
 * acknowledged by the end of business hours of the next business day after
 * it (opened Friday or Saturday: Monday's close).
 */
export function nextBusinessDayDeadlines(
  from: Date,
  to: Date,
  hours: BusinessHours,
  zone: string,
): Array<{ day: string; start: Date; end: Date; deadline: Date }> {
  const result = [];
  let day = DateTime.fromJSDate(from).setZone(zone).startOf('day');
  const last = DateTime.fromJSDate(to);
  while (day < last && result.length < 5000) {
    let next = day.plus({ days: 1 });
    while (!hours.days.includes(next.weekday)) next = next.plus({ days: 1 });
    result.push({
      day: day.toISODate()!,
      start: day.toJSDate(),
      end: day.plus({ days: 1 }).toJSDate(),
      deadline: at(next, hours.end).toJSDate(),
    });
    day = day.plus({ days: 1 });
  }
  return result;
}

/** PagerDuty's interruption categories. */
export type HourCategory = 'business' | 'off' | 'sleep';

/**
 * The category of an instant in a zone: business hours on business days,
 * sleep 22:00–08:00, off hours otherwise (evenings and weekend days).
 */
export function categoryAt(
  instant: Date,
  hours: BusinessHours,
  zone: string,
): HourCategory {
  const local = DateTime.fromJSDate(instant).setZone(zone);
  const hhmm = local.toFormat('HH:mm');
  if (hhmm >= '22:00' || hhmm < '08:00') return 'sleep';
  if (
    hours.days.includes(local.weekday) &&
    hhmm >= hours.start &&
    hhmm < hours.end
  ) {
    return 'business';
  }
  return 'off';
}

interface Day {
  start: number;
  end: number;
  /** Where a category starts, in order; the first at the day's start. */
  edges: Array<{ at: number; category: HourCategory }>;
}

/** A local day with the instants its category changes at. */
function dayOf(day: DateTime, hours: BusinessHours, zone: string): Day {
  const next = day.plus({ days: 1 });
  const starts = [
    day,
    ...['08:00', hours.start, hours.end, '22:00'].map(t => at(day, t)),
  ]
    .filter(t => t >= day && t < next)
    .map(t => t.toMillis())
    .sort((a, b) => a - b)
    .filter((t, i, all) => i === 0 || t !== all[i - 1]);
  return {
    start: day.toMillis(),
    end: next.toMillis(),
    edges: starts.map(t => ({
      at: t,
      category: categoryAt(new Date(t), hours, zone),
    })),
  };
}

/**
 * The local days of a zone over a range with the instants their category
 * changes at, computed once (a few luxon calls per day), so splitting many
 * slots and categorising many pages is arithmetic.
 */
export class HourCalendar {
  private readonly days: Day[] = [];

  constructor(from: Date, to: Date, hours: BusinessHours, zone: string) {
    let day = DateTime.fromJSDate(from).setZone(zone).startOf('day');
    const last = DateTime.fromJSDate(to);
    while (day < last) {
      this.days.push(dayOf(day, hours, zone));
      day = day.plus({ days: 1 });
    }
  }

  /** The index of the day holding `ms`, or -1. */
  private dayOf(ms: number): number {
    let lo = 0;
    let hi = this.days.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.days[mid];
      if (ms < d.start) hi = mid - 1;
      else if (ms >= d.end) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** The category of an instant inside the calendar's range. */
  categoryOf(instant: Date): HourCategory | undefined {
    const ms = instant.getTime();
    const day = this.days[this.dayOf(ms)];
    if (!day) return undefined;
    let category = day.edges[0].category;
    for (const edge of day.edges) if (edge.at <= ms) category = edge.category;
    return category;
  }

  /** Milliseconds of [start, end) in each category (inside the range). */
  split(start: Date, end: Date): Record<HourCategory, number> {
    const result: Record<HourCategory, number> = {
      business: 0,
      off: 0,
      sleep: 0,
    };
    const from = start.getTime();
    const to = end.getTime();
    for (let i = Math.max(0, this.dayOf(from)); i < this.days.length; i++) {
      const day = this.days[i];
      if (day.start >= to) break;
      day.edges.forEach((edge, j) => {
        const edgeEnd = day.edges[j + 1]?.at ?? day.end;
        const overlap = Math.min(edgeEnd, to) - Math.max(edge.at, from);
        if (overlap > 0) result[edge.category] += overlap;
      });
    }
    return result;
  }
}
