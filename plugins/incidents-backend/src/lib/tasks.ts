import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';

/**
 * A scheduled task a service owns: the composition root schedules each
 * service's tasks on Backstage's scheduler (tests run `fn` themselves).
 */
export interface TaskDefinition extends SchedulerServiceTaskScheduleDefinition {
  /** Unique across the plugin, e.g. `incidents-escalation-timers`. */
  id: string;
  fn: () => Promise<void>;
}

/** A service that runs scheduled tasks. */
export interface TaskOwner {
  tasks(): TaskDefinition[];
}
