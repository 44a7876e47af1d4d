import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  IncidentPager,
  incidentsPagerExtensionPoint,
} from '@vigil/plugin-incidents-node';
import { createIncidentsBackend } from './IncidentsBackend';

/**
 * The `incidents` backend plugin: incidents, on-call, alerts and
 * postmortems, stored in Backstage's database.
 *
 * @public
 */
export const incidentsPlugin = createBackendPlugin({
  pluginId: 'incidents',
  register(env) {
    const pagers: IncidentPager[] = [];
    env.registerExtensionPoint(incidentsPagerExtensionPoint, {
      addPager(...added) {
        pagers.push(...added);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.rootLifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({ scheduler, httpRouter, lifecycle, ...deps }) {
        const backend = await createIncidentsBackend(deps, { pagers });
        for (const task of backend.tasks) {
          await scheduler.scheduleTask(task);
        }
        httpRouter.use(backend.router);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // The public status page: customers have no accounts.
        httpRouter.addAuthPolicy({ path: '/public', allow: 'unauthenticated' });
        // Calendar subscriptions: the secret token in the path is the credential.
        httpRouter.addAuthPolicy({
          path: '/oncall/feeds',
          allow: 'unauthenticated',
        });
        // Listed components must exist; the catalog answers once started.
        lifecycle.addStartupHook(() => backend.checkStatusPage());
        // Events API v2 senders send no credentials; the routing key is
        // checked instead.
        httpRouter.addAuthPolicy({
          path: '/alerts/events-v2',
          allow: 'unauthenticated',
        });
        // Slack sends no Backstage credentials; its request signature is
        // checked instead (incidents.chat.slack.signingSecret).
        httpRouter.addAuthPolicy({
          path: '/chat/slack/interactions',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
