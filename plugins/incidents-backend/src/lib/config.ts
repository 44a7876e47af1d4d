import { HumanDuration } from '@backstage/types';
import { parseSeverity, Severity } from '@vigil/plugin-incidents-common';
import { Duration } from 'luxon';

/** A HumanDuration in milliseconds. */
export function durationMs(d: HumanDuration): number {
  return Duration.fromObject(d).toMillis();
}

/** Severities from config; an unknown one stops the backend naming `where`. */
export function parseSeverities(values: string[], where: string): Severity[] {
  return values.map(value => {
    const severity = parseSeverity(value);
    if (!severity) {
      throw new Error(`${where}: unknown severity '${value}'`);
    }
    return severity;
  });
}
