import { Config, readDurationFromConfig } from '@backstage/config';
import { SEVERITIES, Severity } from '@vigil/plugin-incidents-common';
import { DateTime } from 'luxon';
import { durationMs } from '../lib/config';

/** A response target: a duration, or the end of the next business day. */
export type ResponseTarget = { ms: number } | 'next-business-day';

/** `incidents.metrics`. */
export interface MetricsConfig {
  /** Acknowledge within this, per severity. */
  responseTargets: Record<Severity, ResponseTarget>;
  /** Business hours, HH:mm, and days (1 = Monday … 7 = Sunday). */
  businessHours: { start: string; end: string; days: number[] };
  /** The zone days, weeks and business hours are counted in. */
  timeZone: string;
}

/** The second seed's table: critical immediate (5 min), high 15 min, medium 1 h, low next business day. */
export const DEFAULT_METRICS_CONFIG: MetricsConfig = {
  responseTargets: {
    sev1: { ms: 5 * 60_000 },
    sev2: { ms: 15 * 60_000 },
    sev3: { ms: 60 * 60_000 },
    sev4: 'next-business-day',
    sev5: 'next-business-day',
  },
  businessHours: { start: '08:00', end: '18:00', days: [1, 2, 3, 4, 5] },
  timeZone: 'UTC',
};

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Reads `incidents.metrics`; a bad value stops the backend naming the key. */
export function readMetricsConfig(root: Config): MetricsConfig {
  const config = root.getOptionalConfig('incidents.metrics');
  if (!config) return DEFAULT_METRICS_CONFIG;
  const key = 'incidents.metrics';
  const responseTargets = { ...DEFAULT_METRICS_CONFIG.responseTargets };
  const targets = config.getOptionalConfig('responseTargets');
  for (const severity of targets?.keys() ?? []) {
    if (!SEVERITIES.includes(severity as Severity)) {
      throw new Error(
        `${key}.responseTargets.${severity}: not a severity (sev1…sev5)`,
      );
    }
    const value = targets!.getOptional(severity);
    responseTargets[severity as Severity] =
      value === 'next-business-day'
        ? 'next-business-day'
        : {
            ms: durationMs(readDurationFromConfig(targets!, { key: severity })),
          };
  }
  const hours = config.getOptionalConfig('businessHours');
  const businessHours = {
    start:
      hours?.getOptionalString('start') ??
      DEFAULT_METRICS_CONFIG.businessHours.start,
    end:
      hours?.getOptionalString('end') ??
      DEFAULT_METRICS_CONFIG.businessHours.end,
    days:
      (hours?.getOptional('days') as number[] | undefined) ??
      DEFAULT_METRICS_CONFIG.businessHours.days,
  };
  for (const edge of ['start', 'end'] as const) {
    if (!TIME.test(businessHours[edge])) {
      throw new Error(
        `${key}.businessHours.${edge}: '${businessHours[edge]}' is not HH:mm`,
      );
    }
  }
  if (businessHours.start >= businessHours.end) {
    throw new Error(`${key}.businessHours: start must be before end`);
  }
  if (
    !Array.isArray(businessHours.days) ||
    businessHours.days.some(
      (d: unknown) =>
        !Number.isInteger(d) || (d as number) < 1 || (d as number) > 7,
    )
  ) {
    throw new Error(`${key}.businessHours.days: 1 (Monday) to 7 (Sunday)`);
  }
  const timeZone = config.getOptionalString('timeZone') ?? 'UTC';
  if (!DateTime.now().setZone(timeZone).isValid) {
    throw new Error(`${key}.timeZone: '${timeZone}' is not an IANA time zone`);
  }
  return { responseTargets, businessHours, timeZone };
}
