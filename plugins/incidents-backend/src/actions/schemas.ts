/*
 * The parts the actions' schemas share: how an agent names an incident and
 * the records the actions return. Descriptions are written for a model
 * choosing a tool and filling in its arguments; input limits are the HTTP
 * API's (src/schema/openapi.yaml). Output objects name the fields worth
 * explaining and pass the rest of the API record through unchanged, so an
 * action returns what the HTTP API returns.
 */
import {
  INCIDENT_STATUSES,
  POSTMORTEM_STATUSES,
  SEVERITIES,
} from '@vigil/plugin-incidents-common';
import type { z as zod } from 'zod/v3';

/** The zod the actions registry hands to schema factories. */
export type Zod = typeof zod;

/** The argument naming one incident. */
export const incidentArg = (z: Zod) =>
  z
    .string()
    .min(1)
    .max(100)
    .describe(
      "The incident: its reference (e.g. 'INC-42') or its id, as list-incidents returns them.",
    );

/** A severity, `sev1` (worst) to `sev5`. */
export const severity = (z: Zod) =>
  z
    .enum(SEVERITIES)
    .describe(
      'Severity: sev1 full customer-facing outage, sev2 major degradation visible to customers, sev3 degraded but not yet visible, sev4 internal impact only, sev5 informational.',
    );

/** An incident's lifecycle state. */
export const status = (z: Zod) =>
  z
    .enum(INCIDENT_STATUSES)
    .describe(
      'Lifecycle state: open (not yet acknowledged), investigating (acknowledged), mitigated, resolved, postmortem, cancelled.',
    );

/** A catalog entity reference argument, described for its use. */
export const entityRefArg = (z: Zod, description: string) =>
  z.string().min(3).max(255).describe(description);

/** An incident as the HTTP API returns it. */
export const incidentRecord = (z: Zod) =>
  z
    .object({
      id: z.string(),
      ref: z.string().describe("Human reference, e.g. 'INC-42'."),
      title: z.string(),
      severity: severity(z),
      status: status(z),
      affectedServices: z
        .array(z.string())
        .describe('Catalog refs of the affected components.'),
      ownerGroups: z
        .array(z.string())
        .describe('Owner groups of the affected services.'),
      commander: z.string().optional().describe('Incident commander (user).'),
      responder: z
        .string()
        .optional()
        .describe('The user who acknowledged the incident.'),
      openedAt: z.string().describe('ISO 8601 UTC, as every timestamp.'),
      updatedAt: z.string(),
    })
    .passthrough();

/** One entry of an incident's timeline (the war-room log). */
export const timelineEntry = (z: Zod) =>
  z
    .object({
      id: z.string(),
      kind: z
        .string()
        .describe(
          'What the entry records: opened, status, note, edit, merge, page, escalation, alert, postmortem...',
        ),
      actor: z.string().describe('A user ref or a named system actor.'),
      message: z.string(),
      createdAt: z.string(),
    })
    .passthrough();

/** A postmortem, with its Markdown body where the action includes it. */
export const postmortemRecord = (z: Zod) =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      status: z
        .enum(POSTMORTEM_STATUSES)
        .describe('draft, review (submitted) or published.'),
      incident: z
        .object({ id: z.string(), ref: z.string(), title: z.string() })
        .passthrough()
        .describe('The incident the postmortem is about.'),
      body: z.string().optional().describe('The Markdown text.'),
      publishedAt: z.string().optional(),
    })
    .passthrough();
