import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ONCALL_SCHEDULE,
  oncallScheduleManagePermission,
} from '@vigil/plugin-incidents-common';
import ical from 'ical-generator';
import { DateTime } from 'luxon';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { actorOf, normalizeEntityRef } from '../lib/identity';
import { TaskDefinition } from '../lib/tasks';
import { ScheduleDefinition } from './config';
import { OncallSlot, OncallStore } from './OncallStore';

const DAY_MS = 86_400_000;

/**
 * On-call: schedules from config, their generated slots, and the questions
 * people ask of them ("who is on call", "when am I on").
 */
export class OncallService {
  private readonly schedules: Map<string, ScheduleDefinition>;

  constructor(
    private readonly options: {
      store: OncallStore;
      schedules: ScheduleDefinition[];
      horizonWeeks: number;
      catalog: CatalogService;
      auth: AuthService;
      authorizer: IncidentAuthorizer;
      logger: LoggerService;
      /** The clock; tests move it. */
      now?: () => Date;
    },
  ) {
    this.schedules = new Map(options.schedules.map(s => [s.id, s]));
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** One runner across replicas keeps every schedule generated ahead. */
  tasks(): TaskDefinition[] {
    return [
      {
        id: 'incidents-oncall-extend',
        frequency: { hours: 1 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 1 },
        fn: () => this.extendAll(),
      },
    ];
  }

  listSchedules(): ScheduleDefinition[] {
    return [...this.schedules.values()];
  }

  /**
   * Re-reads the definitions into slots: the rotation is regenerated from
   * now so config changes take effect at the next boundary; overrides stay.
   */
  async syncFromConfig(): Promise<void> {
    const now = this.now();
    for (const schedule of this.activeSchedules()) {
      const generated = await this.options.store.regenerate(
        schedule.id,
        schedule,
        now,
        this.horizonEnd(now),
      );
      this.options.logger.info(
        `On-call schedule ${schedule.id}: ${generated} slots generated ahead`,
      );
    }
  }

  /** Keeps every active schedule generated to the horizon. */
  async extendAll(): Promise<void> {
    const now = this.now();
    for (const schedule of this.activeSchedules()) {
      await this.options.store.extend(
        schedule.id,
        schedule,
        now,
        this.horizonEnd(now),
      );
    }
  }

  /**
   * Who is on call now: on the schedule given by id, on the entity's
   * schedule (its annotation, else its owner group's), or on every active
   * schedule.
   */
  async whoIsOnCall(options: {
    entityRef?: string;
    /** One schedule by id; an unknown id is "not found". */
    scheduleId?: string;
    credentials: BackstageCredentials;
  }) {
    await this.authorizeRead(options.credentials);
    let schedules: ScheduleDefinition[];
    if (options.scheduleId) {
      schedules = [this.mustGetSchedule(options.scheduleId)];
    } else if (options.entityRef) {
      schedules = await this.schedulesForEntity(options.entityRef);
    } else {
      schedules = this.activeSchedules();
    }
    const current = await this.options.store.whoIsOnCall(
      schedules.map(s => s.id),
      this.now(),
    );
    return schedules.map(schedule => {
      const slot = current.get(schedule.id);
      return {
        schedule: { id: schedule.id, name: schedule.name },
        user: slot?.userRef,
        start: slot?.start,
        end: slot?.end,
        isOverride: slot?.isOverride,
      };
    });
  }

  /**
   * The user on call for each of the given active schedules at `at`
   * (default now); schedules with nobody on call are absent.
   */
  async onCallUsers(
    scheduleIds: string[],
    at: Date = this.now(),
  ): Promise<Map<string, string>> {
    const active = scheduleIds.filter(id => this.schedules.get(id)?.active);
    const current = await this.options.store.whoIsOnCall(active, at);
    return new Map([...current].map(([id, slot]) => [id, slot.userRef]));
  }

  async slots(scheduleId: string, from?: string, to?: string) {
    this.mustGetSchedule(scheduleId);
    const start = from ? parseTime(from, 'from') : this.now();
    const end = to
      ? parseTime(to, 'to')
      : new Date(start.getTime() + 14 * DAY_MS);
    if (end <= start) {
      throw new InputError("'to' must be after 'from'");
    }
    return this.options.store.effectiveSlots(scheduleId, start, end);
  }

  /** Changes whenever slots are written (overrides, hand-offs, regeneration). */
  slotsStamp() {
    return this.options.store.slotsStamp();
  }

  /** Schedules' effective slots (overrides cut into the rotation) over [from, to), by id. */
  slotsBetween(scheduleIds: string[], from: Date, to: Date) {
    scheduleIds.forEach(id => this.mustGetSchedule(id));
    return this.options.store.effectiveSlotsOf(scheduleIds, from, to);
  }

  async scheduleCalendar(scheduleId: string): Promise<string> {
    const schedule = this.mustGetSchedule(scheduleId);
    const now = this.now();
    const slots = await this.options.store.effectiveSlots(
      scheduleId,
      new Date(now.getTime() - 7 * DAY_MS),
      this.horizonEnd(now),
    );
    return this.calendar(`On call: ${schedule.name}`, slots, s => s.userRef);
  }

  async myShiftsCalendar(userRef: string): Promise<string> {
    const now = this.now();
    const slots: OncallSlot[] = [];
    for (const schedule of this.activeSchedules()) {
      const effective = await this.options.store.effectiveSlots(
        schedule.id,
        new Date(now.getTime() - 7 * DAY_MS),
        this.horizonEnd(now),
      );
      slots.push(...effective.filter(s => s.userRef === userRef));
    }
    return this.calendar(
      'My on-call shifts',
      slots,
      s => `On call: ${this.schedules.get(s.scheduleId)?.name ?? s.scheduleId}`,
    );
  }

  /** The user's secret subscription link to a schedule's feed, or their shifts'. */
  async calendarLink(userRef: string, scheduleId?: string) {
    if (scheduleId) {
      this.mustGetSchedule(scheduleId);
    }
    const token = await this.options.store.calendarToken(
      userRef,
      scheduleId ?? null,
    );
    return {
      path: `/oncall/feeds/${token}`,
      ...(scheduleId ? { scheduleId } : {}),
    };
  }

  /** The feed a subscription link stands for; an unknown token is not found. */
  async calendarFeed(token: string): Promise<string> {
    const owner = await this.options.store.calendarTokenOwner(token);
    if (!owner) {
      throw new NotFoundError('No such calendar link');
    }
    return owner.scheduleId
      ? this.scheduleCalendar(owner.scheduleId)
      : this.myShiftsCalendar(owner.userRef);
  }

  async addOverride(
    scheduleId: string,
    body: { userRef: string; start: string; end: string; reason?: string },
    credentials: BackstageCredentials,
  ) {
    this.mustGetSchedule(scheduleId);
    await this.authorizeManage(credentials);
    const start = parseTime(body.start, 'start');
    const end = parseTime(body.end, 'end');
    checkOverrideRange(start, end);
    return this.options.store.addOverride({
      scheduleId,
      userRef: await this.catalogUser(body.userRef),
      start,
      end,
      actor: actorOf(credentials),
      reason: body.reason,
      now: this.now(),
    });
  }

  async handoff(
    scheduleId: string,
    body: { userRef: string; at?: string },
    credentials: BackstageCredentials,
  ) {
    this.mustGetSchedule(scheduleId);
    await this.authorizeManage(credentials);
    const at = body.at ? parseTime(body.at, 'at') : this.now();
    checkOverrideTime(at, 'at');
    return this.options.store.handoff({
      scheduleId,
      userRef: await this.catalogUser(body.userRef),
      at,
      actor: actorOf(credentials),
      now: this.now(),
    });
  }

  async regenerate(
    scheduleId: string,
    from: string | undefined,
    credentials: BackstageCredentials,
  ) {
    const schedule = this.mustGetSchedule(scheduleId);
    await this.authorizeManage(credentials);
    const start = from ? parseTime(from, 'from') : this.now();
    return this.options.store.regenerate(
      scheduleId,
      schedule,
      start,
      this.horizonEnd(this.now()),
    );
  }

  // ---- internals ----------------------------------------------------------

  private activeSchedules() {
    return this.listSchedules().filter(s => s.active);
  }

  private horizonEnd(now: Date) {
    return new Date(now.getTime() + this.options.horizonWeeks * 7 * DAY_MS);
  }

  /** The schedule by id; an unknown id is "not found". */
  getSchedule(id: string): ScheduleDefinition {
    return this.mustGetSchedule(id);
  }

  private mustGetSchedule(id: string): ScheduleDefinition {
    const schedule = this.schedules.get(id);
    if (!schedule) {
      throw new NotFoundError(`On-call schedule '${id}' not found`);
    }
    return schedule;
  }

  /** A user ref given by a caller, as a full ref of a user in the catalog. */
  async catalogUser(ref: string, field = 'userRef'): Promise<string> {
    const userRef = normalizeEntityRef(ref, 'user', field);
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const user = await this.options.catalog.getEntityByRef(userRef, {
      credentials,
    });
    if (!user) {
      throw new InputError(`${field}: unknown catalog user ${userRef}`);
    }
    return userRef;
  }

  /**
   * The schedule named by the entity's annotation, else by its owner
   * group's annotation.
   */
  private async schedulesForEntity(
    entityRef: string,
  ): Promise<ScheduleDefinition[]> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new InputError(`entityRef: unknown catalog entity ${entityRef}`);
    }
    let scheduleId = entity.metadata.annotations?.[ANNOTATION_ONCALL_SCHEDULE];
    if (!scheduleId) {
      const owner = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
      if (owner) {
        const group = await this.options.catalog.getEntityByRef(
          owner.targetRef,
          { credentials },
        );
        scheduleId = group?.metadata.annotations?.[ANNOTATION_ONCALL_SCHEDULE];
      }
    }
    const schedule = scheduleId ? this.schedules.get(scheduleId) : undefined;
    return schedule?.active ? [schedule] : [];
  }

  /**
   * Throws NotAllowedError unless the caller may read on-call: whoever may
   * read incidents (a service token restricted to alert intake may not).
   */
  authorizeRead(credentials: BackstageCredentials) {
    return this.options.authorizer.authorizeViewer(
      credentials,
      'view on-call schedules',
    );
  }

  private authorizeManage(credentials: BackstageCredentials) {
    return this.options.authorizer.authorizeBasic(
      oncallScheduleManagePermission,
      credentials,
      'change on-call schedules',
    );
  }

  private calendar(
    name: string,
    slots: OncallSlot[],
    summary: (slot: OncallSlot) => string,
  ): string {
    const calendar = ical({
      name,
      prodId: { company: 'Vigil', product: 'on-call' },
    });
    for (const slot of slots) {
      calendar.createEvent({
        id: `${slot.id}-${slot.start}@vigil`,
        start: new Date(slot.start),
        end: new Date(slot.end),
        summary: summary(slot),
        description: slot.isOverride
          ? `Override${slot.reason ? `: ${slot.reason}` : ''}`
          : 'Rotation',
      });
    }
    return calendar.toString();
  }
}

/** Overrides lie within these years (UTC) and last at most a year. */
export const OVERRIDE_LIMITS = {
  earliest: Date.UTC(2000, 0, 1),
  latest: Date.UTC(2101, 0, 1),
  maxLengthMs: 366 * DAY_MS,
};

function checkOverrideTime(time: Date, field: string) {
  const { earliest, latest } = OVERRIDE_LIMITS;
  if (time.getTime() < earliest || time.getTime() >= latest) {
    throw new InputError(`${field}: must lie within the years 2000–2100`);
  }
}

export function checkOverrideRange(start: Date, end: Date) {
  checkOverrideTime(start, 'start');
  checkOverrideTime(end, 'end');
  if (end.getTime() - start.getTime() > OVERRIDE_LIMITS.maxLengthMs) {
    throw new InputError('end: an override lasts at most 366 days');
  }
}

export function parseTime(value: string, field: string): Date {
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) {
    throw new InputError(`${field}: '${value}' is not an ISO 8601 time`);
  }
  return parsed.toJSDate();
}
