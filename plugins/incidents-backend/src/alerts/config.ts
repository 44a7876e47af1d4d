import { Config, readDurationFromConfig } from '@backstage/config';
import { parseSeverity, Severity } from '@vigil/plugin-incidents-common';
import { durationMs } from '../lib/config';

/** `incidents.alerts`. */
export interface AlertsConfig {
  /** The label naming an alert's component. Default: service. */
  serviceLabel: string;
  /** Alertmanager labels that become tags (`label=value`). Default: none. */
  tagLabels: string[];
  /** Severity of an alert whose sender gave none we know. Default: sev3. */
  defaultSeverity: Severity;
  /** Firing alerts at these severities open incidents. Default: sev1, sev2. */
  openSeverities: Severity[];
  /** Resolve an incident when every alert of it has cleared. Default: true. */
  autoResolve: boolean;
  storm: { enabled: boolean; windowMs: number; threshold: number };
  /** Routing keys accepted by the Events API v2 endpoint. */
  eventsV2RoutingKeys: Array<{ id: string; key: string }>;
}

function severity(config: Config, key: string, fallback: Severity): Severity {
  const value = config.getOptionalString(key);
  if (value === undefined) return fallback;
  const parsed = parseSeverity(value);
  if (!parsed) throw new Error(`${key}: unknown severity '${value}'`);
  return parsed;
}

/** Reads `incidents.alerts`; a bad value stops the backend naming it. */
export function readAlertsConfig(root: Config): AlertsConfig {
  const config = root.getOptionalConfig('incidents.alerts');
  const openSeverities = (
    config?.getOptionalStringArray('openSeverities') ?? ['sev1', 'sev2']
  ).map(value => {
    const parsed = parseSeverity(value);
    if (!parsed) {
      throw new Error(
        `incidents.alerts.openSeverities: unknown severity '${value}'`,
      );
    }
    return parsed;
  });
  const storm = config?.getOptionalConfig('storm');
  const threshold = storm?.getOptionalNumber('threshold') ?? 5;
  if (!Number.isInteger(threshold) || threshold < 2) {
    throw new Error(
      'incidents.alerts.storm.threshold must be a whole number ≥ 2',
    );
  }
  const seen = new Set<string>();
  const routingKeys = (
    config?.getOptionalConfigArray('eventsV2.routingKeys') ?? []
  ).map((c, i) => {
    const id = c.getString('id');
    const key = c.getString('key');
    if (seen.has(id)) {
      throw new Error(
        `incidents.alerts.eventsV2.routingKeys[${i}]: duplicate id '${id}'`,
      );
    }
    if (key.length < 16) {
      throw new Error(
        `incidents.alerts.eventsV2.routingKeys[${i}] (${id}): key must be at least 16 characters`,
      );
    }
    seen.add(id);
    return { id, key };
  });
  return {
    serviceLabel: config?.getOptionalString('serviceLabel') ?? 'service',
    tagLabels: config?.getOptionalStringArray('tagLabels') ?? [],
    defaultSeverity: config
      ? severity(config, 'defaultSeverity', 'sev3')
      : 'sev3',
    openSeverities,
    autoResolve: config?.getOptionalBoolean('autoResolve') ?? true,
    storm: {
      enabled: storm?.getOptionalBoolean('enabled') ?? true,
      windowMs: storm?.has('window')
        ? durationMs(readDurationFromConfig(storm, { key: 'window' }))
        : 60_000,
      threshold,
    },
    eventsV2RoutingKeys: routingKeys,
  };
}
