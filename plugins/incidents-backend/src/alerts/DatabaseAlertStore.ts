/*
 * Alerts and storms in Backstage's database.
 *
 * Guarantees:
 * - One row per (source, fingerprint): a repeat delivery updates the row and
 *   is reported as a repeat, so at-least-once senders never double-act.
 * - One open storm per key (a unique `active_key`), so concurrent intake on
 *   any number of replicas forms one storm, and so one parent.
 *
 * What a delivery does is decided by `intakePlan.ts`; this store reads what
 * the plan needs and writes the plan.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { Alert, Severity } from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../lib/migrations';
import { insertNewAlerts } from '../lib/postgresFastPaths';
import { toIso } from '../lib/rows';
import { AlertListQuery, AlertStore, OpenStorm, StormRow } from './AlertStore';
import {
  alertKey,
  ExistingAlert,
  IntakePlan,
  uniqueKeyRows,
} from './intakePlan';

/** Alerts and storms in Backstage's database. */
export class DatabaseAlertStore implements AlertStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAlertStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabaseAlertStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  async readExisting(
    db: Knex | Knex.Transaction,
    alerts: Array<{ source: string; fingerprint: string }>,
  ): Promise<Map<string, ExistingAlert>> {
    const bySource = new Map<string, string[]>();
    for (const a of alerts) {
      bySource.set(a.source, [
        ...(bySource.get(a.source) ?? []),
        a.fingerprint,
      ]);
    }
    const existing = new Map<string, ExistingAlert>();
    for (const [source, fingerprints] of bySource) {
      for (let i = 0; i < fingerprints.length; i += 500) {
        const rows = await db('incident_alert')
          .where({ source })
          .whereIn('fingerprint', fingerprints.slice(i, i + 500))
          .select('id', 'source', 'fingerprint', 'status', 'incident_id');
        for (const row of rows) {
          existing.set(alertKey(row), row);
        }
      }
    }
    return existing;
  }

  async readForIntake(
    alerts: Array<{ source: string; fingerprint: string }>,
    keys: string[],
  ): Promise<{ existing: Map<string, ExistingAlert>; storms: OpenStorm[] }> {
    const sources = new Set(alerts.map(a => a.source));
    if (sources.size !== 1 || alerts.length > 500 || keys.length > 500) {
      const [existing, stormRows] = await Promise.all([
        this.readExisting(this.knex, alerts),
        keys.length ? this.stormsQuery(keys) : [],
      ]);
      return { existing, storms: stormRows.map(toOpenStorm) };
    }
    const [source] = sources;
    const { knex } = this;
    // One statement for the usual message (one source, up to 500 alerts):
    // the alerts half has the storms half's columns (see `stormsQuery`):
    // name is the fingerprint, parent_id the alert's incident.
    const query = knex('incident_alert')
      .where('source', source)
      .whereIn(
        'fingerprint',
        alerts.map(a => a.fingerprint),
      )
      .select(
        knex.raw("'alert' as kind"),
        'id',
        'fingerprint as name',
        'status',
        'incident_id as parent_id',
        knex.raw('null as started_at'),
      );
    if (keys.length) {
      query.unionAll(this.stormsQuery(keys));
    }
    const existing = new Map<string, ExistingAlert>();
    const storms: OpenStorm[] = [];
    for (const row of await query) {
      if (row.kind === 'alert') {
        existing.set(alertKey({ source, fingerprint: row.name }), {
          id: row.id,
          status: row.status,
          incident_id: row.parent_id,
        });
      } else {
        storms.push(toOpenStorm(row));
      }
    }
    return { existing, storms };
  }

  /**
   * The open storms of these keys: kind ('storm'), id, name (the key),
   * status (null), parent_id, started_at.
   */
  private stormsQuery(keys: string[]) {
    const { knex } = this;
    return knex('incident_storm as s')
      .whereIn('s.active_key', keys)
      .select(
        knex.raw("'storm' as kind"),
        's.id',
        's.key as name',
        knex.raw('null as status'),
        's.parent_incident_id as parent_id',
        's.started_at',
      );
  }

  async insertNew(plan: IntakePlan): Promise<void> {
    await this.knex.transaction(tx => this.writeInserts(tx, plan));
  }

  async insertNewOnPostgres(
    rows: Record<string, unknown>[],
    stormKeys: string[],
    now: Date,
  ) {
    return insertNewAlerts(this.knex, rows, stormKeys, now);
  }

  async applyPlan(
    tx: Knex.Transaction,
    plan: IntakePlan,
    now: Date,
  ): Promise<void> {
    for (const { id, update } of plan.updates) {
      await tx('incident_alert')
        .where({ id })
        .update({ ...update, seen_count: tx.raw('seen_count + 1') });
    }
    for (const [stormId, { parentId, ids }] of plan.joining) {
      for (let i = 0; i < ids.length; i += 500) {
        await tx('incident_alert')
          .whereIn('id', ids.slice(i, i + 500))
          .update({ storm_id: stormId, incident_id: parentId });
      }
    }
    for (let i = 0; i < plan.repeats.length; i += 500) {
      await tx('incident_alert')
        .whereIn('id', plan.repeats.slice(i, i + 500))
        .update({ last_seen_at: now, seen_count: tx.raw('seen_count + 1') });
    }
    if (plan.refired.length) {
      await tx('incident_alert_key').whereIn('alert_id', plan.refired).delete();
    }
    await this.writeInserts(tx, plan);
  }

  transaction<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(work);
  }

  private async writeInserts(tx: Knex.Transaction, plan: IntakePlan) {
    const rows = [...plan.inserts.values()];
    for (let i = 0; i < rows.length; i += 100) {
      await tx('incident_alert').insert(rows.slice(i, i + 100));
    }
    const keys = uniqueKeyRows(plan.keyRows);
    for (let i = 0; i < keys.length; i += 200) {
      await tx('incident_alert_key')
        .insert(keys.slice(i, i + 200))
        .onConflict(['alert_id', 'key'])
        .merge(['fired_at']);
    }
  }

  async closeStorms(ids: string[], now: Date): Promise<void> {
    if (ids.length) {
      await this.knex('incident_storm')
        .whereIn('id', ids)
        .whereNotNull('active_key')
        .update({ active_key: null, closed_at: now });
    }
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.knex('incident_alert').where({ id }).first();
    return row ? toAlert(row) : undefined;
  }

  async find(source: string, fingerprint: string) {
    const row = await this.knex('incident_alert')
      .where({ source, fingerprint })
      .first();
    return row ? toAlert(row) : undefined;
  }

  /** Points an alert at its incident, the incident it opened, its storm. */
  async link(
    alertId: string,
    link: { incidentId?: string; openedIncidentId?: string; stormId?: string },
  ): Promise<void> {
    const update: Record<string, string> = {};
    if (link.incidentId) update.incident_id = link.incidentId;
    if (link.openedIncidentId)
      update.opened_incident_id = link.openedIncidentId;
    if (link.stormId) update.storm_id = link.stormId;
    if (Object.keys(update).length) {
      await this.knex('incident_alert').where({ id: alertId }).update(update);
    }
  }

  async silence(alertId: string, maintenanceId: string): Promise<void> {
    await this.knex('incident_alert')
      .where({ id: alertId })
      .update({ silenced_by: maintenanceId });
  }

  /** Firing alerts with this key that fired since `since`. */
  async countFiring(key: string, since: Date): Promise<number> {
    const [row] = await this.knex('incident_alert_key as k')
      .join('incident_alert as a', 'a.id', 'k.alert_id')
      .where('k.key', key)
      .where('k.fired_at', '>=', since)
      .where('a.status', 'firing')
      .count({ n: '*' });
    return Number(row.n);
  }

  /** The open storm for any of the keys, if there is one. */
  async activeStorm(keys: string[]): Promise<StormRow | undefined> {
    if (keys.length === 0) return undefined;
    const row = await this.knex('incident_storm')
      .whereIn('active_key', keys)
      .orderBy('started_at', 'asc')
      .first();
    return row ? toStorm(row) : undefined;
  }

  async getStorm(id: string): Promise<StormRow | undefined> {
    const row = await this.knex('incident_storm').where({ id }).first();
    return row ? toStorm(row) : undefined;
  }

  /**
   * Opens a storm for a key; undefined when another request (or replica)
   * opened one first.
   */
  async createStorm(key: string, now: Date): Promise<StormRow | undefined> {
    const id = randomUUID();
    const inserted = await this.knex('incident_storm')
      .insert({ id, key, active_key: key, started_at: now })
      .onConflict('active_key')
      .ignore()
      .returning('id');
    return inserted.length ? { id, key } : undefined;
  }

  async setStormParent(id: string, parentIncidentId: string) {
    await this.knex('incident_storm')
      .where({ id })
      .update({ parent_incident_id: parentIncidentId });
  }

  /** Closes a storm: later alerts of its key may form a new one. */
  async closeStorm(id: string, now: Date) {
    await this.knex('incident_storm')
      .where({ id })
      .whereNotNull('active_key')
      .update({ active_key: null, closed_at: now });
  }

  /** Open storms whose parent is this incident. */
  async stormsOfParent(parentIncidentId: string): Promise<StormRow[]> {
    const rows = await this.knex('incident_storm')
      .where({ parent_incident_id: parentIncidentId })
      .whereNotNull('active_key');
    return rows.map(toStorm);
  }

  /** Firing alerts of a key within the window, for a new storm's parent. */
  async windowAlerts(key: string, since: Date) {
    const rows = await this.knex('incident_alert_key as k')
      .join('incident_alert as a', 'a.id', 'k.alert_id')
      .where('k.key', key)
      .where('k.fired_at', '>=', since)
      .where('a.status', 'firing')
      .select('a.id', 'a.severity', 'a.entity_ref');
    return rows.map(r => ({
      id: r.id as string,
      severity: r.severity as Severity,
      entityRef: (r.entity_ref as string | null) ?? undefined,
    }));
  }

  /**
   * Links the storm's alerts to its parent: those that joined the storm,
   * and the key's firing alerts of the window. Returns the incidents those
   * alerts opened, for merging into the parent.
   */
  async sweepIntoStorm(options: {
    stormId: string;
    key: string;
    since: Date;
    parentIncidentId: string;
  }): Promise<string[]> {
    const { stormId, key, since, parentIncidentId } = options;
    return this.knex.transaction(async tx => {
      const windowIds = tx('incident_alert_key as k')
        .join('incident_alert as a', 'a.id', 'k.alert_id')
        .where('k.key', key)
        .where('k.fired_at', '>=', since)
        .where('a.status', 'firing')
        .select('a.id');
      const ids: string[] = [
        ...new Set([
          ...(await windowIds).map(r => r.id as string),
          ...(await tx('incident_alert')
            .where({ storm_id: stormId })
            .pluck('id')),
        ]),
      ];
      const opened = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const rows = await tx('incident_alert')
          .whereIn('id', chunk)
          .whereNotNull('opened_incident_id')
          .pluck('opened_incident_id');
        rows.forEach(r => opened.add(r));
        await tx('incident_alert')
          .whereIn('id', chunk)
          .update({ storm_id: stormId, incident_id: parentIncidentId });
      }
      opened.delete(parentIncidentId);
      return [...opened];
    });
  }

  /** Alerts still firing that belong to or opened the incident. */
  async firingCount(incidentId: string): Promise<number> {
    const [row] = await this.knex('incident_alert')
      .where('status', 'firing')
      .where(q =>
        q
          .where('incident_id', incidentId)
          .orWhere('opened_incident_id', incidentId),
      )
      .count({ n: '*' });
    return Number(row.n);
  }

  /** Recent alerts, newest first, with filters. */
  async list(query: AlertListQuery): Promise<Alert[]> {
    let q = this.knex('incident_alert');
    if (query.status) q = q.where('status', query.status);
    if (query.entityRef) q = q.where('entity_ref', query.entityRef);
    if (query.incidentId) {
      const id = query.incidentId;
      q = q.where(w =>
        w.where('incident_id', id).orWhere('opened_incident_id', id),
      );
    }
    if (query.unmapped) q = q.whereNull('entity_ref');
    if (query.before) {
      const { lastSeenAt, id } = query.before;
      q = q.where(w =>
        w
          .where('last_seen_at', '<', lastSeenAt)
          .orWhere(w2 =>
            w2.where('last_seen_at', lastSeenAt).where('id', '<', id),
          ),
      );
    }
    const rows = await q
      .orderBy([
        { column: 'last_seen_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit);
    return rows.map(toAlert);
  }
}

/** A row of `stormsQuery`. */
function toOpenStorm(row: any): OpenStorm {
  return {
    id: row.id,
    key: row.name,
    parentIncidentId: row.parent_id ?? undefined,
    startedAt: row.started_at,
  };
}

function toStorm(row: any): StormRow {
  return {
    id: row.id,
    key: row.key,
    parentIncidentId: row.parent_incident_id ?? undefined,
  };
}

function toAlert(row: any): Alert {
  return {
    id: row.id,
    source: row.source,
    fingerprint: row.fingerprint,
    status: row.status,
    severity: row.severity,
    title: row.title,
    description: row.description ?? undefined,
    entityRef: row.entity_ref ?? undefined,
    labels: JSON.parse(row.labels ?? '{}'),
    tags: JSON.parse(row.tags ?? '[]'),
    incidentId: row.incident_id ?? undefined,
    openedIncidentId: row.opened_incident_id ?? undefined,
    stormId: row.storm_id ?? undefined,
    silencedBy: row.silenced_by ?? undefined,
    startsAt: toIso(row.starts_at),
    endsAt: toIso(row.ends_at),
    firstSeenAt: toIso(row.first_seen_at)!,
    lastSeenAt: toIso(row.last_seen_at)!,
    firedAt: toIso(row.fired_at)!,
    resolvedAt: toIso(row.resolved_at),
    seenCount: Number(row.seen_count),
  };
}
