import { Config, readDurationFromConfig } from '@backstage/config';
import { durationMs } from '../lib/config';
import { normalizeEntityRef } from '../lib/identity';
import { RotationSpec, validateRotation } from './rotation';

/** An on-call schedule as defined in app-config. */
export interface ScheduleDefinition extends RotationSpec {
  id: string;
  name: string;
  active: boolean;
}

/** Default number of weeks of slots kept generated ahead. */
export const DEFAULT_HORIZON_WEEKS = 8;

/**
 * Reads `incidents.oncall.schedules`. Config is the source of truth for
 * definitions; a bad definition stops the backend with a message naming it.
 */
export function readSchedules(config: Config): ScheduleDefinition[] {
  const schedules =
    config.getOptionalConfigArray('incidents.oncall.schedules') ?? [];
  const seen = new Set<string>();
  return schedules.map((c, i) => {
    const id = c.getString('id');
    const where = `incidents.oncall.schedules[${i}] (${id})`;
    if (seen.has(id)) {
      throw new Error(`${where}: duplicate schedule id`);
    }
    seen.add(id);
    const rotation = c.getConfig('rotation');
    const definition: ScheduleDefinition = {
      id,
      name: c.getOptionalString('name') ?? id,
      active: c.getOptionalBoolean('active') ?? true,
      timeZone: c.getOptionalString('timeZone') ?? 'UTC',
      type: rotation.getString('type') as RotationSpec['type'],
      length: rotation.has('length')
        ? {
            days: rotation.getOptionalNumber('length.days'),
            hours: rotation.getOptionalNumber('length.hours'),
          }
        : undefined,
      handoffTime: rotation.getOptionalString('handoffTime') ?? '09:00',
      start: c.getString('start'),
      members: c
        .getStringArray('members')
        .map(m => normalizeEntityRef(m, 'user', `${where}.members`)),
    };
    if (!['daily', 'weekly', 'custom'].includes(definition.type)) {
      throw new Error(
        `${where}: rotation.type must be daily, weekly or custom`,
      );
    }
    try {
      validateRotation(definition);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    return definition;
  });
}

/** `incidents.oncall.horizonWeeks`, default 8. */
export function readHorizonWeeks(config: Config): number {
  return (
    config.getOptionalNumber('incidents.oncall.horizonWeeks') ??
    DEFAULT_HORIZON_WEEKS
  );
}

/** Hand-off and shift notices. */
export interface OncallNoticeConfig {
  /** How long before a shift starts its owner is told; 0 turns shift notices off. */
  shiftNoticeBeforeMs: number;
  /** How often the notice task runs. */
  checkIntervalMs: number;
}

export const DEFAULT_NOTICE_CONFIG: OncallNoticeConfig = {
  shiftNoticeBeforeMs: 3_600_000,
  checkIntervalMs: 60_000,
};

/**
 * Reads `incidents.oncall.shiftNotice.before` (default 1h; `0` or `false`
 * turns shift notices off) and `incidents.oncall.noticeInterval` (default 1m).
 */
export function readNoticeConfig(config: Config): OncallNoticeConfig {
  const oncall = config.getOptionalConfig('incidents.oncall');
  if (!oncall) {
    return DEFAULT_NOTICE_CONFIG;
  }
  const read = (key: string, fallback: number, allowOff: boolean) => {
    if (!oncall.has(key)) {
      return fallback;
    }
    const raw = oncall.getOptional(key);
    if (allowOff && (raw === false || raw === 0)) {
      return 0;
    }
    let value: number;
    try {
      value = durationMs(readDurationFromConfig(oncall, { key }));
    } catch (error) {
      throw new Error(
        `incidents.oncall.${key}: not a duration (${(error as Error).message})`,
      );
    }
    if (!(value > 0)) {
      throw new Error(`incidents.oncall.${key} must be a positive duration`);
    }
    return value;
  };
  return {
    shiftNoticeBeforeMs: read(
      'shiftNotice.before',
      DEFAULT_NOTICE_CONFIG.shiftNoticeBeforeMs,
      true,
    ),
    checkIntervalMs: read(
      'noticeInterval',
      DEFAULT_NOTICE_CONFIG.checkIntervalMs,
      false,
    ),
  };
}
