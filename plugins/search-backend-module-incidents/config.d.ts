import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The collator of Vigil's published postmortems. */
      incidentsPostmortems?: {
        /**
         * When the index is rebuilt. Default: every 10 minutes, first after
         * 3 seconds, timeout 15 minutes.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Postmortems fetched per request. Default: 100. */
        batchSize?: number;
      };
    };
  };
}
