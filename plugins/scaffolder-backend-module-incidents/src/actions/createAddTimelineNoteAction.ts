import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { callIncidents } from './incidentsApi';

/**
 * Creates the `incidents:timeline:add` action, which writes a note (with
 * optional links) to an incident's war-room timeline.
 * @public
 */
export function createAddTimelineNoteAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { discovery, auth } = options;
  return createTemplateAction({
    id: 'incidents:timeline:add',
    description: "Adds a note to an incident's timeline in Vigil.",
    examples: [
      {
        description: 'Note a rollback on the incident a previous step opened',
        example: [
          'steps:',
          '  - id: note-rollback',
          '    if: ${{ steps.deploy.output.failed }}',
          '    action: incidents:timeline:add',
          '    input:',
          '      incident: ${{ steps["open-incident"].output.ref }}',
          '      message: Rolled back to the previous release',
          '      links:',
          '        - url: https://ci.example.com/runs/42',
          '          title: Rollback run',
        ].join('\n'),
      },
      {
        description: 'Note a change on an incident by its reference',
        example: [
          'steps:',
          '  - id: note',
          '    action: incidents:timeline:add',
          '    input:',
          '      incident: INC-42',
          '      message: Feature flag checkout-v2 turned off',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        incident: z =>
          z
            .string()
            .min(1)
            .max(100)
            .describe("The incident's id or its reference, INC-<n>"),
        message: z =>
          z.string().min(1).max(10000).describe('The note, in plain text'),
        links: z =>
          z
            .array(
              z.object({
                url: z.string().url().max(2000),
                title: z.string().max(300).optional(),
              }),
            )
            .max(20)
            .optional()
            .describe('Links shown with the note'),
      },
      output: {
        entryId: z => z.string().describe('The new timeline entry'),
      },
    },
    async handler(ctx) {
      const { incident, message, links } = ctx.input;
      // A task resumed after a restart must not write the note twice.
      const entry = await ctx.checkpoint({
        key: 'timeline-note',
        fn: async () => {
          const { body } = await callIncidents({
            discovery,
            auth,
            credentials: await ctx.getInitiatorCredentials(),
            purpose: `add the note to ${incident}`,
            call: (api, requestOptions) =>
              api.addTimelineNote(
                { path: { id: incident }, body: { message, links } },
                requestOptions,
              ),
          });
          return { id: body.id };
        },
      });
      ctx.logger.info(`Added a note to ${incident}'s timeline`);
      ctx.output('entryId', entry.id);
    },
  });
}
