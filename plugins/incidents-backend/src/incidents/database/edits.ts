/*
 * What an edit of an incident changes: the columns to write and, for the
 * timeline, each changed field (by its API name) with its old and new
 * value. Fields given with the value they already have are no change.
 */
import { UpdateIncidentInput } from '../IncidentStore';
import { IncidentRow } from './rows';

/** One changed field: its old and new value (null when unset). */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** An edit as the timeline records it. */
export class EditDiff {
  readonly patch: Partial<IncidentRow>;
  private readonly changes: Array<[string, string, FieldChange]> = [];

  constructor(now: Date) {
    this.patch = { updated_at: now };
  }

  /** Records a change of `field` (shown as `label`) from `from` to `to`. */
  add(field: string, label: string, from: unknown, to: unknown) {
    this.changes.push([field, label, { from: from ?? null, to: to ?? null }]);
  }

  /** A list field (services, responders): changed when the sets differ. */
  addList(field: string, label: string, from: string[], to: string[]) {
    const before = [...new Set(from)].sort();
    const after = [...new Set(to)].sort();
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      this.add(field, label, before, after);
    }
  }

  /** `Changed title, severity sev2 → sev1`, or that nothing changed. */
  message(): string {
    if (!this.changes.length) return 'Saved without changes';
    const labels = this.changes.map(([field, label, { from, to }]) =>
      field === 'severity' ? `severity ${from} → ${to}` : label,
    );
    return `Changed ${labels.join(', ')}`;
  }

  /** The timeline entry's data: the changed fields, each old → new. */
  data() {
    return {
      fields: this.changes.map(([field]) => field),
      changes: Object.fromEntries(
        this.changes.map(([field, , change]) => [field, change]),
      ),
    };
  }
}

type Column = keyof IncidentRow;

// The plain columns an edit may set: API field, column, label.
const SCALAR_FIELDS: Array<
  [string, Column, string, (input: UpdateIncidentInput) => unknown]
> = [
  ['severity', 'severity', 'severity', i => i.severity],
  ['title', 'title', 'title', i => i.title],
  ['description', 'description', 'description', i => i.description],
  ['roles.commander', 'commander', 'commander', i => i.roles?.commander],
  ['roles.commsOwner', 'comms_owner', 'comms owner', i => i.roles?.commsOwner],
  [
    'roles.technicalLead',
    'technical_lead',
    'technical lead',
    i => i.roles?.technicalLead,
  ],
  [
    'impact.affectedUsers',
    'impact_users',
    'affected users',
    i => i.impact?.affectedUsers,
  ],
  [
    'impact.businessImpact',
    'impact_business',
    'business impact',
    i => i.impact?.businessImpact,
  ],
  [
    'rootCause.hypothesis',
    'root_cause_hypothesis',
    'hypothesis',
    i => i.rootCause?.hypothesis,
  ],
  [
    'rootCause.confirmedCause',
    'root_cause_confirmed',
    'cause',
    i => i.rootCause?.confirmedCause,
  ],
  [
    'rootCause.trigger',
    'root_cause_trigger',
    'trigger',
    i => i.rootCause?.trigger,
  ],
  ['change.url', 'change_url', 'change', i => i.change?.url],
  ['change.title', 'change_title', 'change title', i => i.change?.title],
  ['change.source', 'change_source', 'change source', i => i.change?.source],
];

/** The columns an edit changes, and each changed field with old and new. */
export function describeEdit(
  row: IncidentRow,
  input: UpdateIncidentInput,
  now: Date,
): EditDiff {
  const diff = new EditDiff(now);
  const patch = diff.patch as Record<string, unknown>;
  for (const [field, column, label, read] of SCALAR_FIELDS) {
    const value = read(input);
    // Numbers come back as strings from some drivers; compare as written.
    if (value !== undefined && String(row[column] ?? '') !== String(value)) {
      patch[column] = value;
      diff.add(field, label, row[column], value);
    }
  }
  if (input.environments) {
    const before = JSON.parse(row.environments) as string[];
    if (JSON.stringify(before) !== JSON.stringify(input.environments)) {
      patch.environments = JSON.stringify(input.environments);
      diff.add('environments', 'environments', before, input.environments);
    }
  }
  if (
    input.excludeFromMetrics !== undefined &&
    Boolean(row.exclude_from_metrics) !== input.excludeFromMetrics
  ) {
    patch.exclude_from_metrics = input.excludeFromMetrics;
    diff.add(
      'excludeFromMetrics',
      input.excludeFromMetrics
        ? 'excluded from metrics'
        : 'included in metrics',
      !input.excludeFromMetrics,
      input.excludeFromMetrics,
    );
  }
  if (input.identified && !row.identified_at) {
    patch.identified_at = now;
    diff.add('identified', 'root cause identified', false, true);
  }
  return diff;
}
