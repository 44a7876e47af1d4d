import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { INCIDENT_SORT_FIELDS } from '@vigil/plugin-incidents-common';
import { AttachmentService } from '../incidents/AttachmentService';
import { IncidentService } from '../incidents/IncidentService';
import { normalizeEntityRef } from '../lib/identity';
import {
  entityRefArg,
  incidentArg,
  incidentRecord,
  severity,
  status,
  timelineEntry,
  Zod,
} from './schemas';

/** list-incidents and get-incident: reads, under the read permission. */
export function registerIncidentReadActions(
  registry: ActionsRegistryService,
  options: { incidents: IncidentService },
) {
  registerListIncidents(registry, options.incidents);
  registerGetIncident(registry, options.incidents);
}

/**
 * open-incident, acknowledge-incident and add-incident-note: changes, each
 * under the permission its HTTP endpoint checks.
 */
export function registerIncidentChangeActions(
  registry: ActionsRegistryService,
  options: { incidents: IncidentService; attachments: AttachmentService },
) {
  registerOpenIncident(registry, options.incidents);
  registerAcknowledge(registry, options.incidents);
  registerAddNote(registry, options.attachments);
}

/** The list's filters: those of `GET /incidents`. */
const listIncidentsInput = (z: Zod) =>
  z.object({
    status: z
      .array(status(z))
      .max(6)
      .optional()
      .describe('Only incidents in these states.'),
    severity: z
      .array(severity(z))
      .max(5)
      .optional()
      .describe('Only incidents of these severities.'),
    entityRef: entityRefArg(
      z,
      "Only incidents affecting this component, e.g. 'component:default/payments-api' (a bare name is a component).",
    ).optional(),
    owner: z
      .array(
        entityRefArg(z, "An owner group, e.g. 'group:default/team-payments'."),
      )
      .max(50)
      .optional()
      .describe(
        "Only incidents whose affected services are owned by one of these groups, e.g. ['group:default/team-payments'].",
      ),
    q: z
      .string()
      .max(200)
      .optional()
      .describe('Text searched in the reference, title and description.'),
    sort: z
      .enum(INCIDENT_SORT_FIELDS)
      .optional()
      .describe('Sort field; openedAt unless given.'),
    order: z
      .enum(['asc', 'desc'])
      .optional()
      .describe('Sort order; desc unless given.'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .describe('Page size, 50 unless given.'),
    cursor: z
      .string()
      .max(1000)
      .optional()
      .describe('The nextCursor of the previous page.'),
  });

function registerListIncidents(
  registry: ActionsRegistryService,
  incidents: IncidentService,
) {
  registry.register({
    name: 'list-incidents',
    title: 'List incidents',
    description: `Lists the incidents the caller may see, newest first, with the same filters as the portal's incident list.
Use status ['open', 'investigating', 'mitigated'] for what is going on now. Results come in pages: pass nextCursor back as cursor for the next one.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: listIncidentsInput,
      output: z =>
        z.object({
          items: z.array(incidentRecord(z)),
          totalCount: z.number().describe('Matching incidents in all pages.'),
          nextCursor: z
            .string()
            .optional()
            .describe('Cursor of the next page; missing on the last page.'),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, owner, ...rest } = input;
      const list = await incidents.list(
        {
          ...rest,
          entityRef: entityRef
            ? normalizeEntityRef(entityRef, 'component', 'entityRef')
            : undefined,
          owner: owner?.map(o => normalizeEntityRef(o, 'group', 'owner')),
        },
        credentials,
      );
      return { output: list };
    },
  });
}

function registerGetIncident(
  registry: ActionsRegistryService,
  incidents: IncidentService,
) {
  registry.register({
    name: 'get-incident',
    title: 'Get an incident',
    description: `Reads one incident with everything the war room shows: roles, impact, root cause, action items, status updates, evidence, merged children, and its timeline (the war-room log of status moves, notes, pages and escalations, oldest first).`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          incident: incidentArg(z),
          includeTimeline: z
            .boolean()
            .default(true)
            .describe('Include the timeline (default true).'),
        }),
      output: z =>
        z.object({
          incident: incidentRecord(z),
          timeline: z.array(timelineEntry(z)).optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const incident = await incidents.get(input.incident, credentials);
      if (!input.includeTimeline) {
        return { output: { incident } };
      }
      const timeline = await incidents.getTimeline(incident.id, credentials);
      return { output: { incident, timeline } };
    },
  });
}

function registerOpenIncident(
  registry: ActionsRegistryService,
  incidents: IncidentService,
) {
  registry.register({
    name: 'open-incident',
    title: 'Open an incident',
    description: `Opens an incident; it starts in state 'open' and pages the on-call responders of the affected services' escalation policy.
Name the affected components so that their owner teams are paged. Pass a dedupKey to make retries safe: while an incident with that key is unresolved, the same incident is returned (created: false) instead of a new one.`,
    // Each call without a dedupKey opens (and pages for) a new incident.
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          title: z
            .string()
            .min(1)
            .max(300)
            .describe("A short summary, e.g. 'Checkout returns 502s'."),
          severity: severity(z),
          description: z
            .string()
            .max(20_000)
            .optional()
            .describe('What is known so far (Markdown).'),
          affectedServices: z
            .array(
              entityRefArg(
                z,
                "An affected component, e.g. 'component:default/payments-api'.",
              ),
            )
            .max(50)
            .optional()
            .describe(
              "Affected components, e.g. ['component:default/payments-api'].",
            ),
          environments: z
            .array(z.string().min(1).max(100))
            .max(20)
            .optional()
            .describe("Affected environments, e.g. ['production']."),
          commander: z
            .string()
            .min(3)
            .max(255)
            .optional()
            .describe("The incident commander, e.g. 'user:default/alice'."),
          dedupKey: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .describe('A key that makes retries return the same incident.'),
        }),
      output: z =>
        z.object({
          created: z
            .boolean()
            .describe(
              'False when an unresolved incident with the dedupKey was returned.',
            ),
          incident: incidentRecord(z),
        }),
    },
    action: async ({ input, credentials }) => {
      const { created, incident } = await incidents.open(input, credentials);
      return { output: { created, incident } };
    },
  });
}

function registerAddNote(
  registry: ActionsRegistryService,
  attachments: AttachmentService,
) {
  registry.register({
    name: 'add-incident-note',
    title: 'Add a note to an incident',
    description: `Adds a note (with optional links) to an incident's timeline, the war-room log everyone on the incident reads. Use it to record findings, hypotheses and what was tried.`,
    // Each call adds another note.
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          incident: incidentArg(z),
          message: z
            .string()
            .min(1)
            .max(10_000)
            .describe('The note (Markdown).'),
          links: z
            .array(
              z.object({
                url: z.string().min(1).max(2000),
                title: z.string().max(300).optional(),
              }),
            )
            .max(20)
            .optional()
            .describe('Links to dashboards, logs, pull requests...'),
        }),
      output: z => z.object({ entry: timelineEntry(z) }),
    },
    action: async ({ input, credentials }) => {
      const { incident, ...body } = input;
      const { entry } = await attachments.addNote(incident, body, credentials);
      return { output: { entry } };
    },
  });
}

function registerAcknowledge(
  registry: ActionsRegistryService,
  incidents: IncidentService,
) {
  registry.register({
    name: 'acknowledge-incident',
    title: 'Acknowledge an incident',
    description: `Acknowledges an open incident: moves it to 'investigating', makes the caller its responder if it has none, and stops paging further escalation steps.
Only allowed for those the permission policy lets acknowledge (typically the owning team, people paged for it, the commander); others get a NotAllowedError. An incident past 'open' cannot be acknowledged again (ConflictError).`,
    // A second call changes nothing (it is refused as a conflict). Not
    // destructive: the move is recorded on the timeline and nothing is lost.
    attributes: { readOnly: false, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          incident: incidentArg(z),
          message: z
            .string()
            .max(5000)
            .optional()
            .describe(
              "Recorded with the acknowledgement, e.g. 'Looking at the DB'.",
            ),
        }),
      output: z => z.object({ incident: incidentRecord(z) }),
    },
    action: async ({ input, credentials }) => {
      const { incident } = await incidents.move(
        input.incident,
        'investigating',
        input.message,
        credentials,
        undefined,
        { source: 'action' },
      );
      return { output: { incident } };
    },
  });
}
