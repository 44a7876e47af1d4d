import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { parseSeverity, Severity } from '@vigil/plugin-incidents-common';
import { durationMs } from '../lib/config';
import {
  DEFAULT_TEMPLATE,
  PostmortemTemplate,
  validateTemplate,
} from './template';

/** Everything `incidents.postmortems` configures. */
export interface PostmortemConfig {
  template: PostmortemTemplate;
  /** Severities whose incidents need a postmortem (and get reminders). */
  requiredSeverities: Severity[];
  /** Time after resolving before a missing postmortem is reminded. */
  startWithinMs: number;
  /** Time between reminders until the postmortem is published. */
  reminderCadenceMs: number;
  /** Time between reminders of one overdue action item. */
  overdueReminderCadenceMs: number;
  /** How often the reminder task runs. */
  checkInterval: HumanDuration;
}

export const DEFAULT_POSTMORTEM_CONFIG: PostmortemConfig = {
  template: DEFAULT_TEMPLATE,
  requiredSeverities: ['sev1', 'sev2'],
  startWithinMs: 48 * 3_600_000,
  reminderCadenceMs: 24 * 3_600_000,
  overdueReminderCadenceMs: 24 * 3_600_000,
  checkInterval: { minutes: 5 },
};

/**
 * Reads `incidents.postmortems`. A bad value stops the backend with a
 * message naming the key.
 */
export function readPostmortemConfig(root: Config): PostmortemConfig {
  const config = root.getOptionalConfig('incidents.postmortems');
  if (!config) {
    return DEFAULT_POSTMORTEM_CONFIG;
  }
  const where = (key: string) => `incidents.postmortems.${key}`;
  const ms = (key: string, fallback: number) => {
    if (!config.has(key)) {
      return fallback;
    }
    const value = durationMs(readDurationFromConfig(config, { key }));
    if (!(value > 0)) {
      throw new Error(`${where(key)} must be a positive duration`);
    }
    return value;
  };

  const requiredSeverities = config.has('requiredSeverities')
    ? config.getStringArray('requiredSeverities').map(value => {
        const severity = parseSeverity(value);
        if (!severity) {
          throw new Error(
            `${where('requiredSeverities')}: unknown severity '${value}'`,
          );
        }
        return severity;
      })
    : DEFAULT_POSTMORTEM_CONFIG.requiredSeverities;

  const templateConfig = config.getOptionalConfig('template');
  const template: PostmortemTemplate = {
    title: templateConfig?.getOptionalString('title') ?? DEFAULT_TEMPLATE.title,
    sections:
      templateConfig?.getOptionalConfigArray('sections')?.map(s => ({
        title: s.getString('title'),
        body: s.getOptionalString('body') ?? '',
      })) ?? DEFAULT_TEMPLATE.sections,
  };
  validateTemplate(template, where('template'));

  return {
    template,
    requiredSeverities,
    startWithinMs: ms('startWithin', DEFAULT_POSTMORTEM_CONFIG.startWithinMs),
    reminderCadenceMs: ms(
      'reminderCadence',
      DEFAULT_POSTMORTEM_CONFIG.reminderCadenceMs,
    ),
    overdueReminderCadenceMs: ms(
      'overdueReminderCadence',
      DEFAULT_POSTMORTEM_CONFIG.overdueReminderCadenceMs,
    ),
    checkInterval: config.has('checkInterval')
      ? readDurationFromConfig(config, { key: 'checkInterval' })
      : DEFAULT_POSTMORTEM_CONFIG.checkInterval,
  };
}
