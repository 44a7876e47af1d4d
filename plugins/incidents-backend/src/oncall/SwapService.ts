/*
 * Swap requests: a schedule member offers a slot of theirs (or part of it)
 * to another member, who accepts or declines.
 *
 * - Proposing, accepting and declining need `incidents.schedule.swap`; on
 *   top of it members only give away time that is theirs (every instant of
 *   the range, overrides included), only to another member of the schedule,
 *   and only answer requests made to them. The proposer may cancel.
 * - Accepting makes an override for the target over the range, in the same
 *   transaction as the decision (a compare-and-set on `pending`, so two
 *   answers at once give one decision and one override); regeneration keeps
 *   overrides. Admins still change anything with overrides and hand-offs.
 * - Every step is on the schedule's audit list, and the other person gets a
 *   notification.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { oncallSwapPermission } from '@vigil/plugin-incidents-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { checkOverrideRange, OncallService, parseTime } from './OncallService';
import { OncallStore, SwapRequest, SwapStatus } from './OncallStore';

/** Requests may start this long before now (the form's "now" is a bit old). */
const PAST_TOLERANCE_MS = 5 * 60_000;

export class SwapService {
  constructor(
    private readonly options: {
      store: OncallStore;
      oncall: OncallService;
      authorizer: IncidentAuthorizer;
      notifications: NotificationService;
      logger: LoggerService;
      appBaseUrl: string;
    },
  ) {}

  async list(
    scheduleId: string,
    status: SwapStatus | undefined,
  ): Promise<SwapRequest[]> {
    this.options.oncall.getSchedule(scheduleId);
    return this.options.store.listSwaps({ scheduleId, status });
  }

  /** Pending requests offered to the user, and those they made. */
  async mine(userRef: string): Promise<SwapRequest[]> {
    return this.options.store.listSwaps({ userRef, status: 'pending' });
  }

  async timeline(scheduleId: string) {
    this.options.oncall.getSchedule(scheduleId);
    return this.options.store.listEvents(scheduleId, 200);
  }

  async propose(
    scheduleId: string,
    body: { targetRef: string; start: string; end: string; reason?: string },
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<SwapRequest> {
    const { store, oncall } = this.options;
    const schedule = oncall.getSchedule(scheduleId);
    await this.authorize(credentials);
    const requester = credentials.principal.userEntityRef;
    const start = parseTime(body.start, 'start');
    const end = parseTime(body.end, 'end');
    checkOverrideRange(start, end);
    if (end <= start) {
      throw new InputError('end: must be after start');
    }
    const now = oncall.now();
    if (start.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      throw new InputError('start: a swap covers time ahead, not past time');
    }
    const target = await oncall.catalogUser(body.targetRef, 'targetRef');
    if (!schedule.members.includes(requester)) {
      throw new NotAllowedError(
        `Only members of ${schedule.name} may offer its slots`,
      );
    }
    if (!schedule.members.includes(target)) {
      throw new InputError(
        `targetRef: ${target} is not a member of ${schedule.name}`,
      );
    }
    if (target === requester) {
      throw new InputError('targetRef: offer the slot to someone else');
    }
    if (!(await this.owns(scheduleId, requester, start, end))) {
      throw new NotAllowedError('You can only offer time you are on call for');
    }
    const overlapping = (
      await store.listSwaps({
        scheduleId,
        userRef: requester,
        status: 'pending',
      })
    ).find(
      s =>
        s.requester === requester &&
        Date.parse(s.start) < end.getTime() &&
        Date.parse(s.end) > start.getTime(),
    );
    if (overlapping) {
      throw new ConflictError(
        `You already offered part of this time (request ${overlapping.id})`,
      );
    }
    const swap = await store.createSwap(
      {
        scheduleId,
        requester,
        target,
        start: start.toISOString(),
        end: end.toISOString(),
        reason: body.reason?.trim() || undefined,
      },
      now,
    );
    await this.notify(target, {
      title: `Swap request: ${schedule.name}`,
      description: `${requester} asks you to take ${schedule.name} from ${swap.start} to ${swap.end}.`,
      scope: `oncall-swap:${swap.id}`,
    });
    return swap;
  }

  async decide(
    scheduleId: string,
    swapId: string,
    decision: 'accept' | 'decline' | 'cancel',
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<SwapRequest> {
    const { store, oncall } = this.options;
    const schedule = oncall.getSchedule(scheduleId);
    const actor = credentials.principal.userEntityRef;
    const swap = await store.getSwap(swapId);
    if (!swap || swap.scheduleId !== scheduleId) {
      throw new NotFoundError(`Swap request '${swapId}' not found`);
    }
    if (decision === 'cancel') {
      if (swap.requester !== actor) {
        throw new NotAllowedError('Only who made a swap request may cancel it');
      }
    } else {
      await this.authorize(credentials);
      if (swap.target !== actor) {
        throw new NotAllowedError(
          `Only ${swap.target}, who was asked, may ${decision} this swap`,
        );
      }
    }
    if (swap.status !== 'pending') {
      throw new ConflictError(`This swap request is already ${swap.status}`);
    }
    if (decision === 'accept') {
      // The time must still be the proposer's (no admin override since).
      const owns = await this.owns(
        scheduleId,
        swap.requester,
        new Date(swap.start),
        new Date(swap.end),
      );
      if (!owns) {
        throw new ConflictError(
          `The time is no longer ${swap.requester}'s (the schedule changed since the request)`,
        );
      }
    }
    const status = (
      { accept: 'accepted', decline: 'declined', cancel: 'cancelled' } as const
    )[decision];
    const decided = await store.decideSwap({
      id: swapId,
      status,
      actor,
      now: oncall.now(),
      event: {
        at: oncall.now().toISOString(),
        actor,
        type: `swap.${status}`,
        message: `${actor} ${status} the swap of ${swap.start} to ${swap.end} from ${swap.requester} to ${swap.target}`,
      },
    });
    if (!decided) {
      throw new ConflictError('This swap request was decided meanwhile');
    }
    const other = decision === 'cancel' ? swap.target : swap.requester;
    await this.notify(other, {
      title: `Swap ${status}: ${schedule.name}`,
      description: `${actor} ${status} the swap of ${schedule.name} from ${swap.start} to ${swap.end}.`,
      scope: `oncall-swap:${swap.id}`,
    });
    return decided;
  }

  // ---- internals ----------------------------------------------------------

  private authorize(credentials: BackstageCredentials) {
    return this.options.authorizer.authorizeBasic(
      oncallSwapPermission,
      credentials,
      'swap on-call slots',
    );
  }

  /** Every instant of [start, end) is `userRef`'s on the schedule. */
  private async owns(
    scheduleId: string,
    userRef: string,
    start: Date,
    end: Date,
  ): Promise<boolean> {
    const segments = await this.options.store.effectiveSlots(
      scheduleId,
      start,
      end,
    );
    let covered = start.getTime();
    for (const s of segments) {
      const from = Date.parse(s.start);
      const to = Date.parse(s.end);
      if (to <= covered) continue;
      if (from > covered || s.userRef !== userRef) break;
      covered = to;
      if (covered >= end.getTime()) return true;
    }
    return false;
  }

  private async notify(
    userRef: string,
    payload: { title: string; description: string; scope: string },
  ) {
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: userRef },
        payload: {
          ...payload,
          link: `${this.options.appBaseUrl}/oncall`,
          severity: 'normal',
          topic: 'oncall-swap',
        },
      });
    } catch (error) {
      // The request itself is stored; the page shows it either way.
      this.options.logger.warn(
        `Could not notify ${userRef} of a swap: ${error}`,
      );
    }
  }
}
