import {
  OncallSlot,
  ScheduleEvent,
  SwapRequest,
  SwapStatus,
} from '@vigil/plugin-incidents-common';
import { RotationSpec } from './rotation';

export type { OncallSlot, ScheduleEvent, SwapRequest, SwapStatus };

/** An entry for a schedule's audit list. */
export type ScheduleEventInput = Omit<ScheduleEvent, 'id' | 'scheduleId'> & {
  data?: object;
};

/**
 * On-call slots (`oncall_slot`): generated rotation slots and overrides.
 * Regeneration and extension never touch overrides.
 */
export interface OncallStore {
  /** Makes sure rotation slots exist up to `until`. */
  extend(
    scheduleId: string,
    spec: RotationSpec,
    now: Date,
    until: Date,
  ): Promise<number>;
  /** Replaces the rotation from `from` on; overrides stay. */
  regenerate(
    scheduleId: string,
    spec: RotationSpec,
    from: Date,
    until: Date,
  ): Promise<number>;
  /** Who covers each schedule at `at`: the newest override, else the rotation. */
  whoIsOnCall(
    scheduleIds: string[],
    at: Date,
  ): Promise<Map<string, OncallSlot>>;
  /** Changes whenever slots are written: a cache key for figures over slots. */
  slotsStamp(): Promise<string>;
  /** Every stored slot of a schedule overlapping [from, to), by start. */
  listSlots(scheduleId: string, from: Date, to: Date): Promise<OncallSlot[]>;
  /** The schedule as people live it: overrides cut into rotation slots. */
  effectiveSlots(
    scheduleId: string,
    from: Date,
    to: Date,
  ): Promise<OncallSlot[]>;
  /** {@link OncallStore.effectiveSlots} of many schedules in one read, by id. */
  effectiveSlotsOf(
    scheduleIds: string[],
    from: Date,
    to: Date,
  ): Promise<Map<string, OncallSlot[]>>;
  /** Adds an override, with its entry on the schedule's audit list. */
  addOverride(options: {
    scheduleId: string;
    userRef: string;
    start: Date;
    end: Date;
    actor: string;
    reason?: string;
    /** The audit entry; default `override.added`. */
    event?: ScheduleEventInput;
    /** When the audit entry says it happened; default the real clock. */
    now?: Date;
  }): Promise<OncallSlot>;
  /** Hands over at `at` until the rotation's next boundary. */
  handoff(options: {
    scheduleId: string;
    userRef: string;
    at: Date;
    actor: string;
    now?: Date;
  }): Promise<OncallSlot>;
  /**
   * Claims the announcement of a hand-off (schedule + instant): true for
   * the one caller that gets it, across replicas.
   */
  claimHandoff(claim: {
    scheduleId: string;
    at: Date;
    from: string | null;
    to: string | null;
    now: Date;
  }): Promise<boolean>;
  /** When the schedule's first stored slot starts (its known history). */
  earliestSlotStart(scheduleId: string): Promise<Date | undefined>;
  /** Gives up a claim whose notices could not be sent (the next run retries). */
  releaseHandoff(scheduleId: string, at: Date): Promise<void>;
  /** Claims the notice of one shift (schedule + user + start), once. */
  claimShiftNotice(claim: {
    scheduleId: string;
    userRef: string;
    start: Date;
    end: Date;
    now: Date;
  }): Promise<boolean>;
  releaseShiftNotice(
    scheduleId: string,
    userRef: string,
    start: Date,
  ): Promise<void>;
  /** The user's calendar link token for a schedule (null: their shifts), made once. */
  calendarToken(userRef: string, scheduleId: string | null): Promise<string>;
  /** Whose link a token is, or undefined for an unknown token. */
  calendarTokenOwner(
    token: string,
  ): Promise<{ userRef: string; scheduleId: string | null } | undefined>;
  /** Stores a pending swap request and its audit entry. */
  createSwap(
    swap: Omit<SwapRequest, 'id' | 'status' | 'createdAt'>,
    now: Date,
  ): Promise<SwapRequest>;
  getSwap(id: string): Promise<SwapRequest | undefined>;
  /** Swap requests by schedule, person (as requester or target) and status, newest first. */
  listSwaps(filter: {
    scheduleId?: string;
    userRef?: string;
    status?: SwapStatus;
  }): Promise<SwapRequest[]>;
  /**
   * Moves a pending request to `status` (compare-and-set: undefined when it
   * was no longer pending); an accepted one makes its override in the same
   * transaction.
   */
  decideSwap(decision: {
    id: string;
    status: Exclude<SwapStatus, 'pending'>;
    actor: string;
    now: Date;
    event: ScheduleEventInput;
  }): Promise<SwapRequest | undefined>;
  addEvent(scheduleId: string, event: ScheduleEventInput): Promise<void>;
  /** A schedule's audit list, newest first. */
  listEvents(scheduleId: string, limit: number): Promise<ScheduleEvent[]>;
}
