/*
 * The postmortem reminder task.
 *
 * - An incident of a severity that requires a postmortem, resolved
 *   `startWithin` ago (default 48 h) with no postmortem started, gets a
 *   reminder to its commander (else its responder, else the owning teams),
 *   then one every `reminderCadence` until its postmortem is published.
 * - An open action item past its due date reminds its owner, again every
 *   `overdueReminderCadence` until it is done.
 * - Each reminder is claimed in the database before it is sent, so with
 *   several replicas (or overlapping runs) each is sent once.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SEVERITY_TABLE } from '@vigil/plugin-incidents-common';
import { IncidentStore } from '../incidents/IncidentStore';
import { TaskDefinition } from '../lib/tasks';
import { PostmortemConfig } from './config';
import { DueReminder, PostmortemStore } from './PostmortemStore';

/** What one run sent. */
export interface ReminderRunResult {
  /** `<ref> <recipient>` per postmortem reminder. */
  postmortems: string[];
  /** `<action item id> <owner>` per overdue reminder. */
  overdue: string[];
}

/** Sends postmortem and overdue action item reminders; run on a schedule. */
export class PostmortemReminders {
  constructor(
    private readonly options: {
      store: PostmortemStore;
      /** Where action items live (the incidents domain). */
      actionItems: Pick<
        IncidentStore,
        'overdueActionItems' | 'claimOverdue' | 'releaseOverdue'
      >;
      notifications: NotificationService;
      logger: LoggerService;
      config: PostmortemConfig;
      /** The frontend's base URL, for links in notifications. */
      appBaseUrl: string;
      /** The clock; tests fast-forward it. */
      now?: () => Date;
    },
  ) {}

  /**
   * The reminder task: one runner across replicas; each reminder is also
   * claimed in the database before it is sent.
   */
  tasks(): TaskDefinition[] {
    return [
      {
        id: 'incidents-postmortem-reminders',
        frequency: this.options.config.checkInterval,
        timeout: { minutes: 5 },
        initialDelay: { minutes: 1 },
        fn: () => this.run().then(() => undefined),
      },
    ];
  }

  async run(): Promise<ReminderRunResult> {
    const now = this.options.now?.() ?? new Date();
    return {
      postmortems: await this.remindPostmortems(now),
      overdue: await this.remindOverdue(now),
    };
  }

  private async remindPostmortems(now: Date): Promise<string[]> {
    const { store, config, notifications, logger, appBaseUrl } = this.options;
    const due = await store.dueReminders({
      severities: config.requiredSeverities,
      now,
      startWithinMs: config.startWithinMs,
      cadenceMs: config.reminderCadenceMs,
    });
    const sent: string[] = [];
    for (const reminder of due) {
      const recipients = recipientsOf(reminder);
      const to = recipients.join(', ') || 'nobody';
      if (!(await store.claimReminder(reminder, to, now))) {
        continue;
      }
      if (recipients.length === 0) {
        logger.warn(
          `${reminder.ref} needs a postmortem but has no commander, responder or owning team to remind`,
        );
        continue;
      }
      const severity = SEVERITY_TABLE[reminder.severity].label;
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: recipients },
          payload: {
            title: `Postmortem due: ${reminder.ref} ${reminder.title}`,
            description: reminder.started
              ? `The postmortem of ${
                  reminder.ref
                } (${severity}) is not published yet (reminder ${
                  reminder.sent + 1
                }).`
              : `${
                  reminder.ref
                } (${severity}) was resolved on ${reminder.resolvedAt.toISOString()} and needs a postmortem; none has been started.`,
            link: `${appBaseUrl}/incidents/${reminder.ref}/postmortem`,
            severity: 'normal',
            topic: 'postmortem-reminder',
            // Later reminders replace the earlier one in each inbox.
            scope: `postmortem-reminder:${reminder.incidentId}`,
          },
        });
        sent.push(`${reminder.ref} ${recipients.join(',')}`);
      } catch (error) {
        logger.warn(
          `Could not send the postmortem reminder of ${reminder.ref}: ${error}`,
        );
      }
    }
    return sent;
  }

  private async remindOverdue(now: Date): Promise<string[]> {
    const { actionItems, config, notifications, logger, appBaseUrl } =
      this.options;
    const items = await actionItems.overdueActionItems({
      today: now.toISOString().slice(0, 10),
      now,
      cadenceMs: config.overdueReminderCadenceMs,
    });
    const sent: string[] = [];
    for (const item of items) {
      if (!(await actionItems.claimOverdue(item, now))) {
        continue;
      }
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: item.owner },
          payload: {
            title: `Overdue action item: ${item.title}`,
            description: `Due ${item.dueDate}, from ${item.ref} ${item.incidentTitle}. Mark it done when it is.`,
            link: `${appBaseUrl}/incidents/${item.ref}/postmortem`,
            severity: 'normal',
            topic: 'action-item-overdue',
            scope: `action-item-overdue:${item.id}`,
          },
        });
        sent.push(`${item.id} ${item.owner}`);
      } catch (error) {
        // Leave it for the next run.
        await actionItems.releaseOverdue(item, now);
        logger.warn(
          `Could not send the overdue reminder of action item ${item.id}: ${error}`,
        );
      }
    }
    return sent;
  }
}

/** The commander, else the responder, else the teams owning the services. */
function recipientsOf(reminder: DueReminder): string[] {
  if (reminder.commander) {
    return [reminder.commander];
  }
  if (reminder.responder?.startsWith('user:')) {
    return [reminder.responder];
  }
  return reminder.ownerGroups;
}
