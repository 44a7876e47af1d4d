import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '../lib/identity';
import { PostmortemService } from '../postmortems/PostmortemService';
import { entityRefArg, incidentArg, postmortemRecord } from './schemas';

/** get-postmortem and find-related-postmortems: reads of postmortems. */
export function registerPostmortemActions(
  registry: ActionsRegistryService,
  options: { postmortems: PostmortemService },
) {
  const { postmortems } = options;

  registry.register({
    name: 'get-postmortem',
    title: "Get an incident's postmortem",
    description: `Reads the postmortem of an incident, with its Markdown body (summary, timeline, root cause, what went well and badly, action items), in whatever state it is: draft, review or published.
An incident has a postmortem once it moved from resolved to 'postmortem'; otherwise this is a NotFoundError.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ incident: incidentArg(z) }),
      output: z => z.object({ postmortem: postmortemRecord(z) }),
    },
    action: async ({ input, credentials }) => {
      const postmortem = await postmortems.get(input.incident, credentials);
      return { output: { postmortem } };
    },
  });

  registry.register({
    name: 'find-related-postmortems',
    title: 'Find related postmortems',
    description: `Finds published postmortems worth reading while working on an incident: those of earlier incidents that touched the same services (give incident), or every published postmortem of incidents affecting a component (give entityRef). Most recent first, without bodies: read one with get-postmortem.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          incident: incidentArg(z).optional(),
          entityRef: entityRefArg(
            z,
            "A component whose incidents' postmortems to find, e.g. 'component:default/payments-api'.",
          ).optional(),
          limit: z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(20)
            .describe('At most this many (default 20).'),
        }),
      output: z =>
        z.object({
          items: z.array(postmortemRecord(z)),
        }),
    },
    action: async ({ input, credentials }) => {
      const { incident, entityRef, limit } = input;
      if (Boolean(incident) === Boolean(entityRef)) {
        throw new InputError('Give either incident or entityRef');
      }
      if (incident) {
        const related = await postmortems.related(incident, credentials);
        return { output: { items: related.slice(0, limit) } };
      }
      const { items } = await postmortems.list(
        {
          status: ['published'],
          entityRef: normalizeEntityRef(entityRef!, 'component', 'entityRef'),
          limit,
          offset: 0,
        },
        credentials,
      );
      return { output: { items } };
    },
  });
}
