import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { incidentsPermissions } from '@vigil/plugin-incidents-common';
import {
  incidentPermissionResourceRef,
  incidentPermissionRules,
} from '@vigil/plugin-incidents-node';
import { DatabaseIncidentStore } from './incidents/DatabaseIncidentStore';
import { IncidentService } from './incidents/IncidentService';
import { createRouter } from './service/router';
import { readHorizonWeeks, readSchedules } from './oncall/config';
import { DatabaseOncallStore } from './oncall/DatabaseOncallStore';
import { OncallService } from './oncall/OncallService';

/**
 * The `incidents` backend plugin: incidents, on-call, alerts and
 * postmortems, stored in Backstage's database.
 *
 * @public
 */
export const incidentsPlugin = createBackendPlugin({
  pluginId: 'incidents',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { database, httpRouter, httpAuth, permissionsRegistry } = deps;
        const { config, scheduler } = deps;
        const knex = await database.getClient();
        const store = await DatabaseIncidentStore.create({ database });
        const oncall = new OncallService({
          ...deps,
          store: await DatabaseOncallStore.create({ database }),
          schedules: readSchedules(config),
          horizonWeeks: readHorizonWeeks(config),
        });
        await oncall.syncFromConfig();
        // One runner across replicas keeps every schedule generated ahead.
        await scheduler.scheduleTask({
          id: 'incidents-oncall-extend',
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
          fn: () => oncall.extendAll(),
        });

        permissionsRegistry.addResourceType({
          resourceRef: incidentPermissionResourceRef,
          permissions: incidentsPermissions.filter(p => p.type === 'resource'),
          rules: Object.values(incidentPermissionRules),
          getResources: async refs =>
            Promise.all(refs.map(ref => store.get(ref))),
        });
        permissionsRegistry.addPermissions(incidentsPermissions);

        const service = new IncidentService({
          ...deps,
          store,
          permissionRuleset: permissionsRegistry.getPermissionRuleset(
            incidentPermissionResourceRef,
          ),
        });

        httpRouter.use(
          await createRouter({
            knex,
            httpAuth,
            incidents: { service, store },
            oncall,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
