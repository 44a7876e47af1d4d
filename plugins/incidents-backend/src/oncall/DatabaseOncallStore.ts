/*
 * On-call slots.
 *
 * Guarantees:
 * - Overrides (is_override) are never touched by regeneration or extension.
 * - Extension is deterministic: slots come from the rotation spec alone, so
 *   extending twice, or from two replicas, never changes or duplicates a slot
 *   (PostgreSQL takes a per-schedule advisory lock; SQLite serialises
 *   writers).
 * - "Who is on call" prefers the newest override covering the instant, then
 *   the rotation slot.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { randomBytes, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { isPostgres } from '../lib/database';
import { applyDatabaseMigrations } from '../lib/migrations';
import { isUniqueViolation, tableStamp } from '../lib/rows';
import {
  OncallSlot,
  OncallStore,
  ScheduleEvent,
  ScheduleEventInput,
  SwapRequest,
  SwapStatus,
} from './OncallStore';
import { generateRotationSlots, RotationSpec } from './rotation';

/** Another caller decided the swap first (rolls the transaction back). */
class SwapRaceError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SlotRow = {
  id: string;
  schedule_id: string;
  user_ref: string;
  start_at: Date | string | number;
  end_at: Date | string | number;
  is_override: boolean | number;
  rotation_index: number | null;
  created_by: string | null;
  reason: string | null;
  created_at: Date | string | number;
};

/** On-call slots in Backstage's database. */
export class DatabaseOncallStore implements OncallStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseOncallStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabaseOncallStore(knex);
  }

  private readonly isPostgres: boolean;

  private constructor(private readonly knex: Knex) {
    this.isPostgres = isPostgres(knex);
  }

  /**
   * Makes sure rotation slots exist up to `until`, generating only after the
   * last one already there.
   */
  async extend(
    scheduleId: string,
    spec: RotationSpec,
    now: Date,
    until: Date,
  ): Promise<number> {
    return this.knex.transaction(async tx => {
      await this.lockSchedule(tx, scheduleId);
      const last = await tx<SlotRow>('oncall_slot')
        .where({ schedule_id: scheduleId, is_override: false })
        .max({ end: 'end_at' })
        .first();
      const lastEnd = last?.end ? new Date(last.end as any) : undefined;
      const from = lastEnd && lastEnd > now ? lastEnd : now;
      const slots = generateRotationSlots(spec, from, until).filter(
        s => !lastEnd || s.start >= lastEnd,
      );
      await this.insertRotationSlots(tx, scheduleId, slots);
      return slots.length;
    });
  }

  /**
   * Regenerates the rotation from `from` on (after a config change, or an
   * admin's "regenerate from here"): rotation slots starting at or after
   * `from` are replaced; the slot covering `from` and every override stay.
   */
  async regenerate(
    scheduleId: string,
    spec: RotationSpec,
    from: Date,
    until: Date,
  ): Promise<number> {
    return this.knex.transaction(async tx => {
      await this.lockSchedule(tx, scheduleId);
      await tx('oncall_slot')
        .where({ schedule_id: scheduleId, is_override: false })
        .where('start_at', '>=', from)
        .delete();
      const covering = await tx<SlotRow>('oncall_slot')
        .where({ schedule_id: scheduleId, is_override: false })
        .where('start_at', '<', from)
        .where('end_at', '>', from)
        .first();
      const slots = generateRotationSlots(spec, from, until).filter(
        s => !covering || s.start >= new Date(covering.end_at as any),
      );
      await this.insertRotationSlots(tx, scheduleId, slots);
      return slots.length;
    });
  }

  /** Who covers each schedule at `at`: the newest override, else the rotation. */
  async whoIsOnCall(
    scheduleIds: string[],
    at: Date,
  ): Promise<Map<string, OncallSlot>> {
    const rows: SlotRow[] = await this.knex<SlotRow>('oncall_slot')
      .whereIn('schedule_id', scheduleIds)
      .where('start_at', '<=', at)
      .where('end_at', '>', at)
      .orderBy([
        { column: 'is_override', order: 'desc' },
        { column: 'created_at', order: 'desc' },
      ]);
    const result = new Map<string, OncallSlot>();
    for (const row of rows) {
      if (!result.has(row.schedule_id)) {
        result.set(row.schedule_id, toSlot(row));
      }
    }
    return result;
  }

  /** Every stored slot of a schedule overlapping [from, to), by start. */
  slotsStamp(): Promise<string> {
    return tableStamp(this.knex, 'oncall_slot');
  }

  async listSlots(
    scheduleId: string,
    from: Date,
    to: Date,
  ): Promise<OncallSlot[]> {
    const rows: SlotRow[] = await this.knex<SlotRow>('oncall_slot')
      .where({ schedule_id: scheduleId })
      .where('start_at', '<', to)
      .where('end_at', '>', from)
      .orderBy([{ column: 'start_at' }, { column: 'is_override' }]);
    return rows.map(toSlot);
  }

  /**
   * The schedule as people live it over [from, to): non-overlapping segments
   * where overrides cut into rotation slots.
   */
  async effectiveSlots(
    scheduleId: string,
    from: Date,
    to: Date,
  ): Promise<OncallSlot[]> {
    const slots = await this.listSlots(scheduleId, from, to);
    return cutByOverrides(slots, from, to);
  }

  /** {@link effectiveSlots} of many schedules, in one read. */
  async effectiveSlotsOf(
    scheduleIds: string[],
    from: Date,
    to: Date,
  ): Promise<Map<string, OncallSlot[]>> {
    const rows: SlotRow[] = [];
    for (let i = 0; i < scheduleIds.length; i += 500) {
      rows.push(
        ...(await this.knex<SlotRow>('oncall_slot')
          .whereIn('schedule_id', scheduleIds.slice(i, i + 500))
          .where('start_at', '<', to)
          .where('end_at', '>', from)
          .orderBy([{ column: 'start_at' }, { column: 'is_override' }])),
      );
    }
    const bySchedule = new Map<string, OncallSlot[]>(
      scheduleIds.map(id => [id, []]),
    );
    for (const row of rows) bySchedule.get(row.schedule_id)?.push(toSlot(row));
    for (const [id, slots] of bySchedule) {
      bySchedule.set(id, cutByOverrides(slots, from, to));
    }
    return bySchedule;
  }

  async addOverride(options: {
    scheduleId: string;
    userRef: string;
    start: Date;
    end: Date;
    actor: string;
    reason?: string;
    event?: ScheduleEventInput;
    now?: Date;
  }): Promise<OncallSlot> {
    if (options.end <= options.start) {
      throw new InputError('An override must end after it starts');
    }
    const row = overrideRow(options);
    await this.knex.transaction(async tx => {
      await tx('oncall_slot').insert(row);
      await insertEvent(
        tx,
        options.scheduleId,
        options.event ?? {
          at: (options.now ?? row.created_at).toISOString(),
          actor: options.actor,
          type: 'override.added',
          message: `${
            options.userRef
          } covers ${options.start.toISOString()} to ${options.end.toISOString()}${
            options.reason ? ` (${options.reason})` : ''
          }`,
        },
      );
    });
    return toSlot(row);
  }

  /**
   * Hands the schedule over to `userRef` at `at`: the slot covering `at` is
   * end-stamped there and an override runs to the rotation's next boundary.
   */
  async handoff(options: {
    scheduleId: string;
    userRef: string;
    at: Date;
    actor: string;
    now?: Date;
  }): Promise<OncallSlot> {
    const { scheduleId, userRef, at, actor } = options;
    return this.knex.transaction(async tx => {
      await this.lockSchedule(tx, scheduleId);
      const covering: SlotRow[] = await tx<SlotRow>('oncall_slot')
        .where({ schedule_id: scheduleId })
        .where('start_at', '<=', at)
        .where('end_at', '>', at);
      const rotation = covering.find(r => !r.is_override);
      if (!rotation) {
        throw new NotFoundError(
          `Schedule '${scheduleId}' has no rotation slot at ${at.toISOString()}`,
        );
      }
      const boundary = new Date(rotation.end_at as any);
      await tx('oncall_slot')
        .whereIn(
          'id',
          covering.map(r => r.id),
        )
        .update({ end_at: at });
      const row = {
        id: randomUUID(),
        schedule_id: scheduleId,
        user_ref: userRef,
        start_at: at,
        end_at: boundary,
        is_override: true,
        rotation_index: null,
        created_by: actor,
        reason: 'hand-off',
        created_at: new Date(),
      };
      await tx('oncall_slot').insert(row);
      await insertEvent(tx, scheduleId, {
        at: (options.now ?? row.created_at).toISOString(),
        actor,
        type: 'handoff',
        message: `Handed to ${userRef} at ${at.toISOString()} until ${boundary.toISOString()}`,
      });
      return toSlot(row);
    });
  }

  async claimHandoff(claim: {
    scheduleId: string;
    at: Date;
    from: string | null;
    to: string | null;
    now: Date;
  }): Promise<boolean> {
    return this.claim('oncall_handoff', {
      schedule_id: claim.scheduleId,
      handoff_at: claim.at,
      from_user: claim.from,
      to_user: claim.to,
      announced_at: claim.now,
    });
  }

  async earliestSlotStart(scheduleId: string): Promise<Date | undefined> {
    const row: any = await this.knex('oncall_slot')
      .where({ schedule_id: scheduleId })
      .min({ first: 'start_at' })
      .first();
    return row?.first ? new Date(row.first) : undefined;
  }

  async releaseHandoff(scheduleId: string, at: Date): Promise<void> {
    await this.knex('oncall_handoff')
      .where({ schedule_id: scheduleId, handoff_at: at })
      .delete();
  }

  async claimShiftNotice(claim: {
    scheduleId: string;
    userRef: string;
    start: Date;
    end: Date;
    now: Date;
  }): Promise<boolean> {
    return this.claim('oncall_shift_notice', {
      schedule_id: claim.scheduleId,
      user_ref: claim.userRef,
      shift_start: claim.start,
      shift_end: claim.end,
      sent_at: claim.now,
    });
  }

  async releaseShiftNotice(
    scheduleId: string,
    userRef: string,
    start: Date,
  ): Promise<void> {
    await this.knex('oncall_shift_notice')
      .where({ schedule_id: scheduleId, user_ref: userRef, shift_start: start })
      .delete();
  }

  async calendarToken(
    userRef: string,
    scheduleId: string | null,
  ): Promise<string> {
    const find = async () => {
      const row = await this.knex('oncall_calendar_token')
        .where({ user_ref: userRef })
        .andWhere(q =>
          scheduleId === null
            ? q.whereNull('schedule_id')
            : q.where('schedule_id', scheduleId),
        )
        .orderBy('created_at')
        .first();
      return row?.token as string | undefined;
    };
    const existing = await find();
    if (existing) {
      return existing;
    }
    const token = randomBytes(24).toString('base64url');
    await this.knex('oncall_calendar_token').insert({
      token,
      user_ref: userRef,
      schedule_id: scheduleId,
      created_at: new Date(),
    });
    // Two first requests at once: both answer the oldest link.
    return (await find()) ?? token;
  }

  async calendarTokenOwner(
    token: string,
  ): Promise<{ userRef: string; scheduleId: string | null } | undefined> {
    const row = await this.knex('oncall_calendar_token')
      .where({ token })
      .first();
    return row
      ? { userRef: row.user_ref, scheduleId: row.schedule_id ?? null }
      : undefined;
  }

  async addOverrides(
    scheduleId: string,
    overrides: Array<{
      userRef: string;
      start: Date;
      end: Date;
      reason: string;
    }>,
    actor: string,
    event: ScheduleEventInput,
  ): Promise<number> {
    const rows = overrides.map(o => overrideRow({ ...o, scheduleId, actor }));
    await this.knex.transaction(async tx => {
      await this.lockSchedule(tx, scheduleId);
      for (let i = 0; i < rows.length; i += 50) {
        await tx('oncall_slot').insert(rows.slice(i, i + 50));
      }
      await insertEvent(tx, scheduleId, event);
    });
    return rows.length;
  }

  async createSwap(
    swap: Omit<SwapRequest, 'id' | 'status' | 'createdAt'>,
    now: Date,
  ): Promise<SwapRequest> {
    const row: SwapRow = {
      id: randomUUID(),
      schedule_id: swap.scheduleId,
      requester: swap.requester,
      target: swap.target,
      start_at: new Date(swap.start),
      end_at: new Date(swap.end),
      reason: swap.reason ?? null,
      status: 'pending',
      created_at: now,
      decided_at: null,
      decided_by: null,
      override_id: null,
    };
    await this.knex.transaction(async tx => {
      await tx('oncall_swap_request').insert(row);
      await insertEvent(tx, swap.scheduleId, {
        at: now.toISOString(),
        actor: swap.requester,
        type: 'swap.proposed',
        message: `${swap.requester} offers ${swap.start} to ${swap.end} to ${
          swap.target
        }${swap.reason ? ` (${swap.reason})` : ''}`,
        data: { swapId: row.id },
      });
    });
    return toSwap(row);
  }

  async getSwap(id: string): Promise<SwapRequest | undefined> {
    if (!UUID.test(id)) {
      return undefined; // PostgreSQL refuses a malformed uuid
    }
    const row = await this.knex<SwapRow>('oncall_swap_request')
      .where({ id })
      .first();
    return row ? toSwap(row) : undefined;
  }

  async listSwaps(filter: {
    scheduleId?: string;
    userRef?: string;
    status?: SwapStatus;
  }): Promise<SwapRequest[]> {
    const query = this.knex<SwapRow>('oncall_swap_request');
    if (filter.scheduleId) query.where('schedule_id', filter.scheduleId);
    if (filter.status) query.where('status', filter.status);
    if (filter.userRef) {
      const ref = filter.userRef;
      query.andWhere(q => q.where('requester', ref).orWhere('target', ref));
    }
    const rows: SwapRow[] = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(200);
    return rows.map(toSwap);
  }

  async decideSwap(decision: {
    id: string;
    status: Exclude<SwapStatus, 'pending'>;
    actor: string;
    now: Date;
    event: ScheduleEventInput;
  }): Promise<SwapRequest | undefined> {
    const { id, status, actor, now } = decision;
    return this.knex
      .transaction(async tx => {
        const row = await tx<SwapRow>('oncall_swap_request')
          .where({ id, status: 'pending' })
          .first();
        if (!row) {
          return undefined;
        }
        let overrideId: string | null = null;
        if (status === 'accepted') {
          await this.lockSchedule(tx, row.schedule_id);
          const override = overrideRow({
            scheduleId: row.schedule_id,
            userRef: row.target,
            start: new Date(row.start_at as any),
            end: new Date(row.end_at as any),
            actor,
            reason: `swap from ${row.requester}${
              row.reason ? `: ${row.reason}` : ''
            }`,
          });
          await tx('oncall_slot').insert(override);
          overrideId = override.id;
        }
        const updated = await tx('oncall_swap_request')
          .where({ id, status: 'pending' })
          .update({
            status,
            decided_at: now,
            decided_by: actor,
            override_id: overrideId,
          });
        if (updated !== 1) {
          // Decided by someone else meanwhile: undo the override with it.
          throw new SwapRaceError();
        }
        await insertEvent(tx, row.schedule_id, {
          ...decision.event,
          data: { swapId: id, ...(overrideId ? { overrideId } : {}) },
        });
        return toSwap({
          ...row,
          status,
          decided_at: now,
          decided_by: actor,
          override_id: overrideId,
        });
      })
      .catch(error => {
        if (error instanceof SwapRaceError) return undefined;
        throw error;
      });
  }

  async addEvent(scheduleId: string, event: ScheduleEventInput): Promise<void> {
    await insertEvent(this.knex, scheduleId, event);
  }

  async listEvents(
    scheduleId: string,
    limit: number,
  ): Promise<ScheduleEvent[]> {
    const rows = await this.knex('oncall_schedule_event')
      .where({ schedule_id: scheduleId })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map((r: any) => ({
      id: r.id,
      scheduleId: r.schedule_id,
      at: new Date(r.at).toISOString(),
      actor: r.actor,
      type: r.type,
      message: r.message,
    }));
  }

  /** Inserts a claim row; false when another caller's row is there. */
  private async claim(table: string, row: object): Promise<boolean> {
    try {
      await this.knex(table).insert(row);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  private async lockSchedule(tx: Knex.Transaction, scheduleId: string) {
    if (this.isPostgres) {
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
        `oncall:${scheduleId}`,
      ]);
    }
  }

  private async insertRotationSlots(
    tx: Knex.Transaction,
    scheduleId: string,
    slots: ReturnType<typeof generateRotationSlots>,
  ) {
    const now = new Date();
    const rows = slots.map(s => ({
      id: randomUUID(),
      schedule_id: scheduleId,
      user_ref: s.userRef,
      start_at: s.start,
      end_at: s.end,
      is_override: false,
      rotation_index: s.index,
      created_by: 'system:rotation',
      reason: null,
      created_at: now,
    }));
    // SQLite limits bound parameters per statement; 10 columns × 50 rows fits.
    for (let i = 0; i < rows.length; i += 50) {
      await tx('oncall_slot').insert(rows.slice(i, i + 50));
    }
  }
}

type SwapRow = {
  id: string;
  schedule_id: string;
  requester: string;
  target: string;
  start_at: Date | string | number;
  end_at: Date | string | number;
  reason: string | null;
  status: SwapStatus;
  created_at: Date | string | number;
  decided_at: Date | string | number | null;
  decided_by: string | null;
  override_id: string | null;
};

const iso = (value: Date | string | number) =>
  new Date(value as any).toISOString();

function toSwap(row: SwapRow): SwapRequest {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    requester: row.requester,
    target: row.target,
    start: iso(row.start_at),
    end: iso(row.end_at),
    ...(row.reason ? { reason: row.reason } : {}),
    status: row.status,
    createdAt: iso(row.created_at),
    ...(row.decided_at ? { decidedAt: iso(row.decided_at) } : {}),
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.override_id ? { overrideId: row.override_id } : {}),
  };
}

function overrideRow(options: {
  scheduleId: string;
  userRef: string;
  start: Date;
  end: Date;
  actor: string;
  reason?: string;
}) {
  return {
    id: randomUUID(),
    schedule_id: options.scheduleId,
    user_ref: options.userRef,
    start_at: options.start,
    end_at: options.end,
    is_override: true,
    rotation_index: null,
    created_by: options.actor,
    reason: options.reason ?? null,
    created_at: new Date(),
  };
}

async function insertEvent(
  db: Knex | Knex.Transaction,
  scheduleId: string,
  event: ScheduleEventInput,
) {
  await db('oncall_schedule_event').insert({
    id: randomUUID(),
    schedule_id: scheduleId,
    at: new Date(event.at),
    actor: event.actor,
    type: event.type,
    message: event.message.slice(0, 1000),
    data: event.data ? JSON.stringify(event.data) : null,
  });
}

function toSlot(row: SlotRow): OncallSlot {
  return {
    id: row.id,
    scheduleId: row.schedule_id,
    userRef: row.user_ref,
    start: new Date(row.start_at as any).toISOString(),
    end: new Date(row.end_at as any).toISOString(),
    isOverride: Boolean(row.is_override),
    createdBy: row.created_by ?? undefined,
    reason: row.reason ?? undefined,
  };
}

/** Overrides cut into the rotation slots: non-overlapping segments over [from, to). */
function cutByOverrides(
  slots: OncallSlot[],
  from: Date,
  to: Date,
): OncallSlot[] {
  const overrides = slots
    .filter(s => s.isOverride)
    .sort((a, b) => a.start.localeCompare(b.start));
  const segments: OncallSlot[] = [...overrides];
  for (const slot of slots.filter(s => !s.isOverride)) {
    let pieces = [{ start: slot.start, end: slot.end }];
    for (const o of overrides) {
      pieces = pieces.flatMap(p => {
        if (o.end <= p.start || o.start >= p.end) return [p];
        const rest = [];
        if (o.start > p.start) rest.push({ start: p.start, end: o.start });
        if (o.end < p.end) rest.push({ start: o.end, end: p.end });
        return rest;
      });
    }
    segments.push(...pieces.map(p => ({ ...slot, ...p })));
  }
  return segments
    .filter(s => s.end > from.toISOString() && s.start < to.toISOString())
    .sort((a, b) => a.start.localeCompare(b.start));
}
