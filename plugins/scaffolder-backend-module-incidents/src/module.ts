import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAddTimelineNoteAction } from './actions/createAddTimelineNoteAction';
import { createOpenIncidentAction } from './actions/createOpenIncidentAction';

/**
 * Adds Vigil's incident actions to the scaffolder.
 * @public
 */
export const scaffolderModuleIncidents = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'incidents',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        scaffolder.addActions(
          createOpenIncidentAction({
            discovery,
            auth,
            appBaseUrl: config.getString('app.baseUrl'),
          }),
          createAddTimelineNoteAction({ discovery, auth }),
        );
      },
    });
  },
});
