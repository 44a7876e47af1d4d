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
import { queryPostgres } from '../database/prepared';
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
  /**
   * The parent incident (ref) of the running storm this firing alert joined
   * while it was recorded.
   */
  joinedStormParent?: string;
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

/**
 * New alerts of one message, on PostgreSQL ($1: the rows as JSON, $2: the
 * storm keys of the message, $3: now): each inserted unless already stored,
 * its storm keys with it, and each firing one linked to the running storm of
 * its first key that has one (the oldest of that key). Returns the inserted
 * alerts with their storm parent's number.
 */
const INTAKE_STATEMENT = `with incoming as (
         select * from jsonb_to_recordset($1::jsonb) as x(
           id uuid, source text, fingerprint text, status text,
           severity text, title text, description text, entity_ref text,
           labels text, tags text, group_key text, starts_at timestamptz,
           ends_at timestamptz, resolved_at timestamptz, keys text[],
           may_join boolean)
       ),
       live as (
         select s.id, s.key, s.parent_incident_id, i.ref_number, s.started_at
         from incident_storm s
         join incident i on i.id = s.parent_incident_id
         where s.active_key = any($2::text[])
           and i.status in ('open', 'investigating', 'mitigated')
       ),
       joined as (
         select x.id as alert_id, st.id as storm_id,
                st.parent_incident_id, st.ref_number
         from incoming x
         join lateral (
           select l.* from unnest(x.keys) with ordinality as k(key, ord)
           join live l on l.key = k.key
           where x.may_join
           order by k.ord, l.started_at
           limit 1
         ) st on true
       ),
       inserted as (
         insert into incident_alert (
           id, source, fingerprint, status, severity, title, description,
           entity_ref, labels, tags, group_key, starts_at, ends_at,
           first_seen_at, last_seen_at, fired_at, resolved_at, seen_count,
           storm_id, incident_id)
         select x.id, x.source, x.fingerprint, x.status, x.severity, x.title,
                x.description, x.entity_ref, x.labels, x.tags, x.group_key,
                x.starts_at, x.ends_at, $3::timestamptz, $3::timestamptz, $3::timestamptz, x.resolved_at, 1,
                j.storm_id, j.parent_incident_id
         from incoming x
         left join joined j on j.alert_id = x.id
         on conflict (fingerprint, source) do nothing
         returning id
       ),
       new_keys as (
         insert into incident_alert_key (alert_id, key, fired_at)
         select x.id, k.key, $3::timestamptz
         from incoming x
         join inserted n on n.id = x.id
         cross join unnest(x.keys) as k(key)
         on conflict (alert_id, key) do update set fired_at = excluded.fired_at
       )
       select n.id, j.ref_number
       from inserted n
       left join joined j on j.alert_id = n.id`;

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
    options: { joinStorms?: boolean } = {},
  ): Promise<IntakeRecord[]> {
    try {
      return await this.upsertOnce(alerts, now, options);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return this.upsertOnce(alerts, now, options);
      }
      throw error;
    }
  }

  private async upsertOnce(
    alerts: Array<IncomingAlert & { entityRef?: string }>,
    now: Date,
    options: { joinStorms?: boolean },
  ): Promise<IntakeRecord[]> {
    if (
      this.knex.client.config.client === 'pg' &&
      alerts.length <= 100 &&
      !alerts.some(a => a.action) &&
      new Set(alerts.map(a => a.source)).size === 1 &&
      new Set(alerts.map(a => a.fingerprint)).size === alerts.length
    ) {
      return this.insertOrReadOnPostgres(alerts, now, options);
    }
    return this.readAndWrite(alerts, now, options);
  }

  /**
   * PostgreSQL, one statement for a message's alerts that are new (the usual
   * first delivery): inserted with their storm keys, each firing one linked
   * to the running storm of its first key that has one. Alerts already
   * stored are left to `readAndWrite`.
   */
  private async insertOrReadOnPostgres(
    alerts: Array<IncomingAlert & { entityRef?: string }>,
    now: Date,
    options: { joinStorms?: boolean },
  ): Promise<IntakeRecord[]> {
    const plan = planIntake(alerts, new Map(), now, new Map());
    const rows = plan.records.map(record => {
      const row = plan.inserts.get(
        `${record.alert.source}\u0000${record.alert.fingerprint}`,
      )!;
      const firing = record.alert.status === 'firing';
      return {
        ...row,
        keys: firing ? record.keys : [],
        may_join: firing && options.joinStorms === true,
      };
    });
    const stormKeysOfMessage = [
      ...new Set(rows.filter(r => r.may_join).flatMap(r => r.keys)),
    ];
    // A named statement: PostgreSQL parses and plans it once per connection.
    const connection = await this.knex.client.acquireConnection();
    let result: { rows: Array<{ id: string; ref_number: unknown }> };
    try {
      result = await queryPostgres(connection, {
        name: 'vigil_alert_intake_v1',
        text: INTAKE_STATEMENT,
        values: [JSON.stringify(rows), stormKeysOfMessage, now],
      });
    } finally {
      await this.knex.client.releaseConnection(connection);
    }
    const inserted = new Map<string, unknown>(
      result.rows.map(r => [r.id, r.ref_number]),
    );
    const stored = plan.records.filter(r => !inserted.has(r.id));
    const others = stored.length
      ? await this.readAndWrite(
          stored.map(r => r.alert),
          now,
          options,
        )
      : [];
    return plan.records.map(record => {
      if (!inserted.has(record.id)) {
        return others.shift()!;
      }
      const ref = inserted.get(record.id);
      if (ref !== null && ref !== undefined) {
        record.joinedStormParent = `INC-${ref}`;
      }
      return record;
    });
  }

  /**
   * Reads what is stored of a message's alerts and the running storms of
   * their keys, then writes the message.
   */
  private async readAndWrite(
    alerts: Array<IncomingAlert & { entityRef?: string }>,
    now: Date,
    options: { joinStorms?: boolean },
  ): Promise<IntakeRecord[]> {
    // Storms under way for the keys of alerts that may fire, read with the
    // alerts themselves.
    const keysToRead = options.joinStorms
      ? [
          ...new Set(
            alerts
              .filter(a => a.status === 'firing' && !a.action)
              .flatMap(stormKeys),
          ),
        ]
      : [];
    const { existing, storms } = await this.readForIntake(alerts, keysToRead);
    if (storms.ended.length) {
      await this.knex('incident_storm')
        .whereIn('id', storms.ended)
        .whereNotNull('active_key')
        .update({ active_key: null, closed_at: now });
    }
    const distinct =
      new Set(alerts.map(a => `${a.source}\u0000${a.fingerprint}`)).size ===
      alerts.length;
    if (existing.size === 0 && distinct) {
      // Only new alerts (the usual first delivery): inserts alone. A
      // concurrent delivery of one of them is a unique violation, and the
      // caller retries.
      const plan = planIntake(alerts, existing, now, storms.live);
      await this.knex.transaction(tx => this.writeInserts(tx, plan));
      return plan.records;
    }
    return this.knex.transaction(async tx => {
      const current = await this.readExisting(tx, alerts);
      const plan = planIntake(alerts, current, now, storms.live);
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
        await tx('incident_alert_key')
          .whereIn('alert_id', plan.refired)
          .delete();
      }
      await this.writeInserts(tx, plan);
      return plan.records;
    });
  }

  /** The stored alerts (id, status, incident) among a message's alerts. */
  private async readExisting(
    db: Knex,
    alerts: Array<{ source: string; fingerprint: string }>,
  ) {
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
          existing.set(`${row.source}\u0000${row.fingerprint}`, row);
        }
      }
    }
    return existing;
  }

  /**
   * The stored alerts among a message's alerts, and the open storms of these
   * keys: one statement for the usual message (one source, up to 500
   * alerts), else a few at once.
   */
  private async readForIntake(
    alerts: Array<{ source: string; fingerprint: string }>,
    keys: string[],
  ) {
    const sources = new Set(alerts.map(a => a.source));
    if (sources.size !== 1 || alerts.length > 500 || keys.length > 500) {
      const [existing, stormRows] = await Promise.all([
        this.readExisting(this.knex, alerts),
        keys.length ? this.stormsQuery(keys) : [],
      ]);
      return { existing, storms: toStorms(stormRows.map(toStormRead)) };
    }
    const [source] = sources;
    const { knex } = this;
    // The alerts half has the storms half's columns (see `stormsQuery`):
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
        knex.raw('null as ref_number'),
        knex.raw('null as started_at'),
      );
    if (keys.length) {
      query.unionAll(this.stormsQuery(keys));
    }
    const existing = new Map<string, ExistingAlert>();
    const stormRows: StormReadRow[] = [];
    for (const row of await query) {
      if (row.kind === 'alert') {
        existing.set(`${source}\u0000${row.name}`, {
          id: row.id,
          status: row.status,
          incident_id: row.parent_id,
        });
      } else {
        stormRows.push(toStormRead(row));
      }
    }
    return { existing, storms: toStorms(stormRows) };
  }

  /**
   * The open storms of these keys with their parent's status and number:
   * kind ('storm'), id, name (the key), status, parent_id, ref_number,
   * started_at.
   */
  private stormsQuery(keys: string[]) {
    const { knex } = this;
    return knex('incident_storm as s')
      .leftJoin('incident as i', 'i.id', 's.parent_incident_id')
      .whereIn('s.active_key', keys)
      .select(
        knex.raw("'storm' as kind"),
        's.id',
        's.key as name',
        'i.status',
        's.parent_incident_id as parent_id',
        'i.ref_number',
        's.started_at',
      );
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

type ExistingAlert = {
  id: string;
  status: string;
  incident_id: string | null;
};

type LiveStorm = { id: string; parentId: string; parentRef: string };

type KeyRow = { alert_id: string; key: string; fired_at: Date };

/** What recording a message's alerts writes, decided from what is stored. */
interface IntakePlan {
  records: IntakeRecord[];
  /** New rows by source + fingerprint. */
  inserts: Map<string, Record<string, unknown>>;
  keyRows: KeyRow[];
  /** Alerts firing again: their old storm keys go. */
  refired: string[];
  /** Repeats: only seen again. */
  repeats: string[];
  /** Stored alerts whose status changed. */
  updates: Array<{ id: string; update: Record<string, unknown> }>;
  /** Stored alerts joining a running storm, by storm. */
  joining: Map<string, { parentId: string; ids: string[] }>;
}

/**
 * Decides, in order (one message may fire and resolve the same alert), what
 * happens to each alert, and which firing alerts join a running storm.
 * `existing` is updated as the message is applied.
 */
function planIntake(
  alerts: Array<IncomingAlert & { entityRef?: string }>,
  existing: Map<string, ExistingAlert>,
  now: Date,
  live: Map<string, LiveStorm>,
): IntakePlan {
  const records: IntakeRecord[] = [];
  const inserts = new Map<string, Record<string, unknown>>();
  const keyRows: KeyRow[] = [];
  const refired: string[] = [];
  const repeats: string[] = [];
  const updates: IntakePlan['updates'] = [];
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
    if (wasFiring !== nowFiring) transition = nowFiring ? 'fired' : 'resolved';
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
      updates.push({ id: row.id, update });
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

  // Firing alerts whose service or tag has a storm under way join its
  // parent as they are recorded: the common case during an outage.
  const joining: IntakePlan['joining'] = new Map();
  for (const record of records) {
    if (record.transition !== 'fired' || record.alert.action) continue;
    const storm = record.keys.map(key => live.get(key)).find(Boolean);
    if (!storm) continue;
    record.joinedStormParent = storm.parentRef;
    const pending = inserts.get(
      `${record.alert.source}\u0000${record.alert.fingerprint}`,
    );
    if (pending?.id === record.id) {
      pending.storm_id = storm.id;
      pending.incident_id = storm.parentId;
    } else {
      const entry = joining.get(storm.id) ?? {
        parentId: storm.parentId,
        ids: [],
      };
      entry.ids.push(record.id);
      joining.set(storm.id, entry);
    }
  }
  return { records, inserts, keyRows, refired, repeats, updates, joining };
}

type StormReadRow = {
  id: string;
  key: string;
  parent_incident_id: string | null;
  status: string | null;
  ref_number: number | string | null;
  started_at: Date | string | number;
};

/** A row of `stormsQuery`. */
function toStormRead(row: any): StormReadRow {
  return {
    id: row.id,
    key: row.name,
    parent_incident_id: row.parent_id,
    status: row.status,
    ref_number: row.ref_number,
    started_at: row.started_at,
  };
}

/**
 * Open storms: those whose parent is active, by key (the oldest when several
 * match), and those whose parent has ended.
 */
function toStorms(rows: StormReadRow[]) {
  const live = new Map<string, LiveStorm>();
  const ended: string[] = [];
  const sorted = [...rows].sort(
    (a, b) =>
      new Date(a.started_at).getTime() - new Date(b.started_at).getTime() ||
      a.id.localeCompare(b.id),
  );
  for (const row of sorted) {
    if (!row.parent_incident_id) continue; // still forming
    if (!['open', 'investigating', 'mitigated'].includes(row.status ?? '')) {
      ended.push(row.id);
    } else if (!live.has(row.key)) {
      live.set(row.key, {
        id: row.id,
        parentId: row.parent_incident_id,
        parentRef: `INC-${row.ref_number}`,
      });
    }
  }
  return { live, ended };
}

/** One row per alert and key (the last one wins). */
function uniqueKeyRows(rows: KeyRow[]): KeyRow[] {
  return [
    ...new Map(rows.map(r => [`${r.alert_id}\u0000${r.key}`, r])).values(),
  ];
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
