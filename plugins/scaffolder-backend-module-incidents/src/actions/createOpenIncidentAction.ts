import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseSeverity, SEVERITY_INPUTS } from '@vigil/plugin-incidents-common';
import { callIncidents } from './incidentsApi';

/**
 * Creates the `incidents:create` action, which opens an incident (or
 * returns the one a retried step already opened, through its dedup key).
 * @public
 */
export function createOpenIncidentAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  appBaseUrl: string;
}) {
  const { discovery, auth, appBaseUrl } = options;
  return createTemplateAction({
    id: 'incidents:create',
    description:
      'Opens an incident in Vigil, linked to this task as the change that caused it.',
    examples: [
      {
        description: 'Open a sev2 incident when a deploy step fails',
        example: [
          'steps:',
          '  - id: open-incident',
          '    if: ${{ steps.deploy.output.failed }}',
          '    action: incidents:create',
          '    input:',
          '      title: Deploy of ${{ parameters.component }} failed',
          '      severity: sev2',
          '      entityRef: component:default/${{ parameters.component }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        title: z => z.string().min(1).max(300).describe('Incident title'),
        severity: z =>
          z
            .string()
            .refine(v => SEVERITY_INPUTS.includes(v.toLowerCase()), {
              message: `severity must be one of ${SEVERITY_INPUTS.join(', ')}`,
            })
            .describe('sev1…sev5, P1–P4 or critical/high/medium/low'),
        entityRef: z =>
          z.string().optional().describe('The affected catalog entity'),
        description: z => z.string().optional().describe('What happened'),
        changeUrl: z =>
          z
            .string()
            .url()
            .optional()
            .describe('The change that caused it; defaults to this task'),
        dedupKey: z =>
          z
            .string()
            .optional()
            .describe(
              'Opening twice with one key returns the first incident; defaults to task and step',
            ),
      },
      output: {
        id: z => z.string().describe('The incident id'),
        ref: z => z.string().describe('The human reference, INC-<n>'),
        url: z => z.string().describe('The incident page in the portal'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const taskUrl = `${appBaseUrl}/create/tasks/${ctx.task.id}`;
      const { status, body: incident } = await callIncidents({
        discovery,
        auth,
        credentials: await ctx.getInitiatorCredentials(),
        purpose: 'open the incident',
        call: (api, requestOptions) =>
          api.openIncident(
            {
              body: {
                title: input.title,
                // The schema made sure it parses; the API's enum lists few spellings.
                severity: parseSeverity(input.severity)!,
                description: input.description,
                affectedServices: input.entityRef
                  ? [input.entityRef]
                  : undefined,
                change: {
                  url: input.changeUrl ?? taskUrl,
                  title: ctx.templateInfo?.entity?.metadata.name,
                  source: 'scaffolder',
                },
                dedupKey:
                  input.dedupKey ??
                  `scaffolder:${ctx.task.id}:${ctx.step?.id ?? ''}`,
              },
            },
            requestOptions,
          ),
      });
      ctx.logger.info(
        status === 201
          ? `Opened incident ${incident.ref}`
          : `Incident ${incident.ref} was already open for this dedup key`,
      );
      ctx.output('id', incident.id);
      ctx.output('ref', incident.ref);
      ctx.output('url', `${appBaseUrl}/incidents/${incident.ref}`);
    },
  });
}
