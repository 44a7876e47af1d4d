import {
  TimelineEntry,
  TimelineEntryKind,
} from '@vigil/plugin-incidents-common';
import { Knex } from 'knex';
import { insertChunked, toIso } from '../lib/rows';
import { TimelineRecord, TimelineStore } from './IncidentStore';

type TimelineRow = {
  id: number | string;
  incident_id: string;
  kind: string;
  actor: string;
  message: string;
  links: string | null;
  data: string | null;
  created_at: Date | string | number;
};

/**
 * The `incident_timeline` and `incident_audit` tables: the one place that
 * writes them, always inside the caller's transaction.
 */
export class DatabaseTimelineStore implements TimelineStore {
  constructor(private readonly knex: Knex) {}

  async writeOne(
    tx: Knex.Transaction,
    record: TimelineRecord,
    now: Date,
  ): Promise<TimelineEntry> {
    const { timeline, audit } = timelineRows(record, now);
    const [inserted] = await tx('incident_timeline').insert(timeline, ['id']);
    await tx('incident_audit').insert(audit);
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return toTimelineEntry({ ...timeline, id });
  }

  async write(
    tx: Knex.Transaction,
    records: TimelineRecord[],
    now: Date,
  ): Promise<void> {
    if (records.length === 0) {
      return;
    }
    const rows = records.map(record => timelineRows(record, now));
    await insertChunked(
      tx,
      'incident_timeline',
      rows.map(r => r.timeline),
    );
    await insertChunked(
      tx,
      'incident_audit',
      rows.map(r => r.audit),
    );
  }

  async audit(
    tx: Knex.Transaction,
    row: {
      incidentId: string;
      action: string;
      actor: string;
      details: Record<string, unknown>;
    },
    now: Date,
  ): Promise<void> {
    await tx('incident_audit').insert({
      incident_id: row.incidentId,
      action: row.action,
      actor: row.actor,
      details: JSON.stringify(row.details),
      created_at: now,
    });
  }

  async list(incidentId: string): Promise<TimelineEntry[]> {
    const rows: TimelineRow[] = await this.knex('incident_timeline')
      .where({ incident_id: incidentId })
      .orderBy('id', 'asc');
    return rows.map(toTimelineEntry);
  }

  /** The newest entry of an incident. */
  async latest(incidentId: string): Promise<TimelineEntry | undefined> {
    const [row] = await this.knex<TimelineRow>('incident_timeline')
      .where({ incident_id: incidentId })
      .orderBy('id', 'desc')
      .limit(1);
    return row ? toTimelineEntry(row) : undefined;
  }
}

/**
 * The `incident_timeline` and `incident_audit` rows of one entry. Also used
 * by the one-statement open on PostgreSQL (see `lib/postgresFastPaths`).
 */
export function timelineRows(record: TimelineRecord, now: Date) {
  return {
    timeline: {
      incident_id: record.incidentId,
      kind: record.kind,
      actor: record.actor,
      message: record.message,
      links: record.links?.length ? JSON.stringify(record.links) : null,
      data: record.data ? JSON.stringify(record.data) : null,
      created_at: now,
    },
    audit: {
      incident_id: record.incidentId,
      action: record.auditAction,
      actor: record.actor,
      details: JSON.stringify({
        kind: record.kind,
        message: record.message,
        ...record.data,
      }),
      created_at: now,
    },
  };
}

export function toTimelineEntry(row: TimelineRow): TimelineEntry {
  return {
    id: String(row.id),
    incidentId: row.incident_id,
    kind: row.kind as TimelineEntryKind,
    actor: row.actor,
    message: row.message,
    links: row.links ? JSON.parse(row.links) : undefined,
    data: row.data ? JSON.parse(row.data) : undefined,
    createdAt: toIso(row.created_at)!,
  };
}
