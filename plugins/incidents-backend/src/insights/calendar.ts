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
): Array<{ start: Date; end: Date; deadline: Date }> {
  const result = [];
  let day = DateTime.fromJSDate(from).setZone(zone).startOf('day');
  const last = DateTime.fromJSDate(to);
  while (day < last && result.length < 5000) {
    let next = day.plus({ days: 1 });
    while (!hours.days.includes(next.weekday)) next = next.plus({ days: 1 });
    result.push({
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

/** The next local time after `instant` at which the category may change. */
function nextEdge(instant: DateTime, hours: BusinessHours): DateTime {
  const day = instant.startOf('day');
  return ['08:00', hours.start, hours.end, '22:00']
    .map(t => at(day, t))
    .concat(day.plus({ days: 1 }))
    .filter(t => t > instant)
    .reduce((a, b) => (b < a ? b : a));
}

/** Milliseconds of [start, end) in each category, in the zone. */
export function splitByCategory(
  start: Date,
  end: Date,
  hours: BusinessHours,
  zone: string,
): Record<HourCategory, number> {
  const result: Record<HourCategory, number> = {
    business: 0,
    off: 0,
    sleep: 0,
  };
  let cursor = DateTime.fromJSDate(start).setZone(zone);
  const stop = DateTime.fromJSDate(end);
  while (cursor < stop) {
    const next = DateTime.min(nextEdge(cursor, hours), stop);
    result[categoryAt(cursor.toJSDate(), hours, zone)] +=
      next.toMillis() - cursor.toMillis();
    cursor = next;
  }
  return result;
}
