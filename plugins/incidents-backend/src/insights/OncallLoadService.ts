/*
 * On-call load, per user and per schedule: hours on call and interruptions
 * (pages; a page within 60 s of the recipient's previous one counts with
 * it), each split into business hours (the configured business hours on
 * business days), off hours (the rest of 08:00–22:00) and sleep hours
 * (22:00–08:00), in the schedule's time zone (pages not sent through a
 * schedule: the metrics time zone). The hours come from the schedules'
 * effective slots (overrides cut into the rotation), the interruptions from
 * one SQL read that already drops the repeats.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { IncidentReader } from '../incidents/IncidentStore';
import { StampedCache } from '../lib/StampedCache';
import { IncidentPermissionCriteria } from '@vigil/plugin-incidents-node';
import { OncallService } from '../oncall/OncallService';
import { PagingStore } from '../paging/PagingStore';
import { categoryAt, HourCalendar, HourCategory } from './calendar';
import { MetricsConfig } from './config';

type Split = Record<HourCategory, number>;
type OncallLoad = Awaited<ReturnType<OncallLoadService['compute']>>;
const zero = (): Split => ({ business: 0, off: 0, sleep: 0 });
const total = (split: Split) => split.business + split.off + split.sleep;
const HOUR_MS = 3_600_000;

/** Hours on call and interruptions by person and schedule. */
export class OncallLoadService {
  constructor(
    private readonly options: {
      oncall: OncallService;
      pages: Pick<PagingStore, 'interruptions' | 'pagesStamp'>;
      reader: Pick<IncidentReader, 'selectIds' | 'changeStamp'>;
      authorizer: IncidentAuthorizer;
      config: MetricsConfig;
    },
  ) {}

  /**
   * Figures with the slots, pages and incidents they were computed from:
   * reused exactly until one of those tables changes. Few are kept: with
   * 1,000 rotas an answer is about a megabyte.
   */
  private readonly cache = new StampedCache<unknown>(10);

  async load(
    range: { from: Date; to: Date },
    filter: { scheduleId?: string },
    credentials: BackstageCredentials,
  ): Promise<OncallLoad> {
    // Pages count only on incidents the caller may read.
    const { criteria } = await this.options.authorizer.readFilter(credentials);
    const stamp = (
      await Promise.all([
        this.options.oncall.slotsStamp(),
        this.options.pages.pagesStamp(),
        this.options.reader.changeStamp(),
      ])
    ).join('|');
    return this.cache.getOrCompute(
      JSON.stringify([range, filter, criteria ?? null]),
      stamp,
      () => this.compute(range, filter, criteria),
    );
  }

  private async compute(
    range: { from: Date; to: Date },
    filter: { scheduleId?: string },
    criteria: IncidentPermissionCriteria | undefined,
  ) {
    const incidents = criteria
      ? this.options.reader.selectIds({ permissionCriteria: criteria })
      : undefined;
    const { oncall, config } = this.options;
    if (
      filter.scheduleId &&
      !oncall.listSchedules().some(s => s.id === filter.scheduleId)
    ) {
      throw new NotFoundError(`Schedule '${filter.scheduleId}' not found`);
    }
    const schedules = oncall
      .listSchedules()
      .filter(
        s => s.active && (!filter.scheduleId || s.id === filter.scheduleId),
      );
    const users = new Map<string, { hours: Split; pages: Split }>();
    const user = (ref: string) => {
      let entry = users.get(ref);
      if (!entry) {
        entry = { hours: zero(), pages: zero() };
        users.set(ref, entry);
      }
      return entry;
    };
    const perSchedule = new Map<
      string,
      Map<string, { hours: number; pages: number }>
    >();
    const calendars = new Map<string, HourCalendar>();
    const calendar = (zone: string) => {
      let c = calendars.get(zone);
      if (!c) {
        c = new HourCalendar(range.from, range.to, config.businessHours, zone);
        calendars.set(zone, c);
      }
      return c;
    };
    const slots = await oncall.slotsBetween(
      schedules.map(s => s.id),
      range.from,
      range.to,
    );
    for (const schedule of schedules) {
      const members = new Map<string, { hours: number; pages: number }>();
      perSchedule.set(schedule.id, members);
      for (const slot of slots.get(schedule.id) ?? []) {
        const start = new Date(
          Math.max(new Date(slot.start).getTime(), range.from.getTime()),
        );
        const end = new Date(
          Math.min(new Date(slot.end).getTime(), range.to.getTime()),
        );
        if (end <= start) continue;
        const split = calendar(schedule.timeZone).split(start, end);
        const entry = user(slot.userRef);
        for (const c of Object.keys(split) as HourCategory[])
          entry.hours[c] += split[c];
        const member = members.get(slot.userRef) ?? { hours: 0, pages: 0 };
        member.hours += end.getTime() - start.getTime();
        members.set(slot.userRef, member);
      }
    }
    const zones = new Map(schedules.map(s => [s.id, s.timeZone]));
    for (const page of await this.options.pages.interruptions({
      ...range,
      incidents,
    })) {
      const scheduleId = page.via?.startsWith('schedule:')
        ? page.via.slice(9)
        : undefined;
      if (filter.scheduleId && scheduleId !== filter.scheduleId) continue;
      const zone = (scheduleId && zones.get(scheduleId)) || config.timeZone;
      const category =
        calendar(zone).categoryOf(page.at) ??
        categoryAt(page.at, config.businessHours, zone);
      user(page.recipient).pages[category] += 1;
      const member = scheduleId ? perSchedule.get(scheduleId) : undefined;
      if (member) {
        const m = member.get(page.recipient) ?? { hours: 0, pages: 0 };
        m.pages += 1;
        member.set(page.recipient, m);
      }
    }
    const byLoad = (
      a: { pages: Split; hours: Split; userRef: string },
      b: { pages: Split; hours: Split; userRef: string },
    ) =>
      total(b.pages) - total(a.pages) ||
      total(b.hours) - total(a.hours) ||
      a.userRef.localeCompare(b.userRef);
    const rotas = schedules.map(s =>
      fairness(s.id, s.name, perSchedule.get(s.id)!),
    );
    const interruptions = (r: (typeof rotas)[number]) =>
      r.members.reduce((a, m) => a + m.interruptions, 0);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      totalUsers: users.size,
      totalSchedules: rotas.length,
      users: [...users]
        .map(([userRef, { hours, pages }]) => ({ userRef, hours, pages }))
        .sort(byLoad)
        .map(({ userRef, hours, pages }) => ({
          userRef,
          hours: {
            business: round(hours.business / HOUR_MS),
            off: round(hours.off / HOUR_MS),
            sleep: round(hours.sleep / HOUR_MS),
          },
          pages,
        })),
      schedules: rotas.sort(
        (a, b) =>
          interruptions(b) - interruptions(a) || a.name.localeCompare(b.name),
      ),
    };
  }
}

/** Each member's share of a rota's hours and interruptions. */
function fairness(
  id: string,
  name: string,
  members: Map<string, { hours: number; pages: number }>,
) {
  const hours = [...members.values()].reduce((a, m) => a + m.hours, 0);
  const pages = [...members.values()].reduce((a, m) => a + m.pages, 0);
  return {
    id,
    name,
    members: [...members]
      .map(([userRef, m]) => ({
        userRef,
        hours: round(m.hours / HOUR_MS),
        hoursShare: hours ? round((m.hours / hours) * 100) : 0,
        interruptions: m.pages,
        interruptionShare: pages ? round((m.pages / pages) * 100) : 0,
      }))
      .sort((a, b) => a.userRef.localeCompare(b.userRef)),
  };
}

function round(value: number) {
  return Math.round(value * 100) / 100;
}
