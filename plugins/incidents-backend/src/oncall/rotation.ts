/*
 * Rotation math: which member covers which slot of a schedule.
 *
 * Slots are computed in the schedule's time zone with luxon, so a daily or
 * weekly rotation keeps its hand-off time of day across DST changes (a
 * "daily at 09:00" slot is 23 or 25 hours long on change days), while a
 * custom length in hours is an exact duration.
 */
import { DateTime, Duration } from 'luxon';

/** A rotation as configured. */
export interface RotationSpec {
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  type: 'daily' | 'weekly' | 'custom';
  /** Slot length for `custom` rotations: whole days or hours. */
  length?: { days?: number; hours?: number };
  /** Hand-off time of day, `HH:mm`, in the schedule's time zone. */
  handoffTime: string;
  /** The day (YYYY-MM-DD) or instant (ISO 8601) the first slot starts. */
  start: string;
  /** User entity refs in rotation order. */
  members: string[];
}

/** One generated slot. */
export interface RotationSlot {
  /** The rotation's slot number, counted from `start`. */
  index: number;
  userRef: string;
  start: Date;
  end: Date;
}

/** Throws with a readable message when the spec cannot generate slots. */
export function validateRotation(spec: RotationSpec): void {
  if (!DateTime.local().setZone(spec.timeZone).isValid) {
    throw new Error(`unknown time zone '${spec.timeZone}'`);
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(spec.handoffTime)) {
    throw new Error(`handoffTime '${spec.handoffTime}' is not HH:mm`);
  }
  if (!anchorOf(spec).isValid) {
    throw new Error(`start '${spec.start}' is not an ISO 8601 date or time`);
  }
  if (spec.members.length === 0) {
    throw new Error('a rotation needs at least one member');
  }
  const step = stepOf(spec);
  if (step.as('minutes') < 60) {
    throw new Error('a custom rotation must last at least one hour');
  }
}

/** The slots that overlap [from, to), in order. */
export function generateRotationSlots(
  spec: RotationSpec,
  from: Date,
  to: Date,
): RotationSlot[] {
  const anchor = anchorOf(spec);
  const step = stepOf(spec);
  const startOf = (k: number) => anchor.plus(multiply(step, k));
  const fromTime = DateTime.fromJSDate(from);

  // Jump close to `from` with an approximate slot length, then walk.
  const approxMs = step.as('milliseconds');
  let k = Math.max(
    0,
    Math.floor(fromTime.diff(anchor).as('milliseconds') / approxMs) - 1,
  );
  while (k > 0 && startOf(k) > fromTime) k -= 1;
  while (startOf(k + 1) <= fromTime) k += 1;

  const slots: RotationSlot[] = [];
  for (; startOf(k) < DateTime.fromJSDate(to); k += 1) {
    const start = startOf(k);
    const end = startOf(k + 1);
    if (end <= fromTime) continue;
    slots.push({
      index: k,
      userRef: spec.members[k % spec.members.length],
      start: start.toJSDate(),
      end: end.toJSDate(),
    });
  }
  return slots;
}

function anchorOf(spec: RotationSpec): DateTime {
  const [hour, minute] = spec.handoffTime.split(':').map(Number);
  const parsed = DateTime.fromISO(spec.start, { zone: spec.timeZone });
  // A bare date starts at the hand-off time; an instant is taken as given.
  return /^\d{4}-\d{2}-\d{2}$/.test(spec.start)
    ? parsed.set({ hour, minute, second: 0, millisecond: 0 })
    : parsed;
}

function stepOf(spec: RotationSpec): Duration {
  switch (spec.type) {
    case 'daily':
      return Duration.fromObject({ days: 1 });
    case 'weekly':
      return Duration.fromObject({ weeks: 1 });
    default:
      return Duration.fromObject({
        days: spec.length?.days ?? 0,
        hours: spec.length?.hours ?? 0,
      });
  }
}

function multiply(step: Duration, k: number): Duration {
  return Duration.fromObject({
    weeks: step.weeks * k,
    days: step.days * k,
    hours: step.hours * k,
  });
}
