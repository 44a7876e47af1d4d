/*
 * Postmortems, their revisions, reminders, and the action-item queries that
 * track them to done.
 *
 * Guarantees:
 * - One postmortem per incident (a unique index): concurrent starts give one
 *   postmortem, and the others get it back.
 * - Every write is compare-and-set on `version`: of two saves made from the
 *   same version one wins and the other is a ConflictError naming who saved
 *   in between. A published postmortem takes no saves.
 * - Every write keeps the body it wrote as a revision and writes an audit
 *   row (state changes a timeline entry too), in its transaction.
 * - A reminder is claimed (insert, or compare-and-set on its last time)
 *   before it is sent, so replicas send each one once.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ActionItem,
  ActionItemHorizon,
  describeIllegalPostmortemMove,
  IncidentStatus,
  allowedPostmortemMoves,
  Postmortem,
  PostmortemIncident,
  PostmortemRevision,
  PostmortemStatus,
  PostmortemSummary,
  Severity,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';
import { IncidentPermissionCriteria } from '@vigil/plugin-incidents-node';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import {
  isUniqueViolation,
  SystemTimelineEntry,
  toIso,
  writeTimelineEntries,
} from '../database/rows';
import { whereIncidentAllowed } from '../incidents/permissionFilter';

type Timestamp = Date | string | number;

type PostmortemRow = {
  id: string;
  incident_id: string;
  title: string;
  body: string;
  status: PostmortemStatus;
  version: number;
  revision: number;
  created_by: string;
  created_at: Timestamp;
  updated_by: string;
  updated_at: Timestamp;
  submitted_by: string | null;
  submitted_at: Timestamp | null;
  published_by: string | null;
  published_at: Timestamp | null;
};

/** A postmortem row joined with its incident's columns (`i_*`). */
type JoinedRow = PostmortemRow & {
  i_ref_number: number | string;
  i_title: string;
  i_severity: string;
  i_status: string;
  i_commander: string | null;
  i_opened_at: Timestamp;
  i_resolved_at: Timestamp | null;
};

/** An action item with the incident it belongs to. */
export interface TrackedActionItem extends ActionItem {
  incident: {
    id: string;
    ref: string;
    title: string;
    status: IncidentStatus;
    severity: Severity;
  };
  overdue: boolean;
}

/** An incident whose required postmortem is due a reminder. */
export interface DueReminder {
  incidentId: string;
  ref: string;
  title: string;
  severity: Severity;
  commander?: string;
  responder?: string;
  ownerGroups: string[];
  resolvedAt: Date;
  started: boolean;
  /** Reminders sent so far, and when the last one was. */
  sent: number;
  lastRemindedAt?: Date;
}

/** An overdue action item due a reminder to its owner. */
export interface OverdueItem {
  id: string;
  incidentId: string;
  ref: string;
  incidentTitle: string;
  title: string;
  owner: string;
  dueDate: string;
  lastNotifiedAt?: Date;
}

/** Filters of the postmortem list. */
export interface PostmortemListQuery {
  status?: PostmortemStatus[];
  /** Only postmortems of incidents affecting this entity. */
  entityRef?: string;
  limit: number;
  offset: number;
  includeBody?: boolean;
  /** Only postmortems of incidents a conditional read decision allows. */
  permissionCriteria?: IncidentPermissionCriteria;
}

/** Filters of the action item list. */
export interface ActionItemQuery {
  owner?: string;
  entityRef?: string;
  done?: boolean;
  /** Only items due before this day (YYYY-MM-DD), i.e. overdue on it. */
  dueBefore?: string;
  limit: number;
  /** Only items of incidents a conditional read decision allows. */
  permissionCriteria?: IncidentPermissionCriteria;
}

const ACTOR_REMINDERS = 'system:postmortem-reminders';

/** Postmortems in Backstage's database through Knex. */
export class DatabasePostmortemStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabasePostmortemStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabasePostmortemStore(knex);
  }

  private readonly isPostgres: boolean;

  private constructor(private readonly knex: Knex) {
    this.isPostgres = knex.client.config.client === 'pg';
  }

  async get(incidentId: string): Promise<Postmortem | undefined> {
    const [row] = await this.joined(this.knex).where(
      'p.incident_id',
      incidentId,
    );
    return row
      ? (await this.toSummaries(this.knex, [row], true))[0]
      : undefined;
  }

  /**
   * Starts the incident's postmortem, or returns the one it has
   * (`created: false`).
   */
  async start(
    input: { incidentId: string; title: string; body: string },
    actor: string,
    now: Date,
  ): Promise<{ created: boolean; postmortem: Postmortem }> {
    const existing = await this.get(input.incidentId);
    if (existing) {
      return { created: false, postmortem: existing };
    }
    let created = false;
    try {
      await this.knex.transaction(async tx => {
        const id = randomUUID();
        await tx('incident_postmortem').insert({
          id,
          incident_id: input.incidentId,
          title: input.title,
          body: input.body,
          status: 'draft',
          version: 1,
          revision: 1,
          created_by: actor,
          created_at: now,
          updated_by: actor,
          updated_at: now,
        });
        await this.writeRevision(tx, {
          postmortemId: id,
          version: 1,
          revision: 1,
          status: 'draft',
          action: 'started',
          author: actor,
          body: input.body,
          now,
        });
        await this.audit(
          tx,
          input.incidentId,
          'postmortem_started',
          actor,
          now,
          {
            postmortemId: id,
            version: 1,
          },
        );
      });
      created = true;
    } catch (error) {
      // Another request started it first: answer with theirs.
      if (!isUniqueViolation(error)) {
        throw error;
      }
    }
    const postmortem = await this.get(input.incidentId);
    if (!postmortem) {
      throw new Error(`Postmortem of ${input.incidentId} vanished`);
    }
    return { created, postmortem };
  }

  /**
   * Saves a new body over `version`. A stale version, or a published
   * postmortem, is a ConflictError that says what happened.
   */
  async save(
    incidentId: string,
    input: { body: string; version: number },
    actor: string,
    now: Date,
  ): Promise<Postmortem> {
    await this.knex.transaction(async tx => {
      const row = await this.mustFindRow(tx, incidentId);
      const ref = await this.refOf(tx, incidentId);
      if (row.status === 'published') {
        throw new ConflictError(
          `The postmortem of ${ref} is published and read-only; start a new revision to change it`,
        );
      }
      const next = input.version + 1;
      // Compare-and-set: only a save made from the current version wins.
      const updated = await tx('incident_postmortem')
        .where({ id: row.id, version: input.version })
        .whereNot({ status: 'published' })
        .update({
          body: input.body,
          version: next,
          updated_by: actor,
          updated_at: now,
        });
      if (updated !== 1) {
        throw staleVersion(ref, input.version, row);
      }
      await this.writeRevision(tx, {
        postmortemId: row.id,
        version: next,
        revision: row.revision,
        status: row.status,
        action: 'saved',
        author: actor,
        body: input.body,
        now,
      });
      await this.audit(tx, incidentId, 'postmortem_saved', actor, now, {
        postmortemId: row.id,
        version: next,
      });
    });
    return (await this.get(incidentId))!;
  }

  /**
   * Moves the postmortem along its flow; with `version`, only from that
   * version (so nobody publishes text they have not seen). Writes the
   * timeline entry and the audit row; publishing records who and when.
   */
  async move(
    incidentId: string,
    input: { to: PostmortemStatus; version?: number },
    actor: string,
    now: Date,
  ): Promise<{ postmortem: Postmortem; entry: TimelineEntry }> {
    const entry = await this.knex.transaction(async tx => {
      const row = await this.mustFindRow(tx, incidentId, true);
      const ref = await this.refOf(tx, incidentId);
      if (input.version !== undefined && input.version !== row.version) {
        throw staleVersion(ref, input.version, row);
      }
      if (!allowedPostmortemMoves(row.status).includes(input.to)) {
        throw new ConflictError(
          `${describeIllegalPostmortemMove(row.status, input.to)} (${ref})`,
        );
      }
      const next = row.version + 1;
      const reopening = row.status === 'published' && input.to === 'draft';
      const patch: Record<string, unknown> = {
        status: input.to,
        version: next,
        updated_by: actor,
        updated_at: now,
      };
      if (input.to === 'review') {
        patch.submitted_by = actor;
        patch.submitted_at = now;
      }
      if (input.to === 'published') {
        patch.published_by = actor;
        patch.published_at = now;
      }
      if (reopening) {
        patch.revision = row.revision + 1;
      }
      const updated = await tx('incident_postmortem')
        .where({ id: row.id, version: row.version, status: row.status })
        .update(patch);
      if (updated !== 1) {
        const current = await this.mustFindRow(tx, incidentId);
        throw staleVersion(ref, row.version, current);
      }
      await this.writeRevision(tx, {
        postmortemId: row.id,
        version: next,
        revision: reopening ? row.revision + 1 : row.revision,
        status: input.to,
        action: input.to,
        author: actor,
        body: row.body,
        now,
      });
      const message = {
        review: 'Postmortem sent to review',
        draft: reopening
          ? `Postmortem reopened as revision ${row.revision + 1}`
          : 'Postmortem sent back to draft',
        published: `Postmortem published (revision ${row.revision})`,
      }[input.to];
      await writeTimelineEntries(
        tx,
        [
          {
            incidentId,
            kind: 'postmortem',
            actor,
            message,
            data: {
              postmortemId: row.id,
              from: row.status,
              to: input.to,
              version: next,
            },
            auditAction: `postmortem_${reopening ? 'reopened' : input.to}`,
          },
        ],
        now,
      );
      await tx('incident')
        .where({ id: incidentId })
        .update({ updated_at: now });
      // The entry just written, for the event that tells of the move.
      const written = await tx('incident_timeline')
        .where({ incident_id: incidentId })
        .orderBy('id', 'desc')
        .first();
      return {
        id: String(written.id),
        incidentId,
        kind: 'postmortem' as const,
        actor,
        message,
        data: JSON.parse(written.data),
        createdAt: toIso(written.created_at)!,
      };
    });
    return { postmortem: (await this.get(incidentId))!, entry };
  }

  async revisions(incidentId: string): Promise<PostmortemRevision[]> {
    const row = await this.mustFindRow(this.knex, incidentId);
    const rows = await this.knex('incident_postmortem_revision')
      .where({ postmortem_id: row.id })
      .orderBy('version', 'desc');
    return rows.map(r => ({
      version: Number(r.version),
      revision: Number(r.revision),
      status: r.status,
      action: r.action,
      author: r.author,
      body: r.body,
      createdAt: toIso(r.created_at)!,
    }));
  }

  /** Postmortems newest first, optionally by state and affected entity. */
  async list(query: PostmortemListQuery): Promise<{
    items: Array<PostmortemSummary & { body?: string }>;
    totalCount: number;
  }> {
    const filtered = this.knex('incident_postmortem as p').join(
      'incident as i',
      'i.id',
      'p.incident_id',
    );
    if (query.status?.length) {
      filtered.whereIn('p.status', query.status);
    }
    if (query.entityRef) {
      filtered.whereExists(this.affecting('p.incident_id', [query.entityRef]));
    }
    this.whereAllowed(filtered, query.permissionCriteria);
    const ordered = this.selectJoined(filtered.clone()).orderBy([
      { column: 'p.updated_at', order: 'desc' },
      { column: 'p.id', order: 'desc' },
    ]);
    const { rows, totalCount } = await pageOf<JoinedRow>(
      filtered,
      ordered,
      query,
    );
    return {
      items: await this.toSummaries(this.knex, rows, query.includeBody),
      totalCount,
    };
  }

  /**
   * Published postmortems of other incidents, opened before this one, that
   * share an affected service with it; newest first.
   */
  async related(
    incident: { id: string; openedAt: string; affectedServices: string[] },
    limit: number,
    permissionCriteria?: IncidentPermissionCriteria,
  ): Promise<PostmortemSummary[]> {
    if (incident.affectedServices.length === 0) {
      return [];
    }
    const joined = this.knex('incident_postmortem as p').join(
      'incident as i',
      'i.id',
      'p.incident_id',
    );
    this.whereAllowed(joined, permissionCriteria);
    const rows: JoinedRow[] = await this.selectJoined(joined)
      .where('p.status', 'published')
      .whereNot('p.incident_id', incident.id)
      .where('i.opened_at', '<', new Date(incident.openedAt))
      .whereExists(this.affecting('p.incident_id', incident.affectedServices))
      .orderBy([
        { column: 'p.published_at', order: 'desc' },
        { column: 'p.id', order: 'desc' },
      ])
      .limit(limit);
    return this.toSummaries(this.knex, rows, false);
  }

  /** See `whereIncidentAllowed`; the queries read `incident as i`. */
  private whereAllowed(
    query: Knex.QueryBuilder,
    criteria: IncidentPermissionCriteria | undefined,
  ) {
    if (criteria) {
      query.where(qb => whereIncidentAllowed(this.knex, qb, criteria));
    }
  }

  /** Action items with their incidents, by owner, entity, done and due day. */
  async listActionItems(
    query: ActionItemQuery,
    today: string,
  ): Promise<{ items: TrackedActionItem[]; totalCount: number }> {
    const filtered = this.knex('incident_action_item as a').join(
      'incident as i',
      'i.id',
      'a.incident_id',
    );
    if (query.owner) {
      filtered.where('a.owner', query.owner);
    }
    if (query.done !== undefined) {
      filtered.where('a.done', query.done);
    }
    if (query.dueBefore) {
      filtered
        .whereNotNull('a.due_date')
        .where('a.due_date', '<', query.dueBefore);
    }
    if (query.entityRef) {
      filtered.whereExists(this.affecting('a.incident_id', [query.entityRef]));
    }
    this.whereAllowed(filtered, query.permissionCriteria);
    const ordered = filtered
      .clone()
      .select(
        'a.*',
        'i.ref_number as i_ref_number',
        'i.title as i_title',
        'i.status as i_status',
        'i.severity as i_severity',
      )
      // Undated items last, on both engines.
      .orderByRaw('CASE WHEN a.due_date IS NULL THEN 1 ELSE 0 END')
      .orderBy([
        { column: 'a.due_date', order: 'asc' },
        { column: 'a.created_at', order: 'asc' },
        { column: 'a.id', order: 'asc' },
      ]);
    const { rows, totalCount } = await pageOf<any>(filtered, ordered, {
      ...query,
      offset: 0,
    });
    return {
      items: rows.map(row => ({
        id: row.id,
        incidentId: row.incident_id,
        title: row.title,
        owner: row.owner ?? undefined,
        dueDate: row.due_date ?? undefined,
        horizon: (row.horizon ?? undefined) as ActionItemHorizon | undefined,
        done: Boolean(row.done),
        link: row.link ?? undefined,
        createdAt: toIso(row.created_at)!,
        overdue: !row.done && !!row.due_date && row.due_date < today,
        incident: {
          id: row.incident_id,
          ref: `INC-${row.i_ref_number}`,
          title: row.i_title,
          status: row.i_status,
          severity: row.i_severity,
        },
      })),
      totalCount,
    };
  }

  // ---- reminders --------------------------------------------------------

  /**
   * Incidents of the required severities, resolved at least `startWithinMs`
   * ago, whose postmortem is not published: the first reminder when none
   * was started, then one every `cadenceMs` until it is published.
   */
  async dueReminders(options: {
    severities: Severity[];
    now: Date;
    startWithinMs: number;
    cadenceMs: number;
    limit?: number;
  }): Promise<DueReminder[]> {
    const { now } = options;
    const resolvedBefore = new Date(now.getTime() - options.startWithinMs);
    const remindedBefore = new Date(now.getTime() - options.cadenceMs);
    const rows = await this.knex('incident as i')
      .leftJoin('incident_postmortem as p', 'p.incident_id', 'i.id')
      .leftJoin('incident_postmortem_reminder as r', 'r.incident_id', 'i.id')
      .whereIn('i.severity', options.severities)
      .whereIn('i.status', ['resolved', 'postmortem'])
      .whereNotNull('i.resolved_at')
      .where('i.resolved_at', '<=', resolvedBefore)
      .whereNull('p.published_at')
      .where(qb =>
        qb
          .where(first => first.whereNull('r.incident_id').whereNull('p.id'))
          .orWhere(again =>
            again
              .whereNotNull('r.incident_id')
              .where('r.last_reminded_at', '<=', remindedBefore),
          ),
      )
      .select(
        'i.id',
        'i.ref_number',
        'i.title',
        'i.severity',
        'i.commander',
        'i.responder',
        'i.resolved_at',
        'p.id as postmortem_id',
        'r.reminders_sent',
        'r.last_reminded_at',
      )
      .orderBy('i.resolved_at', 'asc')
      .limit(options.limit ?? 200);
    if (rows.length === 0) {
      return [];
    }
    const owners = await this.knex('incident_owner').whereIn(
      'incident_id',
      rows.map(r => r.id),
    );
    return rows.map(r => ({
      incidentId: r.id,
      ref: `INC-${r.ref_number}`,
      title: r.title,
      severity: r.severity,
      commander: r.commander ?? undefined,
      responder: r.responder ?? undefined,
      ownerGroups: owners
        .filter(o => o.incident_id === r.id)
        .map(o => o.group_ref)
        .sort(),
      resolvedAt: new Date(toIso(r.resolved_at)!),
      started: Boolean(r.postmortem_id),
      sent: Number(r.reminders_sent ?? 0),
      lastRemindedAt: r.last_reminded_at
        ? new Date(toIso(r.last_reminded_at)!)
        : undefined,
    }));
  }

  /**
   * Claims a reminder: true when this caller may send it. Writes the
   * timeline entry and audit row with the claim.
   */
  async claimReminder(
    due: DueReminder,
    recipient: string,
    now: Date,
  ): Promise<boolean> {
    try {
      return await this.knex.transaction(async tx => {
        if (due.lastRemindedAt === undefined) {
          await tx('incident_postmortem_reminder').insert({
            incident_id: due.incidentId,
            reminders_sent: 1,
            last_recipient: recipient,
            last_reminded_at: now,
          });
        } else {
          const updated = await tx('incident_postmortem_reminder')
            .where({
              incident_id: due.incidentId,
              last_reminded_at: due.lastRemindedAt,
            })
            .update({
              reminders_sent: due.sent + 1,
              last_recipient: recipient,
              last_reminded_at: now,
            });
          if (updated !== 1) {
            return false;
          }
        }
        const entry: SystemTimelineEntry = {
          incidentId: due.incidentId,
          kind: 'postmortem',
          actor: ACTOR_REMINDERS,
          message: `Postmortem reminder ${due.sent + 1} sent to ${recipient}: ${
            due.started ? 'not published yet' : 'not started yet'
          }`,
          data: { reminder: due.sent + 1, recipient },
          auditAction: 'postmortem_reminded',
        };
        await writeTimelineEntries(tx, [entry], now);
        return true;
      });
    } catch (error) {
      // Another replica inserted the first reminder.
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  /** Open action items with an owner, due before `today`, due a reminder. */
  async overdueItems(options: {
    today: string;
    now: Date;
    cadenceMs: number;
    limit?: number;
  }): Promise<OverdueItem[]> {
    const remindedBefore = new Date(options.now.getTime() - options.cadenceMs);
    const rows = await this.knex('incident_action_item as a')
      .join('incident as i', 'i.id', 'a.incident_id')
      .where('a.done', false)
      .whereNotNull('a.owner')
      .whereNotNull('a.due_date')
      .where('a.due_date', '<', options.today)
      .where(qb =>
        qb
          .whereNull('a.overdue_notified_at')
          .orWhere('a.overdue_notified_at', '<=', remindedBefore),
      )
      .select(
        'a.id',
        'a.incident_id',
        'a.title',
        'a.owner',
        'a.due_date',
        'a.overdue_notified_at',
        'i.ref_number',
        'i.title as incident_title',
      )
      .orderBy('a.due_date', 'asc')
      .limit(options.limit ?? 200);
    return rows.map(r => ({
      id: r.id,
      incidentId: r.incident_id,
      ref: `INC-${r.ref_number}`,
      incidentTitle: r.incident_title,
      title: r.title,
      owner: r.owner,
      dueDate: r.due_date,
      lastNotifiedAt: r.overdue_notified_at
        ? new Date(toIso(r.overdue_notified_at)!)
        : undefined,
    }));
  }

  /** Claims an overdue reminder (compare-and-set on its last time). */
  async claimOverdue(item: OverdueItem, now: Date): Promise<boolean> {
    const query = this.knex('incident_action_item').where({ id: item.id });
    if (item.lastNotifiedAt) {
      query.where('overdue_notified_at', item.lastNotifiedAt);
    } else {
      query.whereNull('overdue_notified_at');
    }
    return (await query.update({ overdue_notified_at: now })) === 1;
  }

  /** Gives back a claim whose notification could not be sent. */
  async releaseOverdue(item: OverdueItem, now: Date): Promise<void> {
    await this.knex('incident_action_item')
      .where({ id: item.id, overdue_notified_at: now })
      .update({ overdue_notified_at: item.lastNotifiedAt ?? null });
  }

  // ---- internals --------------------------------------------------------

  /** A subquery: the incident in `column` affects one of the entities. */
  private affecting(column: string, entityRefs: string[]) {
    return this.knex('incident_service as s')
      .select(this.knex.raw('1'))
      .whereRaw(`s.incident_id = ${column}`)
      .whereIn(
        's.entity_ref',
        entityRefs.map(r => r.toLocaleLowerCase('en-US')),
      );
  }

  private selectJoined(query: Knex.QueryBuilder): Knex.QueryBuilder {
    return query.select(
      'p.*',
      'i.ref_number as i_ref_number',
      'i.title as i_title',
      'i.severity as i_severity',
      'i.status as i_status',
      'i.commander as i_commander',
      'i.opened_at as i_opened_at',
      'i.resolved_at as i_resolved_at',
    );
  }

  private joined(db: Knex | Knex.Transaction): Knex.QueryBuilder {
    return this.selectJoined(
      db('incident_postmortem as p').join(
        'incident as i',
        'i.id',
        'p.incident_id',
      ),
    );
  }

  private async mustFindRow(
    db: Knex | Knex.Transaction,
    incidentId: string,
    forUpdate = false,
  ): Promise<PostmortemRow> {
    const query = db<PostmortemRow>('incident_postmortem').where({
      incident_id: incidentId,
    });
    // Row lock on PostgreSQL so concurrent moves queue up; SQLite
    // serialises writers.
    if (forUpdate && this.isPostgres) {
      query.forUpdate();
    }
    const row = await query.first();
    if (!row) {
      const ref = await this.refOf(db, incidentId);
      throw new NotFoundError(`${ref} has no postmortem yet`);
    }
    return row;
  }

  private async refOf(db: Knex | Knex.Transaction, incidentId: string) {
    const row = await db('incident')
      .where({ id: incidentId })
      .first('ref_number');
    return row ? `INC-${row.ref_number}` : `Incident '${incidentId}'`;
  }

  private async writeRevision(
    tx: Knex.Transaction,
    r: {
      postmortemId: string;
      version: number;
      revision: number;
      status: PostmortemStatus;
      action: string;
      author: string;
      body: string;
      now: Date;
    },
  ) {
    await tx('incident_postmortem_revision').insert({
      postmortem_id: r.postmortemId,
      version: r.version,
      revision: r.revision,
      status: r.status,
      action: r.action,
      author: r.author,
      body: r.body,
      created_at: r.now,
    });
  }

  private async audit(
    tx: Knex.Transaction,
    incidentId: string,
    action: string,
    actor: string,
    now: Date,
    details: Record<string, unknown>,
  ) {
    await tx('incident_audit').insert({
      incident_id: incidentId,
      action,
      actor,
      details: JSON.stringify(details),
      created_at: now,
    });
  }

  private async toSummaries(
    db: Knex | Knex.Transaction,
    rows: JoinedRow[],
    includeBody = false,
  ): Promise<Array<Postmortem>> {
    if (rows.length === 0) {
      return [];
    }
    const services = await db('incident_service').whereIn(
      'incident_id',
      rows.map(r => r.incident_id),
    );
    return rows.map(row => {
      const incident: PostmortemIncident = {
        id: row.incident_id,
        ref: `INC-${row.i_ref_number}`,
        title: row.i_title,
        severity: row.i_severity as Severity,
        status: row.i_status as IncidentStatus,
        affectedServices: services
          .filter(s => s.incident_id === row.incident_id)
          .map(s => s.entity_ref)
          .sort(),
        commander: row.i_commander ?? undefined,
        openedAt: toIso(row.i_opened_at)!,
        resolvedAt: toIso(row.i_resolved_at),
      };
      const summary: PostmortemSummary = {
        id: row.id,
        incident,
        title: row.title,
        status: row.status,
        version: Number(row.version),
        revision: Number(row.revision),
        createdBy: row.created_by,
        createdAt: toIso(row.created_at)!,
        updatedBy: row.updated_by,
        updatedAt: toIso(row.updated_at)!,
        submittedBy: row.submitted_by ?? undefined,
        submittedAt: toIso(row.submitted_at),
        publishedBy: row.published_by ?? undefined,
        publishedAt: toIso(row.published_at),
      };
      return (
        includeBody ? { ...summary, body: row.body } : summary
      ) as Postmortem;
    });
  }
}

/** One page of `ordered` and the count of `filtered`. */
async function pageOf<T>(
  filtered: Knex.QueryBuilder,
  ordered: Knex.QueryBuilder,
  query: { limit: number; offset: number },
): Promise<{ rows: T[]; totalCount: number }> {
  const [{ count }] = await filtered.clone().count({ count: '*' });
  return {
    rows: await ordered.limit(query.limit).offset(query.offset),
    totalCount: Number(count),
  };
}

function staleVersion(ref: string, version: number, current: PostmortemRow) {
  if (current.status === 'published' && current.version !== version) {
    return new ConflictError(
      `The postmortem of ${ref} was published by ${current.published_by} (version ${current.version}) since you loaded version ${version}; it is read-only now`,
    );
  }
  return new ConflictError(
    `The postmortem of ${ref} was changed by ${current.updated_by} at ${toIso(
      current.updated_at,
    )} (now version ${
      current.version
    }) since you loaded version ${version}; reload it and apply your changes again`,
  );
}
