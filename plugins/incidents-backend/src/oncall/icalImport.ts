/*
 * Reading shifts from an iCalendar feed (what Opsgenie and Grafana OnCall
 * export), with ical.js: VTIMEZONEs in the feed are honoured, a TZID the
 * feed doesn't define is read as an IANA zone, RRULEs are expanded, and the
 * person is the first ATTENDEE's mailto: address, else the first e-mail
 * address in SUMMARY or DESCRIPTION.
 */
import { InputError } from '@backstage/errors';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';

/** One shift read from a feed, clipped to the window asked for. */
export interface FeedShift {
  start: Date;
  end: Date;
  /** Lower-cased; undefined when the event names nobody. */
  email?: string;
  summary: string;
  uid: string;
}

/** Occurrences expanded per recurring event, at most. */
const MAX_OCCURRENCES = 1000;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;

/** The shifts of the feed overlapping [from, to), by start. */
export function readFeedShifts(
  text: string,
  window: { from: Date; to: Date },
): FeedShift[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new InputError(
      `ics: not an iCalendar document (${(error as Error).message})`,
    );
  }
  if (root.name !== 'vcalendar') {
    throw new InputError('ics: not an iCalendar document (no VCALENDAR)');
  }
  const zones = new Map<string, ICAL.Timezone>();
  for (const vtimezone of root.getAllSubcomponents('vtimezone')) {
    const zone = new ICAL.Timezone(vtimezone);
    zones.set(zone.tzid, zone);
  }
  const toDate = (time: ICAL.Time, tzid?: string): Date => {
    const known = tzid ? zones.get(tzid) : undefined;
    if (known) {
      time.zone = known;
      return time.toJSDate();
    }
    if (tzid && DateTime.local().setZone(tzid).isValid) {
      // A TZID the feed doesn't define: an IANA zone name.
      return DateTime.fromObject(
        {
          year: time.year,
          month: time.month,
          day: time.day,
          hour: time.hour,
          minute: time.minute,
          second: time.second,
        },
        { zone: tzid },
      ).toJSDate();
    }
    return time.toJSDate();
  };

  const shifts: FeedShift[] = [];
  for (const vevent of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    if (!event.startDate) continue;
    const tzid = vevent.getFirstProperty('dtstart')?.getParameter('tzid') as
      | string
      | undefined;
    const email = emailOf(vevent);
    const summary = String(vevent.getFirstPropertyValue('summary') ?? '');
    const durationMs =
      toDate(event.endDate.clone(), tzid).getTime() -
      toDate(event.startDate.clone(), tzid).getTime();
    if (!(durationMs > 0)) continue;
    const add = (start: Date) => {
      const end = new Date(start.getTime() + durationMs);
      if (end <= window.from || start >= window.to) return;
      shifts.push({
        start: start < window.from ? window.from : start,
        end: end > window.to ? window.to : end,
        email,
        summary,
        uid: event.uid,
      });
    };
    if (!event.isRecurring()) {
      add(toDate(event.startDate.clone(), tzid));
      continue;
    }
    const iterator = event.iterator();
    for (let i = 0; i < MAX_OCCURRENCES; i++) {
      const next = iterator.next();
      if (!next) break;
      const start = toDate(next.clone(), tzid);
      if (start >= window.to) break;
      add(start);
    }
  }
  return shifts.sort((a, b) => a.start.getTime() - b.start.getTime());
}

function emailOf(vevent: ICAL.Component): string | undefined {
  for (const attendee of vevent.getAllProperties('attendee')) {
    const value = String(attendee.getFirstValue() ?? '');
    const match = /^mailto:(.+)$/i.exec(value.trim());
    if (match && EMAIL.test(match[1])) {
      return match[1].toLowerCase();
    }
  }
  for (const field of ['summary', 'description']) {
    const match = EMAIL.exec(String(vevent.getFirstPropertyValue(field) ?? ''));
    if (match) {
      return match[0].toLowerCase();
    }
  }
  return undefined;
}
