/*
 * iCalendar import: an admin loads a schedule's upcoming shifts from a feed
 * (Opsgenie and Grafana OnCall export one) as overrides.
 *
 * - The feed comes as text or from an http(s) URL (10 s, 2 MB at most).
 * - Shifts are read from now to the slot horizon and mapped to catalog users
 *   by e-mail (`spec.profile.email`, case-insensitive). A shift whose
 *   person is already on call over all of it is "unchanged"; one with an
 *   unknown e-mail is left out and its address listed.
 * - A dry run (the default) only answers what would change; applying writes
 *   every override and one entry on the schedule's audit list in one
 *   transaction, so importing the same feed twice changes nothing the
 *   second time.
 */
import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  oncallScheduleManagePermission,
  ScheduleImport,
} from '@vigil/plugin-incidents-common';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { actorOf } from '../lib/identity';
import { FeedShift, readFeedShifts } from './icalImport';
import { OncallService } from './OncallService';
import { OncallStore } from './OncallStore';

const MAX_FEED_BYTES = 2_000_000;
const FETCH_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

export class ImportService {
  constructor(
    private readonly options: {
      store: OncallStore;
      oncall: OncallService;
      catalog: CatalogService;
      auth: AuthService;
      authorizer: IncidentAuthorizer;
      horizonWeeks: number;
      /** Fetches a feed URL; tests serve one locally. */
      fetch?: typeof fetch;
    },
  ) {}

  async importShifts(
    scheduleId: string,
    body: { url?: string; ics?: string; dryRun?: boolean },
    credentials: BackstageCredentials,
  ): Promise<ScheduleImport> {
    const { store, oncall, authorizer } = this.options;
    const schedule = oncall.getSchedule(scheduleId);
    await authorizer.authorizeBasic(
      oncallScheduleManagePermission,
      credentials,
      'import on-call shifts',
    );
    const dryRun = body.dryRun ?? true;
    const text = await this.feedText(body);
    const from = oncall.now();
    const to = new Date(
      from.getTime() + this.options.horizonWeeks * 7 * DAY_MS,
    );
    const feed = readFeedShifts(text, { from, to });
    const users = await this.usersByEmail();
    const current = await store.effectiveSlots(scheduleId, from, to);

    const shifts: ScheduleImport['shifts'] = [];
    const unmatched = new Set<string>();
    const overrides: Array<{
      userRef: string;
      start: Date;
      end: Date;
      reason: string;
    }> = [];
    for (const shift of feed) {
      const owners = ownersOver(current, shift);
      const userRef = shift.email ? users.get(shift.email) : undefined;
      let change: 'override' | 'unchanged' | 'unmatched';
      if (!userRef) {
        change = 'unmatched';
        unmatched.add(shift.email ?? `(no e-mail) ${shift.summary}`);
      } else if (owners.covered && owners.refs.every(r => r === userRef)) {
        change = 'unchanged';
      } else {
        change = 'override';
        overrides.push({
          userRef,
          start: shift.start,
          end: shift.end,
          reason: `import: ${shift.summary || shift.uid}`.slice(0, 500),
        });
      }
      shifts.push({
        start: shift.start.toISOString(),
        end: shift.end.toISOString(),
        summary: shift.summary,
        ...(shift.email ? { email: shift.email } : {}),
        ...(userRef ? { userRef } : {}),
        current: owners.refs,
        change,
      });
    }
    let applied = 0;
    if (!dryRun && overrides.length > 0) {
      const actor = actorOf(credentials);
      applied = await store.addOverrides(scheduleId, overrides, actor, {
        at: from.toISOString(),
        actor,
        type: 'import.applied',
        message: `Imported ${overrides.length} shift${
          overrides.length === 1 ? '' : 's'
        } of ${schedule.name} from an iCalendar feed${
          unmatched.size ? `; ${unmatched.size} e-mail(s) unmatched` : ''
        }`,
        data: { unmatched: [...unmatched] },
      });
    }
    return {
      dryRun,
      from: from.toISOString(),
      to: to.toISOString(),
      shifts,
      unmatched: [...unmatched],
      applied,
    };
  }

  private async feedText(body: { url?: string; ics?: string }) {
    if (body.ics && body.url) {
      throw new InputError('Give either url or ics, not both');
    }
    if (body.ics) {
      return body.ics;
    }
    if (!body.url) {
      throw new InputError('url or ics: give the feed');
    }
    let url: URL;
    try {
      url = new URL(body.url.replace(/^webcal:/i, 'https:'));
    } catch {
      throw new InputError('url: not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InputError('url: must be http(s) or webcal');
    }
    const fetchImpl = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await fetchImpl(url, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: 'follow',
      });
    } catch (error) {
      throw new InputError(`url: could not fetch the feed (${error})`);
    }
    if (!res.ok) {
      throw new InputError(`url: the feed answered ${res.status}`);
    }
    const text = await res.text();
    if (text.length > MAX_FEED_BYTES) {
      throw new InputError('url: the feed is larger than 2 MB');
    }
    return text;
  }

  /** Catalog users by lower-cased e-mail. */
  private async usersByEmail(): Promise<Map<string, string>> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'User' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.profile.email',
        ],
      },
      { credentials },
    );
    const users = new Map<string, string>();
    for (const user of items) {
      const email = (user.spec?.profile as { email?: string } | undefined)
        ?.email;
      if (email) {
        users.set(email.toLowerCase(), stringifyEntityRef(user));
      }
    }
    return users;
  }
}

/** Who is on call over the shift, and whether someone is all of it. */
function ownersOver(
  segments: Array<{ userRef: string; start: string; end: string }>,
  shift: FeedShift,
) {
  const start = shift.start.getTime();
  const end = shift.end.getTime();
  const refs = new Set<string>();
  let covered = start;
  let gap = false;
  for (const s of segments) {
    const from = Date.parse(s.start);
    const to = Date.parse(s.end);
    if (to <= start || from >= end) continue;
    refs.add(s.userRef);
    if (from > covered) gap = true;
    covered = Math.max(covered, to);
  }
  return { refs: [...refs], covered: !gap && covered >= end };
}
