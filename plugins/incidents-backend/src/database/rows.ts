import { Knex } from 'knex';
import { memoized } from './memo';

/**
 * Formatting a timestamp costs about a microsecond and a list page has a few
 * hundred, mostly the same from one request to the next (the same incidents,
 * polled by every open page): the strings are kept by stored value.
 */
const isoOf = memoized(
  (value: string | number) => new Date(value).toISOString(),
  20_000,
);

/**
 * Timestamps come back as Date from PostgreSQL through Knex, as PostgreSQL's
 * text from prepared reads (see `selectPrepared`) and as epoch milliseconds
 * from SQLite (Knex stores JavaScript Dates as numbers there).
 * @internal
 */
export function toIso(
  value: Date | string | number | null | undefined,
): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  return value instanceof Date ? value.toISOString() : isoOf(value);
}

/** A timeline entry with the audit row written beside it. */
export interface SystemTimelineEntry {
  incidentId: string;
  kind: string;
  actor: string;
  message: string;
  links?: Array<{ url: string; title?: string }>;
  data?: Record<string, unknown>;
  /** The audit action recorded beside the entry. */
  auditAction: string;
}

/**
 * The `incident_timeline` and `incident_audit` rows of one entry: every
 * module writes them this way, inside the transaction of the change they
 * describe.
 * @internal
 */
export function timelineRecords(entry: SystemTimelineEntry, now: Date) {
  return {
    timeline: {
      incident_id: entry.incidentId,
      kind: entry.kind,
      actor: entry.actor,
      message: entry.message,
      links: entry.links?.length ? JSON.stringify(entry.links) : null,
      data: entry.data ? JSON.stringify(entry.data) : null,
      created_at: now,
    },
    audit: {
      incident_id: entry.incidentId,
      action: entry.auditAction,
      actor: entry.actor,
      details: JSON.stringify({
        kind: entry.kind,
        message: entry.message,
        ...entry.data,
      }),
      created_at: now,
    },
  };
}

/**
 * Writes timeline entries with their audit rows inside the caller's
 * transaction, so they commit or roll back with the change they describe.
 * @internal
 */
export async function writeTimelineEntries(
  tx: Knex.Transaction,
  entries: SystemTimelineEntry[],
  now: Date,
): Promise<void> {
  if (entries.length === 0) {
    return;
  }
  const records = entries.map(entry => timelineRecords(entry, now));
  await insertChunked(
    tx,
    'incident_timeline',
    records.map(r => r.timeline),
  );
  await insertChunked(
    tx,
    'incident_audit',
    records.map(r => r.audit),
  );
}

/**
 * Inserts many rows in statements of at most `chunk` rows (SQLite bounds the
 * number of bound parameters per statement).
 * @internal
 */
export async function insertChunked(
  tx: Knex.Transaction | Knex,
  table: string,
  rows: Record<string, unknown>[],
  chunk = 200,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await tx(table).insert(rows.slice(i, i + chunk));
  }
}

/**
 * Whether a write failed on a unique index or primary key (23505 on
 * PostgreSQL, a constraint code on SQLite).
 * @internal
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
