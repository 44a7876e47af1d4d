import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  Incident,
  INCIDENT_RESOURCE_TYPE,
} from '@vigil/plugin-incidents-common';
import { z } from 'zod';

/**
 * A condition on incidents translated for the database: the incident's
 * commander, responders, owner groups or paged users intersect `claims`.
 * @public
 */
export type IncidentPermissionQuery = {
  field: 'commander' | 'commsOwner' | 'responder' | 'ownerGroup' | 'paged';
  claims: string[];
};

/**
 * An incident as a permission rule sees it: the incidents backend adds the
 * users paged for it (`pagedUsers`) when it evaluates a decision that uses
 * {@link isPaged}.
 * @public
 */
export type IncidentWithPages = Incident & { pagedUsers?: string[] };

/**
 * The permission resource reference for incidents.
 * @public
 */
export const incidentPermissionResourceRef = createPermissionResourceRef<
  Incident,
  IncidentPermissionQuery
>().with({
  pluginId: 'incidents',
  resourceType: INCIDENT_RESOURCE_TYPE,
});

const claimsSchema = z.object({
  claims: z
    .array(z.string())
    .describe(
      'Entity refs to match, usually the user ref and ownership groups of the caller',
    ),
});

/**
 * The incident's commander is one of the claims.
 * @public
 */
export const isCommander = createPermissionRule({
  name: 'IS_COMMANDER',
  description: 'Allow when the user is the commander of the incident',
  resourceRef: incidentPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (incident, { claims }) =>
    incident.commander !== undefined && claims.includes(incident.commander),
  toQuery: ({ claims }) => ({ field: 'commander', claims }),
});

/**
 * The incident's comms owner is one of the claims.
 * @public
 */
export const isCommsOwner = createPermissionRule({
  name: 'IS_COMMS_OWNER',
  description: 'Allow when the user is the comms owner of the incident',
  resourceRef: incidentPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (incident, { claims }) =>
    incident.roles.commsOwner !== undefined &&
    claims.includes(incident.roles.commsOwner),
  toQuery: ({ claims }) => ({ field: 'commsOwner', claims }),
});

/**
 * The incident's responder (who acknowledged it) or one of its responders is
 * one of the claims.
 * @public
 */
export const isResponder = createPermissionRule({
  name: 'IS_RESPONDER',
  description:
    'Allow when the user acknowledged the incident or is one of its responders',
  resourceRef: incidentPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (incident, { claims }) =>
    (incident.responder !== undefined && claims.includes(incident.responder)) ||
    incident.roles.responders.some(r => claims.includes(r)),
  toQuery: ({ claims }) => ({ field: 'responder', claims }),
});

/**
 * One of the groups owning the incident's affected services is one of the
 * claims: the owning team is on call for its services.
 * @public
 */
export const isOwnedBy = createPermissionRule({
  name: 'IS_OWNED_BY',
  description:
    'Allow when a group owning one of the affected services is among the claims',
  resourceRef: incidentPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (incident, { claims }) =>
    incident.ownerGroups.some(g => claims.includes(g)),
  toQuery: ({ claims }) => ({ field: 'ownerGroup', claims }),
});

/**
 * The user was paged for the incident by its escalation (the design's
 * "acknowledge — the paged on-call user").
 * @public
 */
export const isPaged = createPermissionRule({
  name: 'IS_PAGED',
  description: 'Allow when the user was paged for the incident',
  resourceRef: incidentPermissionResourceRef,
  paramsSchema: claimsSchema,
  apply: (incident, { claims }) =>
    ((incident as IncidentWithPages).pagedUsers ?? []).some(u =>
      claims.includes(u),
    ),
  toQuery: ({ claims }) => ({ field: 'paged', claims }),
});

/**
 * Every incident permission rule.
 * @public
 */
export const incidentPermissionRules = {
  isCommander,
  isCommsOwner,
  isResponder,
  isOwnedBy,
  isPaged,
};

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: incidentPermissionResourceRef,
  rules: incidentPermissionRules,
});

/**
 * Conditions for permission policies on incidents.
 * @public
 */
export const incidentConditions = conditions;

/**
 * Builds a conditional decision on an incident permission.
 * @public
 */
export const createIncidentConditionalDecision = createConditionalDecision;

/**
 * Criteria over incident queries, as the permission framework produces them.
 * @public
 */
export type IncidentPermissionCriteria =
  PermissionCriteria<IncidentPermissionQuery>;
