import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '../lib/identity';
import { OncallService } from '../oncall/OncallService';
import { entityRefArg } from './schemas';

/** who-is-on-call: the same answer as `GET /oncall`. */
export function registerOncallActions(
  registry: ActionsRegistryService,
  options: { oncall: OncallService },
) {
  const { oncall } = options;

  registry.register({
    name: 'who-is-on-call',
    title: 'Who is on call',
    description: `Says who is on call right now, per on-call schedule.
Give a component or a group (entityRef) for the schedule responsible for it (the entity's own schedule, else its owner group's); a scheduleId for one schedule; or neither for every active schedule. A schedule with nobody on call has no user.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefArg(
            z,
            "A component or group, e.g. 'component:default/payments-api' or 'group:default/team-payments' (a bare name is a component).",
          ).optional(),
          scheduleId: z
            .string()
            .min(1)
            .max(100)
            .optional()
            .describe("An on-call schedule's id, e.g. 'payments-primary'."),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              schedule: z.object({ id: z.string(), name: z.string() }),
              user: z
                .string()
                .optional()
                .describe('The user on call, e.g. user:default/carol.'),
              start: z.string().optional().describe('Shift start, ISO 8601.'),
              end: z.string().optional().describe('Shift end, ISO 8601.'),
              isOverride: z
                .boolean()
                .optional()
                .describe('Whether the shift is an override of the rotation.'),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      if (input.entityRef && input.scheduleId) {
        throw new InputError('Give either entityRef or scheduleId, not both');
      }
      const items = await oncall.whoIsOnCall({
        entityRef: input.entityRef
          ? normalizeEntityRef(input.entityRef, 'component', 'entityRef')
          : undefined,
        scheduleId: input.scheduleId,
        credentials,
      });
      return { output: { items } };
    },
  });
}
