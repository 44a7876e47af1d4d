import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  EscalationPolicy,
  EscalationTarget,
  Severity,
} from '@vigil/plugin-incidents-common';
import { parseSeverities } from '../lib/config';
import { normalizeEntityRef } from '../lib/identity';
import { readPagingConfig, WebhookDefinition } from '../paging/config';
import { RetryPolicy } from '../paging/PagingStore';

/** Everything `incidents.escalation` and `incidents.paging` configure. */
export interface EscalationConfig {
  /** How often each replica looks for due timers and deliveries. */
  interval: HumanDuration;
  /** Severities that page when an incident opens. */
  pagingSeverities: Severity[];
  policies: EscalationPolicy[];
  /**
   * The policy for incidents none of whose components names or is listed by
   * one; default: the first policy listing no components.
   */
  defaultPolicy?: string;
  webhooks: WebhookDefinition[];
  retry: RetryPolicy;
}

export const DEFAULT_PAGING_SEVERITIES: Severity[] = ['sev1', 'sev2'];

/**
 * Reads escalation policies, paging severities, webhooks and retry settings.
 * A bad definition stops the backend with a message naming it; schedule
 * targets must name a configured schedule.
 */
export function readEscalationConfig(
  config: Config,
  scheduleIds: string[],
): EscalationConfig {
  const pagingSeverities = config.has('incidents.escalation.pagingSeverities')
    ? parseSeverities(
        config.getStringArray('incidents.escalation.pagingSeverities'),
        'incidents.escalation.pagingSeverities',
      )
    : DEFAULT_PAGING_SEVERITIES;

  const seen = new Set<string>();
  const policies = (
    config.getOptionalConfigArray('incidents.escalation.policies') ?? []
  ).map((c, i) => {
    const policy = readPolicy(c, i, { scheduleIds, pagingSeverities });
    if (seen.has(policy.id)) {
      throw new Error(
        `incidents.escalation.policies[${i}] (${policy.id}): duplicate policy id`,
      );
    }
    seen.add(policy.id);
    return policy;
  });

  const defaultPolicy = config.getOptionalString(
    'incidents.escalation.defaultPolicy',
  );
  if (defaultPolicy !== undefined && !seen.has(defaultPolicy)) {
    throw new Error(
      `incidents.escalation.defaultPolicy: unknown policy '${defaultPolicy}'`,
    );
  }

  const { webhooks, retry } = readPagingConfig(config);

  return {
    interval: config.has('incidents.escalation.interval')
      ? readDurationFromConfig(config, { key: 'incidents.escalation.interval' })
      : { seconds: 2 },
    pagingSeverities,
    policies,
    defaultPolicy,
    webhooks,
    retry,
  };
}

function readPolicy(
  c: Config,
  i: number,
  context: { scheduleIds: string[]; pagingSeverities: Severity[] },
): EscalationPolicy {
  const id = c.getString('id');
  const where = `incidents.escalation.policies[${i}] (${id})`;
  const steps = c.getConfigArray('steps').map((s, j) => {
    const stepWhere = `${where}.steps[${j}]`;
    const delayMinutes = s.getOptionalNumber('delayMinutes') ?? 15;
    if (!(delayMinutes > 0)) {
      throw new Error(`${stepWhere}.delayMinutes must be positive`);
    }
    const targets = s
      .getConfigArray('targets')
      .map((t, k) =>
        readTarget(t, `${stepWhere}.targets[${k}]`, context.scheduleIds),
      );
    if (targets.length === 0) {
      throw new Error(`${stepWhere} has no targets`);
    }
    return { targets, delayMinutes };
  });
  if (steps.length === 0) {
    throw new Error(`${where} has no steps`);
  }
  const repeat = c.getOptionalNumber('repeat') ?? 0;
  if (!Number.isInteger(repeat) || repeat < 0 || repeat > 10) {
    throw new Error(`${where}.repeat must be a whole number from 0 to 10`);
  }
  return {
    id,
    name: c.getOptionalString('name') ?? id,
    severities: c.has('severities')
      ? parseSeverities(c.getStringArray('severities'), `${where}.severities`)
      : context.pagingSeverities,
    services: (c.getOptionalStringArray('services') ?? []).map(s =>
      normalizeEntityRef(s, 'component', `${where}.services`),
    ),
    repeat,
    steps,
  };
}

function readTarget(
  t: Config,
  where: string,
  scheduleIds: string[],
): EscalationTarget {
  const keys = t.keys();
  if (keys.length !== 1) {
    throw new Error(
      `${where} must have exactly one of schedule, user or group`,
    );
  }
  const [kind] = keys;
  const value = t.getString(kind);
  if (kind === 'schedule') {
    if (!scheduleIds.includes(value)) {
      throw new Error(`${where}: unknown schedule '${value}'`);
    }
    return { schedule: value };
  }
  if (kind === 'user' || kind === 'group') {
    return {
      [kind]: normalizeEntityRef(value, kind, where),
    } as EscalationTarget;
  }
  throw new Error(`${where}: '${kind}' is not one of schedule, user or group`);
}
