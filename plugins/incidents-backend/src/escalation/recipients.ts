import { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_HAS_MEMBER } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EscalationTarget } from '@vigil/plugin-incidents-common';
import { DueTimer } from './EscalationStore';
import { TimerRecipients } from './stepping';

/**
 * Who each due timer pages, resolved when it fires: schedules to whoever is
 * on call then, groups to their members (from the catalog), users to
 * themselves.
 */
export class RecipientResolver {
  constructor(
    private readonly options: {
      /** The users on call for schedules at an instant. */
      onCallUsers: (
        scheduleIds: string[],
        at: Date,
      ) => Promise<Map<string, string>>;
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  async resolve(due: DueTimer[], now: Date): Promise<TimerRecipients[]> {
    const targets = due.flatMap(t => t.policy.steps[t.step - 1]?.targets ?? []);
    const scheduleIds = [
      ...new Set(targets.flatMap(t => ('schedule' in t ? [t.schedule] : []))),
    ];
    const onCall = scheduleIds.length
      ? await this.options.onCallUsers(scheduleIds, now)
      : new Map<string, string>();
    const groups = await this.groupMembers([
      ...new Set(targets.flatMap(t => ('group' in t ? [t.group] : []))),
    ]);
    const resolve = (t: EscalationTarget) => {
      if ('schedule' in t) {
        const user = onCall.get(t.schedule);
        return user ? [{ recipient: user, via: `schedule:${t.schedule}` }] : [];
      }
      if ('user' in t) {
        return [{ recipient: t.user, via: t.user }];
      }
      return (groups.get(t.group) ?? []).map(recipient => ({
        recipient,
        via: t.group,
      }));
    };
    return due.map(timer => ({
      timer,
      recipients: (timer.policy.steps[timer.step - 1]?.targets ?? []).flatMap(
        resolve,
      ),
    }));
  }

  private async groupMembers(groups: string[]) {
    const result = new Map<string, string[]>();
    if (groups.length === 0) return result;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: groups, fields: ['relations'] },
      { credentials },
    );
    groups.forEach((group, i) => {
      result.set(
        group,
        (items[i]?.relations ?? [])
          .filter(r => r.type === RELATION_HAS_MEMBER)
          .map(r => r.targetRef)
          .sort(),
      );
    });
    return result;
  }
}
