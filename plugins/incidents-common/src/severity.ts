// `Severity` itself is the OpenAPI spec's enum (a generated model).
import type { Severity } from './schema/openapi/generated';

/**
 * The severity scale, `sev1` (worst) to `sev5`.
 * @public
 */
export const SEVERITIES = [
  'sev1',
  'sev2',
  'sev3',
  'sev4',
  'sev5',
] as const satisfies readonly Severity[];

/**
 * What a severity means and the default response-time target.
 * @public
 */
export interface SeverityDefinition {
  id: Severity;
  label: string;
  description: string;
  /**
   * Default time to acknowledge, in minutes; `'next-business-day'` for the
   * lowest paging level and `undefined` where there is no target.
   */
  responseTarget?: number | 'next-business-day';
}

/**
 * The severity table.
 * @public
 */
export const SEVERITY_TABLE: Record<Severity, SeverityDefinition> = {
  sev1: {
    id: 'sev1',
    label: 'SEV1 (critical)',
    description: 'Full outage of a customer-facing service.',
    responseTarget: 0,
  },
  sev2: {
    id: 'sev2',
    label: 'SEV2 (high)',
    description: 'Major degradation visible to customers.',
    responseTarget: 15,
  },
  sev3: {
    id: 'sev3',
    label: 'SEV3 (medium)',
    description: 'Degraded, not yet visible to customers.',
    responseTarget: 60,
  },
  sev4: {
    id: 'sev4',
    label: 'SEV4 (low)',
    description: 'Internal impact only.',
    responseTarget: 'next-business-day',
  },
  sev5: {
    id: 'sev5',
    label: 'SEV5 (informational)',
    description: 'Informational; no action expected.',
  },
};

/**
 * Accepted aliases for severities, matched case-insensitively.
 * @public
 */
export const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  p1: 'sev1',
  p2: 'sev2',
  p3: 'sev3',
  p4: 'sev4',
  critical: 'sev1',
  high: 'sev2',
  medium: 'sev3',
  low: 'sev4',
};

/**
 * Turns a severity or one of its aliases (`P1`–`P4`,
 * `critical`/`high`/`medium`/`low`, any case) into a severity, or
 * `undefined` when the input is not one.
 * @public
 */
export function parseSeverity(input: unknown): Severity | undefined {
  if (typeof input !== 'string') {
    return undefined;
  }
  const key = input.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(key)) {
    return key as Severity;
  }
  return SEVERITY_ALIASES[key];
}

/**
 * Every string accepted as a severity input, for validation schemas and
 * error messages.
 * @public
 */
export const SEVERITY_INPUTS: readonly string[] = [
  ...SEVERITIES,
  ...Object.keys(SEVERITY_ALIASES),
];

/**
 * Compares severities for sorting, worst first.
 * @public
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}
