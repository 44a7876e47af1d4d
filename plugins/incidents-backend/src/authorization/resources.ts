import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import { Incident, incidentsPermissions } from '@vigil/plugin-incidents-common';
import {
  incidentPermissionResourceRef,
  incidentPermissionRules,
  IncidentWithPages,
} from '@vigil/plugin-incidents-node';

/**
 * Registers Vigil's permissions and the incident resource type with its
 * rules. `getResources` (apply-conditions for other plugins, and the
 * frontend's `usePermission` on one incident) reads the incidents with the
 * users paged for each, for the `IS_PAGED` rule.
 */
export function registerIncidentPermissions(
  registry: PermissionsRegistryService,
  options: {
    getIncident: (ref: string) => Promise<Incident | undefined>;
    pagedUsers: (incidentId: string) => Promise<string[]>;
  },
) {
  registry.addResourceType({
    resourceRef: incidentPermissionResourceRef,
    permissions: incidentsPermissions.filter(p => p.type === 'resource'),
    rules: Object.values(incidentPermissionRules),
    getResources: async refs =>
      Promise.all(
        refs.map(async (ref): Promise<IncidentWithPages | undefined> => {
          const incident = await options.getIncident(ref);
          return incident
            ? { ...incident, pagedUsers: await options.pagedUsers(incident.id) }
            : undefined;
        }),
      ),
  });
  registry.addPermissions(incidentsPermissions);
}
