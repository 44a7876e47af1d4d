/*
 * Alerts and storms in Backstage's database.
 *
 * Guarantees:
 * - One row per (source, fingerprint): a repeat delivery updates the row and
 *   is reported as a repeat, so at-least-once senders never double-act.
 * - One open storm per key (a unique `active_key`), so concurrent intake on
 *   any number of replicas forms one storm, and so one parent.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { Alert, Severity } from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { isUniqueViolation, toIso } from '../database/rows';
import { IncomingAlert } from './parsers';

/** What an intake did to one alert. */
export type AlertTransition =
  /** New, or firing again after it had resolved. */
  | 'fired'
  /** Was firing, now resolved. */
  | 'resolved'
  /** Nothing changed (a repeat delivery, or a resolve for an unseen alert). */
  | 'unchanged';

/** An alert after intake, with what happened to it. */
export interface IntakeRecord {
  id: string;
  transition: AlertTransition;
  alert: IncomingAlert & { entityRef?: string };
  /** The top-level incident it belonged to before this intake. */
  incidentId?: string;
  keys: string[];
}

/** An alert as the API shows it. */
export type StoredAlert = Alert;

/** An open storm. */
export interface StormRow {
  id: string;
  key: string;
  parentIncidentId?: string;
}

/** The keys storms group an alert by. */
export function stormKeys(alert: {
  entityRef?: string;
  tags?: string[];
}): string[] {
  return [
    ...(alert.entityRef ? [`service:${alert.entityRef}`] : []),
    ...[...new Set(alert.tags ?? [])].map(t => `tag:${t}`),
  ];
}

/** Alerts and storms in Backstage's database. */
export class DatabaseAlertStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAlertStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabaseAlertStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Records a message's alerts in one transaction, in order (one message may
   * fire and resolve the same alert), and reports each one's transition.
   * Retried once if a concurrent delivery inserted the same new alert.
   */
  async upsert(
    alerts: Array<IncomingAlert & { entityRef?: string }>,
    now: Date,
  ): Promise<IntakeRecord[]> {
    try {
      return await this.upsertOnce(alerts, now);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return this.upsertOnce(alerts, now);
      }
      throw error;
    }
  }

  private async upsertOnce(
    alerts: Array<IncomingAlert & { entityRef?: string }>,
    now: Date,
  ): Promise<IntakeRecord[]> {
    return this.knex.transaction(async tx => {
      const bySource = new Map<string, string[]>();
      for (const a of alerts) {
        bySource.set(a.source, [
          ...(bySource.get(a.source) ?? []),
          a.fingerprint,
        ]);
      }
      const existing = new Map<string, any>();
      for (const [source, fingerprints] of bySource) {
        for (let i = 0; i < fingerprints.length; i += 500) {
          const rows = await tx('incident_alert')
            .where({ source })
            .whereIn('fingerprint', fingerprints.slice(i, i + 500))
            .select('id', 'source', 'fingerprint', 'status', 'incident_id');
          for (const row of rows) {
            existing.set(`${row.source}\u0000${row.fingerprint}`, row);
          }
        }
      }

      const records: IntakeRecord[] = [];
      const inserts = new Map<string, Record<string, unknown>>();
      const keyRows: Array<{ alert_id: string; key: string; fired_at: Date }> =
        [];
      const refired: string[] = [];
      const repeats: string[] = [];
      for (const alert of alerts) {
        const k = `${alert.source}\u0000${alert.fingerprint}`;
        const row = existing.get(k);
        const content = {
          severity: alert.severity,
          title: alert.title,
          description: alert.description ?? null,
          entity_ref: alert.entityRef ?? null,
          labels: JSON.stringify(alert.labels ?? {}),
          tags: JSON.stringify(alert.tags ?? []),
          group_key: alert.groupKey ?? null,
          starts_at: alert.startsAt ? new Date(alert.startsAt) : null,
          ends_at: alert.endsAt ? new Date(alert.endsAt) : null,
        };
        const keys = stormKeys(alert);
        if (!row) {
          const id = randomUUID();
          const firing = alert.status === 'firing';
          inserts.set(k, {
            id,
            source: alert.source,
            fingerprint: alert.fingerprint,
            status: alert.status,
            ...content,
            first_seen_at: now,
            last_seen_at: now,
            fired_at: now,
            resolved_at: firing ? null : now,
            seen_count: 1,
          });
          existing.set(k, { id, status: alert.status, incident_id: null });
          if (firing) {
            keyRows.push(
              ...keys.map(key => ({ alert_id: id, key, fired_at: now })),
            );
          }
          // A resolve for an alert never seen is kept, and changes nothing.
          records.push({
            id,
            transition: firing ? 'fired' : 'unchanged',
            alert,
            keys,
          });
          continue;
        }
        const pending = inserts.get(k);
        const wasFiring = row.status === 'firing';
        const nowFiring = alert.status === 'firing';
        let transition: AlertTransition = 'unchanged';
        if (wasFiring !== nowFiring)
          transition = nowFiring ? 'fired' : 'resolved';
        const update: Record<string, unknown> = {
          status: alert.status,
          last_seen_at: now,
          // A resolve from a sender that sends no details keeps the old ones.
          ...(alert.action || (!nowFiring && !alert.labels) ? {} : content),
        };
        if (transition === 'fired') {
          Object.assign(update, {
            fired_at: now,
            resolved_at: null,
            incident_id: null,
            opened_incident_id: null,
            storm_id: null,
          });
          refired.push(row.id);
          keyRows.push(
            ...keys.map(key => ({ alert_id: row.id, key, fired_at: now })),
          );
        } else if (transition === 'resolved') {
          update.resolved_at = now;
        }
        if (pending) {
          Object.assign(pending, update);
        } else if (transition === 'unchanged') {
          // Repeats (Alertmanager re-sends every group_interval) are most of
          // the traffic: counted in one statement; details refresh on the
          // next transition.
          repeats.push(row.id);
        } else {
          await tx('incident_alert')
            .where({ id: row.id })
            .update({ ...update, seen_count: tx.raw('seen_count + 1') });
        }
        records.push({
          id: row.id,
          transition,
          alert,
          incidentId:
            transition === 'fired' ? undefined : row.incident_id ?? undefined,
          keys,
        });
        row.status = alert.status;
        if (transition === 'fired') row.incident_id = null;
      }
      for (let i = 0; i < repeats.length; i += 500) {
        await tx('incident_alert')
          .whereIn('id', repeats.slice(i, i + 500))
          .update({ last_seen_at: now, seen_count: tx.raw('seen_count + 1') });
      }
      const rows = [...inserts.values()];
      for (let i = 0; i < rows.length; i += 100) {
        await tx('incident_alert').insert(rows.slice(i, i + 100));
      }
      if (refired.length) {
        await tx('incident_alert_key').whereIn('alert_id', refired).delete();
      }
      const uniqueKeys = [
        ...new Map(
          keyRows.map(r => [`${r.alert_id}\u0000${r.key}`, r]),
        ).values(),
      ];
      for (let i = 0; i < uniqueKeys.length; i += 200) {
        await tx('incident_alert_key')
          .insert(uniqueKeys.slice(i, i + 200))
          .onConflict(['alert_id', 'key'])
          .merge(['fired_at']);
      }
      return records;
    });
  }

  async get(id: string): Promise<StoredAlert | undefined> {
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

  /**
   * Every open storm for the keys, with whether its parent incident is
   * still active (a storm ends with its parent).
   */
  async activeStorms(
    keys: string[],
  ): Promise<Array<StormRow & { parentActive: boolean; parentRef?: string }>> {
    if (keys.length === 0) return [];
    const rows = await this.knex('incident_storm as s')
      .leftJoin('incident as i', 'i.id', 's.parent_incident_id')
      .whereIn('s.active_key', keys)
      .orderBy('s.started_at', 'asc')
      .select(
        's.id',
        's.key',
        's.parent_incident_id',
        'i.status',
        'i.ref_number',
      );
    return rows.map(r => ({
      ...toStorm(r),
      parentActive: ['open', 'investigating', 'mitigated'].includes(r.status),
      parentRef: r.ref_number ? `INC-${r.ref_number}` : undefined,
    }));
  }

  /** Links many alerts to a storm and its parent in one statement. */
  async linkToStorm(alertIds: string[], stormId: string, parentId: string) {
    for (let i = 0; i < alertIds.length; i += 500) {
      await this.knex('incident_alert')
        .whereIn('id', alertIds.slice(i, i + 500))
        .update({ storm_id: stormId, incident_id: parentId });
    }
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

  /** Children of an incident that are still active, with their alerts. */
  async activeChildren(parentId: string): Promise<string[]> {
    return this.knex('incident')
      .where({ parent_id: parentId })
      .whereIn('status', ['open', 'investigating', 'mitigated'])
      .pluck('id');
  }

  /** Alert counts per incident (alerts that belong to it). */
  async countsByIncident(incidentIds: string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (incidentIds.length === 0) return result;
    const rows = await this.knex('incident_alert')
      .whereIn('incident_id', incidentIds)
      .groupBy('incident_id')
      .select('incident_id')
      .count({ n: '*' });
    for (const r of rows as Array<{ incident_id: string; n: unknown }>) {
      result.set(r.incident_id, Number(r.n));
    }
    return result;
  }

  /** Recent alerts, newest first, with filters. */
  async list(query: {
    status?: 'firing' | 'resolved';
    entityRef?: string;
    incidentId?: string;
    unmapped?: boolean;
    limit: number;
    before?: { lastSeenAt: Date; id: string };
  }): Promise<StoredAlert[]> {
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

function toStorm(row: any): StormRow {
  return {
    id: row.id,
    key: row.key,
    parentIncidentId: row.parent_incident_id ?? undefined,
  };
}

function toAlert(row: any): StoredAlert {
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
    startsAt: toIso(row.starts_at),
    endsAt: toIso(row.ends_at),
    firstSeenAt: toIso(row.first_seen_at)!,
    lastSeenAt: toIso(row.last_seen_at)!,
    firedAt: toIso(row.fired_at)!,
    resolvedAt: toIso(row.resolved_at),
    seenCount: Number(row.seen_count),
  };
}
