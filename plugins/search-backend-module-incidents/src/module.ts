import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { PostmortemCollatorFactory } from './collators/PostmortemCollatorFactory';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 3 },
};

/**
 * Indexes published postmortems in Backstage Search, on the schedule in
 * `search.collators.incidentsPostmortems.schedule`.
 * @public
 */
export const searchModuleIncidentsCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'incidents-postmortems-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({ auth, config, discovery, scheduler, indexRegistry }) {
        const key = 'search.collators.incidentsPostmortems.schedule';
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(
            config.has(key)
              ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                  config.getConfig(key),
                )
              : DEFAULT_SCHEDULE,
          ),
          factory: PostmortemCollatorFactory.fromConfig(config, {
            auth,
            discovery,
          }),
        });
      },
    });
  },
});
