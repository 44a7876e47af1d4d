import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { incidentsPermissions } from '@vigil/plugin-incidents-common';
import {
  IncidentPager,
  incidentPermissionResourceRef,
  incidentPermissionRules,
  incidentsPagerExtensionPoint,
} from '@vigil/plugin-incidents-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { DatabaseIncidentStore } from './incidents/DatabaseIncidentStore';
import { IncidentService } from './incidents/IncidentService';
import { createRouter } from './service/router';
import { readHorizonWeeks, readSchedules } from './oncall/config';
import { DatabaseOncallStore } from './oncall/DatabaseOncallStore';
import { OncallService } from './oncall/OncallService';
import { readEscalationConfig } from './escalation/config';
import { DatabaseEscalationStore } from './escalation/DatabaseEscalationStore';
import { EscalationService } from './escalation/EscalationService';
import { NotificationsPager, WebhookPager } from './escalation/pagers';
import { AlertEntityMapper } from './alerts/AlertEntityMapper';
import { AlertService } from './alerts/AlertService';
import { readAlertsConfig } from './alerts/config';
import { DatabaseAlertStore } from './alerts/DatabaseAlertStore';
import { readPostmortemConfig } from './postmortems/config';
import { DatabasePostmortemStore } from './postmortems/DatabasePostmortemStore';
import { PostmortemService } from './postmortems/PostmortemService';
import { PostmortemReminders } from './postmortems/reminders';

/**
 * The `incidents` backend plugin: incidents, on-call, alerts and
 * postmortems, stored in Backstage's database.
 *
 * @public
 */
export const incidentsPlugin = createBackendPlugin({
  pluginId: 'incidents',
  register(env) {
    const extraPagers: IncidentPager[] = [];
    env.registerExtensionPoint(incidentsPagerExtensionPoint, {
      addPager(...pagers) {
        extraPagers.push(...pagers);
      },
    });
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
        notifications: notificationService,
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

        const escalationConfig = readEscalationConfig(
          config,
          oncall.listSchedules().map(s => s.id),
        );
        const escalationStore = await DatabaseEscalationStore.create({
          database,
        });
        const escalation = new EscalationService({
          ...deps,
          store: escalationStore,
          config: escalationConfig,
          pagers: [
            new NotificationsPager(deps.notifications),
            ...escalationConfig.webhooks.map(w => new WebhookPager(w)),
            ...extraPagers,
          ],
          onCallUsers: (ids, at) => oncall.onCallUsers(ids, at),
          appBaseUrl:
            config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000',
        });
        // Every replica runs this; the database splits the due timers and
        // deliveries between them, so each fires and sends once.
        await scheduler.scheduleTask({
          id: 'incidents-escalation-timers',
          scope: 'local',
          frequency: escalationConfig.interval,
          timeout: { minutes: 5 },
          fn: () => escalation.tick().then(() => undefined),
        });

        permissionsRegistry.addResourceType({
          resourceRef: incidentPermissionResourceRef,
          permissions: incidentsPermissions.filter(p => p.type === 'resource'),
          rules: Object.values(incidentPermissionRules),
          // With the users paged for each, for the IS_PAGED rule.
          getResources: async refs =>
            Promise.all(
              refs.map(async ref => {
                const incident = await store.get(ref);
                return incident
                  ? {
                      ...incident,
                      pagedUsers: await escalationStore.pagedUsers(incident.id),
                    }
                  : undefined;
              }),
            ),
        });
        permissionsRegistry.addPermissions(incidentsPermissions);

        const service = new IncidentService({
          ...deps,
          store,
          permissionRuleset: permissionsRegistry.getPermissionRuleset(
            incidentPermissionResourceRef,
          ),
          pagedUsers: id => escalationStore.pagedUsers(id),
        });

        const postmortemConfig = readPostmortemConfig(config);
        const postmortemStore = await DatabasePostmortemStore.create({
          database,
        });
        const postmortems = new PostmortemService({
          ...deps,
          store: postmortemStore,
          incidents: service,
          incidentStore: store,
          config: postmortemConfig,
        });
        const reminders = new PostmortemReminders({
          ...deps,
          store: postmortemStore,
          config: postmortemConfig,
          appBaseUrl:
            config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000',
        });
        // One runner across replicas; each reminder is also claimed in the
        // database before it is sent.
        await scheduler.scheduleTask({
          id: 'incidents-postmortem-reminders',
          frequency: postmortemConfig.checkInterval,
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          fn: () => reminders.run().then(() => undefined),
        });

        const alertsConfig = readAlertsConfig(config);
        const alertStore = await DatabaseAlertStore.create({ database });
        const alerts = new AlertService({
          ...deps,
          store: alertStore,
          incidents: service,
          incidentStore: store,
          mapper: new AlertEntityMapper({
            ...deps,
            serviceLabel: alertsConfig.serviceLabel,
          }),
          config: alertsConfig,
        });

        // Escalation starts and stops paging, postmortems start with their
        // move, storms follow their parent: all after each committed change.
        service.addListener((change, actor) =>
          escalation.onIncidentChange(change, actor),
        );
        service.addListener((change, actor) =>
          postmortems.onIncidentChange(change, actor),
        );
        service.addListener(change => alerts.onIncidentChange(change));

        httpRouter.use(
          await createRouter({
            knex,
            httpAuth,
            incidents: { service, store },
            oncall,
            escalation,
            postmortems,
            alerts: { service: alerts, store: alertStore },
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // Events API v2 senders send no credentials; the routing key is
        // checked instead.
        httpRouter.addAuthPolicy({
          path: '/alerts/events-v2',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
