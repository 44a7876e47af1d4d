import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permission resource type for incidents.
 * @public
 */
export const INCIDENT_RESOURCE_TYPE = 'incidents-incident';

/**
 * Guards viewing incidents, their timelines and postmortems.
 * @public
 */
export const incidentReadPermission = createPermission({
  name: 'incidents.incident.read',
  attributes: { action: 'read' },
  resourceType: INCIDENT_RESOURCE_TYPE,
});

/**
 * Guards opening a new incident.
 * @public
 */
export const incidentCreatePermission = createPermission({
  name: 'incidents.incident.create',
  attributes: { action: 'create' },
});

/**
 * Guards acknowledging an incident (moving it from `open` to `investigating`).
 * @public
 */
export const incidentAcknowledgePermission = createPermission({
  name: 'incidents.incident.acknowledge',
  attributes: { action: 'update' },
  resourceType: INCIDENT_RESOURCE_TYPE,
});

/**
 * Guards mitigating and resolving an incident.
 * @public
 */
export const incidentResolvePermission = createPermission({
  name: 'incidents.incident.resolve',
  attributes: { action: 'update' },
  resourceType: INCIDENT_RESOURCE_TYPE,
});

/**
 * Guards cancelling an incident as a false alarm.
 * @public
 */
export const incidentCancelPermission = createPermission({
  name: 'incidents.incident.cancel',
  attributes: { action: 'update' },
  resourceType: INCIDENT_RESOURCE_TYPE,
});

/**
 * Guards editing an incident's fields and roles, and merging it into another.
 * @public
 */
export const incidentUpdatePermission = createPermission({
  name: 'incidents.incident.update',
  attributes: { action: 'update' },
  resourceType: INCIDENT_RESOURCE_TYPE,
});

/**
 * Guards adding notes and links to an incident's timeline, status updates,
 * evidence and action items. The design grants it to every member.
 * @public
 */
export const incidentNotePermission = createPermission({
  name: 'incidents.incident.note',
  attributes: { action: 'update' },
  resourceType: INCIDENT_RESOURCE_TYPE,
});

/**
 * Guards alert intake (`POST /alerts` and `/alerts/alertmanager`): what an
 * alert source's token needs, and all it needs (see the README,
 * "Permissions"). The Events API v2 endpoint checks its routing key instead.
 * @public
 */
export const alertCreatePermission = createPermission({
  name: 'incidents.alert.create',
  attributes: { action: 'create' },
});

/**
 * Guards changing on-call rotas: overrides, hand-offs and regeneration.
 * @public
 */
export const oncallScheduleManagePermission = createPermission({
  name: 'incidents.schedule.manage',
  attributes: { action: 'update' },
});

/**
 * Guards proposing, accepting and declining swap requests on on-call
 * schedules. The backend also checks that members only give away their own
 * slots and only answer requests made to them; the design grants it to
 * every member.
 * @public
 */
export const oncallSwapPermission = createPermission({
  name: 'incidents.schedule.swap',
  attributes: { action: 'update' },
});

/**
 * Guards publishing a postmortem.
 * @public
 */
export const postmortemPublishPermission = createPermission({
  name: 'incidents.postmortem.publish',
  attributes: { action: 'update' },
});

/**
 * Guards an incident's public status page record: publishing, unpublishing,
 * renaming, its public status and updates. A resource permission, so a
 * policy can allow the commander and the comms owner.
 * @public
 */
export const statusPagePublishPermission = createPermission({
  name: 'incidents.statuspage.publish',
  attributes: { action: 'update' },
  resourceType: INCIDENT_RESOURCE_TYPE,
});

/**
 * Guards scheduling and moving maintenance windows of the status page.
 * @public
 */
export const statusPageMaintenancePermission = createPermission({
  name: 'incidents.statuspage.maintenance',
  attributes: { action: 'update' },
});

/**
 * Every permission of the incidents plugin.
 * @public
 */
export const incidentsPermissions = [
  incidentReadPermission,
  incidentCreatePermission,
  incidentAcknowledgePermission,
  incidentResolvePermission,
  incidentCancelPermission,
  incidentUpdatePermission,
  incidentNotePermission,
  alertCreatePermission,
  oncallScheduleManagePermission,
  oncallSwapPermission,
  postmortemPublishPermission,
  statusPagePublishPermission,
  statusPageMaintenancePermission,
];
