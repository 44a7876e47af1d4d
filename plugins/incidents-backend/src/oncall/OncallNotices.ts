/*
 * Hand-off and shift notices.
 *
 * - Hand-off: when a schedule's owner changes (a rotation boundary, an
 *   override or swap starting or ending, a manual hand-off), the previous
 *   and the next owner get a Backstage notification and an
 *   `oncall.handoff` event goes out on the events service (topic
 *   `incidents.oncall`), for chat delivery and anyone else subscribed.
 * - Shift notice: `shiftNotice.before` (default 1 h) before a shift starts,
 *   its owner is told "you are on call from … to …". A shift is a run of
 *   consecutive slots with the same owner, so a week of daily slots held by
 *   one person is one notice.
 * - Hand-offs are looked for 15 minutes back (a late run catches up), and
 *   not before the schedule's first stored slot.
 * - Both run in one scheduler task (one runner across replicas), and each
 *   notice is also claimed in the database before it is sent (by schedule
 *   and hand-off instant; by schedule, user and shift start), so
 *   overlapping runs or replicas send each once. A failed send gives the
 *   claim back and the next run retries.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { DateTime } from 'luxon';
import { TaskDefinition } from '../lib/tasks';
import { OncallNoticeConfig, ScheduleDefinition } from './config';
import { OncallService } from './OncallService';
import { OncallSlot, OncallStore } from './OncallStore';

/** The events service topic of on-call events. */
export const ONCALL_EVENTS_TOPIC = 'incidents.oncall';

/** The payload of the `oncall.handoff` event (a contract chat relies on). */
export interface OncallHandoffEvent {
  type: 'oncall.handoff';
  scheduleId: string;
  scheduleTitle: string;
  /** Who was on call until `at`; null when nobody was. */
  from: string | null;
  /** Who is on call from `at`; null when nobody is. */
  to: string | null;
  /** ISO 8601. */
  at: string;
}

/** What one run sent. */
export interface NoticeRunResult {
  /** `<scheduleId> <at> <from>→<to>` per announced hand-off. */
  handoffs: string[];
  /** `<scheduleId> <user> <start>` per shift notice. */
  shifts: string[];
}

/** Hand-offs are looked for this far back (a missed run catches up). */
export const HANDOFF_LOOKBACK_MS = 15 * 60_000;
/** A shift notice reads slots this far past the shift's start for its end. */
const SHIFT_READ_AHEAD_MS = 31 * 86_400_000;

export class OncallNotices {
  constructor(
    private readonly options: {
      oncall: OncallService;
      store: OncallStore;
      notifications: NotificationService;
      events: EventsService;
      logger: LoggerService;
      config: OncallNoticeConfig;
      /** The frontend's base URL, for links in notifications. */
      appBaseUrl: string;
      now?: () => Date;
    },
  ) {}

  tasks(): TaskDefinition[] {
    return [
      {
        id: 'incidents-oncall-notices',
        frequency: { milliseconds: this.options.config.checkIntervalMs },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 30 },
        fn: () => this.run().then(() => undefined),
      },
    ];
  }

  async run(): Promise<NoticeRunResult> {
    const now = this.options.now?.() ?? new Date();
    const handoffs: string[] = [];
    const shifts: string[] = [];
    for (const schedule of this.options.oncall
      .listSchedules()
      .filter(s => s.active)) {
      handoffs.push(...(await this.announceHandoffs(schedule, now)));
      if (this.options.config.shiftNoticeBeforeMs > 0) {
        shifts.push(...(await this.noticeShifts(schedule, now)));
      }
    }
    return { handoffs, shifts };
  }

  /** Owner changes at instants in (now − lookback, now]. */
  private async announceHandoffs(
    schedule: ScheduleDefinition,
    now: Date,
  ): Promise<string[]> {
    const { store, logger } = this.options;
    // Before the first stored slot nobody is known to have been on call:
    // its start is no hand-off (a backend started at 09:05 stays quiet
    // about 09:00).
    const first = await store.earliestSlotStart(schedule.id);
    if (!first) {
      return [];
    }
    const since = Math.max(
      now.getTime() - HANDOFF_LOOKBACK_MS,
      first.getTime(),
    );
    const segments = await store.effectiveSlots(
      schedule.id,
      new Date(since - 1),
      new Date(now.getTime() + 1),
    );
    const sent: string[] = [];
    for (const at of boundaries(segments, since, now.getTime())) {
      const from = ownerAt(segments, at - 1);
      const to = ownerAt(segments, at);
      if (from === to) {
        continue;
      }
      const instant = new Date(at);
      const claimed = await store.claimHandoff({
        scheduleId: schedule.id,
        at: instant,
        from,
        to,
        now,
      });
      if (!claimed) {
        continue;
      }
      try {
        await this.sendHandoff(schedule, instant, from, to);
        sent.push(`${schedule.id} ${instant.toISOString()} ${from}→${to}`);
      } catch (error) {
        await store.releaseHandoff(schedule.id, instant);
        logger.warn(
          `Could not announce the hand-off of ${
            schedule.id
          } at ${instant.toISOString()}: ${error}`,
        );
      }
    }
    return sent;
  }

  private async sendHandoff(
    schedule: ScheduleDefinition,
    at: Date,
    from: string | null,
    to: string | null,
  ) {
    const { notifications, events, appBaseUrl } = this.options;
    const when = formatTime(at, schedule.timeZone);
    const recipients = [from, to].filter((r): r is string => Boolean(r));
    await notifications.send({
      recipients: { type: 'entity', entityRef: recipients },
      payload: {
        title: `On-call hand-off: ${schedule.name}`,
        description: `${from ?? 'nobody'} hands over to ${
          to ?? 'nobody'
        } at ${when}.`,
        link: `${appBaseUrl}/oncall`,
        severity: 'normal',
        topic: 'oncall-handoff',
        scope: `oncall-handoff:${schedule.id}:${at.toISOString()}`,
      },
    });
    const eventPayload: OncallHandoffEvent = {
      type: 'oncall.handoff',
      scheduleId: schedule.id,
      scheduleTitle: schedule.name,
      from,
      to,
      at: at.toISOString(),
    };
    await events.publish({ topic: ONCALL_EVENTS_TOPIC, eventPayload });
  }

  /** Shifts starting in [now, now + before]: their owner is told once. */
  private async noticeShifts(
    schedule: ScheduleDefinition,
    now: Date,
  ): Promise<string[]> {
    const { store, notifications, logger, config, appBaseUrl } = this.options;
    const windowEnd = now.getTime() + config.shiftNoticeBeforeMs;
    const segments = await store.effectiveSlots(
      schedule.id,
      new Date(now.getTime() - 1),
      new Date(windowEnd + SHIFT_READ_AHEAD_MS),
    );
    const sent: string[] = [];
    for (const shift of shiftsOf(segments)) {
      if (shift.start < now.getTime() || shift.start > windowEnd) {
        continue;
      }
      // A shift that continues one already running is not a new shift.
      if (ownerAt(segments, shift.start - 1) === shift.userRef) {
        continue;
      }
      const start = new Date(shift.start);
      const end = new Date(shift.end);
      const claimed = await store.claimShiftNotice({
        scheduleId: schedule.id,
        userRef: shift.userRef,
        start,
        end,
        now,
      });
      if (!claimed) {
        continue;
      }
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: shift.userRef },
          payload: {
            title: `You are on call: ${schedule.name}`,
            description: `You are on call for ${
              schedule.name
            } from ${formatTime(start, schedule.timeZone)} to ${formatTime(
              end,
              schedule.timeZone,
            )}.`,
            link: `${appBaseUrl}/oncall`,
            severity: 'normal',
            topic: 'oncall-shift',
            scope: `oncall-shift:${schedule.id}:${start.toISOString()}`,
          },
        });
        sent.push(`${schedule.id} ${shift.userRef} ${start.toISOString()}`);
      } catch (error) {
        await store.releaseShiftNotice(schedule.id, shift.userRef, start);
        logger.warn(
          `Could not send the shift notice of ${shift.userRef} on ${schedule.id}: ${error}`,
        );
      }
    }
    return sent;
  }
}

/** Starts and ends of segments in (since, until], in order. */
function boundaries(segments: OncallSlot[], since: number, until: number) {
  const times = new Set<number>();
  for (const s of segments) {
    for (const t of [Date.parse(s.start), Date.parse(s.end)]) {
      if (t > since && t <= until) times.add(t);
    }
  }
  return [...times].sort((a, b) => a - b);
}

/** Who covers the instant in non-overlapping segments; null when nobody. */
function ownerAt(segments: OncallSlot[], at: number): string | null {
  const s = segments.find(
    seg => Date.parse(seg.start) <= at && at < Date.parse(seg.end),
  );
  return s?.userRef ?? null;
}

/** Runs of back-to-back segments with the same owner. */
function shiftsOf(segments: OncallSlot[]) {
  const shifts: Array<{ userRef: string; start: number; end: number }> = [];
  for (const s of segments) {
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    const last = shifts[shifts.length - 1];
    if (last && last.userRef === s.userRef && last.end === start) {
      last.end = end;
    } else {
      shifts.push({ userRef: s.userRef, start, end });
    }
  }
  return shifts;
}

/** e.g. "Mon 7 Dec 2026, 09:00 (Europe/Berlin)". */
function formatTime(at: Date, timeZone: string) {
  return `${DateTime.fromJSDate(at)
    .setZone(timeZone)
    .toFormat('ccc d LLL yyyy, HH:mm')} (${timeZone})`;
}
