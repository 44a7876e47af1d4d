/*
 * Postmortems, their revisions and reminders.
 *
 * Guarantees:
 * - One postmortem per incident (a unique index): concurrent starts give one
 *   postmortem, and the others get it back.
 * - Every write is compare-and-set on `version` (and a move on the state it
 *   was planned from): of two writes made from the same version one wins;
 *   the other is told so (`false`) and nothing of it is written. A published
 *   postmortem takes no saves.
 * - Every write keeps the body it wrote as a revision and writes an audit row
 *   (moves a timeline entry too), in its transaction.
 * - A reminder is claimed (insert, or compare-and-set on its last time)
 *   before it is sent, so replicas send each one once.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Postmortem,
  PostmortemRevision,
  PostmortemStatus,
  PostmortemSummary,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { IncidentReader, TimelineStore } from '../incidents/IncidentStore';
import { applyDatabaseMigrations } from '../lib/migrations';
import { isUniqueViolation, toIso } from '../lib/rows';
import { PostmortemMove } from './flow';
import { PostmortemRow, toPostmortem } from './rows';
import {
  DueReminder,
  PostmortemListQuery,
  PostmortemStore,
  RelatedQuery,
} from './PostmortemStore';

const ACTOR_REMINDERS = 'system:postmortem-reminders';

/** Postmortems in Backstage's database through Knex. */
export class DatabasePostmortemStore implements PostmortemStore {
  static async create(options: {
    database: DatabaseService;
    incidents: IncidentReader;
    timeline: TimelineStore;
  }): Promise<DatabasePostmortemStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabasePostmortemStore(
      knex,
      options.incidents,
      options.timeline,
    );
  }

  private constructor(
    private readonly knex: Knex,
    private readonly incidents: IncidentReader,
    private readonly timeline: TimelineStore,
  ) {}

  async get(incidentId: string): Promise<Postmortem | undefined> {
    const row = await this.knex<PostmortemRow>('incident_postmortem')
      .where({ incident_id: incidentId })
      .first();
    return row ? (await this.withIncidents([row], true))[0] : undefined;
  }

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
        await this.writeRevision(tx, id, {
          version: 1,
          revision: 1,
          status: 'draft',
          action: 'started',
          author: actor,
          body: input.body,
          now,
        });
        await this.timeline.audit(
          tx,
          {
            incidentId: input.incidentId,
            action: 'postmortem_started',
            actor,
            details: { postmortemId: id, version: 1 },
          },
          now,
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

  async save(
    current: Postmortem,
    input: { body: string; version: number },
    actor: string,
    now: Date,
  ): Promise<boolean> {
    return this.knex.transaction(async tx => {
      const next = input.version + 1;
      // Compare-and-set: only a save made from the current version wins.
      const updated = await tx('incident_postmortem')
        .where({ id: current.id, version: input.version })
        .whereNot({ status: 'published' })
        .update({
          body: input.body,
          version: next,
          updated_by: actor,
          updated_at: now,
        });
      if (updated !== 1) {
        return false;
      }
      await this.writeRevision(tx, current.id, {
        version: next,
        revision: current.revision,
        status: current.status,
        action: 'saved',
        author: actor,
        body: input.body,
        now,
      });
      await this.timeline.audit(
        tx,
        {
          incidentId: current.incident.id,
          action: 'postmortem_saved',
          actor,
          details: { postmortemId: current.id, version: next },
        },
        now,
      );
      return true;
    });
  }

  async move(
    current: Postmortem,
    move: PostmortemMove,
    actor: string,
    now: Date,
  ): Promise<TimelineEntry | undefined> {
    return this.knex.transaction(async tx => {
      const next = move.from.version + 1;
      const patch: Record<string, unknown> = {
        status: move.to,
        version: next,
        revision: move.revision,
        updated_by: actor,
        updated_at: now,
      };
      if (move.to === 'review') {
        patch.submitted_by = actor;
        patch.submitted_at = now;
      }
      if (move.to === 'published') {
        patch.published_by = actor;
        patch.published_at = now;
      }
      const updated = await tx('incident_postmortem')
        .where({
          id: current.id,
          version: move.from.version,
          status: move.from.status,
        })
        .update(patch);
      if (updated !== 1) {
        return undefined;
      }
      await this.writeRevision(tx, current.id, {
        version: next,
        revision: move.revision,
        status: move.to,
        action: move.to,
        author: actor,
        body: current.body,
        now,
      });
      const incidentId = current.incident.id;
      await this.incidents.touch(tx, incidentId, now);
      return this.timeline.writeOne(
        tx,
        {
          incidentId,
          kind: 'postmortem',
          actor,
          message: move.message,
          data: {
            postmortemId: current.id,
            from: move.from.status,
            to: move.to,
            version: next,
          },
          auditAction: move.auditAction,
        },
        now,
      );
    });
  }

  async revisions(postmortemId: string): Promise<PostmortemRevision[]> {
    const rows = await this.knex('incident_postmortem_revision')
      .where({ postmortem_id: postmortemId })
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

  async list(query: PostmortemListQuery): Promise<{
    items: Array<PostmortemSummary & { body?: string }>;
    totalCount: number;
  }> {
    const filtered = this.knex<PostmortemRow>('incident_postmortem as p');
    if (query.status?.length) {
      filtered.whereIn('p.status', query.status);
    }
    if (query.entityRef || query.permissionCriteria) {
      filtered.whereIn(
        'p.incident_id',
        this.incidents.selectIds({
          affecting: query.entityRef ? [query.entityRef] : undefined,
          permissionCriteria: query.permissionCriteria,
        }),
      );
    }
    const [{ count }] = await filtered.clone().count({ count: '*' });
    const rows: PostmortemRow[] = await filtered
      .clone()
      .select('p.*')
      .orderBy([
        { column: 'p.updated_at', order: 'desc' },
        { column: 'p.id', order: 'desc' },
      ])
      .limit(query.limit)
      .offset(query.offset);
    return {
      items: await this.withIncidents(rows, query.includeBody),
      totalCount: Number(count),
    };
  }

  async related(query: RelatedQuery): Promise<PostmortemSummary[]> {
    const { incident } = query;
    if (incident.affectedServices.length === 0) {
      return [];
    }
    const rows: PostmortemRow[] = await this.knex('incident_postmortem as p')
      .where('p.status', 'published')
      .whereIn(
        'p.incident_id',
        this.incidents.selectIds({
          affecting: incident.affectedServices,
          openedBefore: new Date(incident.openedAt),
          excludeId: incident.id,
          permissionCriteria: query.permissionCriteria,
        }),
      )
      .select('p.*')
      .orderBy([
        { column: 'p.published_at', order: 'desc' },
        { column: 'p.id', order: 'desc' },
      ])
      .limit(query.limit);
    return this.withIncidents(rows, false);
  }

  async dueReminders(options: {
    severities: DueReminder['severity'][];
    now: Date;
    startWithinMs: number;
    cadenceMs: number;
    limit?: number;
  }): Promise<DueReminder[]> {
    const { now } = options;
    const resolvedBefore = new Date(now.getTime() - options.startWithinMs);
    const remindedBefore = new Date(now.getTime() - options.cadenceMs);
    const incidents = this.incidents
      .selectIds(
        {
          severities: options.severities,
          statuses: ['resolved', 'postmortem'],
          resolvedBefore,
        },
        { withTimes: true },
      )
      .as('i');
    const rows = await this.knex
      .from(incidents)
      .leftJoin('incident_postmortem as p', 'p.incident_id', 'i.id')
      .leftJoin('incident_postmortem_reminder as r', 'r.incident_id', 'i.id')
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
        'p.id as postmortem_id',
        'r.reminders_sent',
        'r.last_reminded_at',
      )
      .orderBy('i.resolved_at', 'asc')
      .limit(options.limit ?? 200);
    const summaries = await this.incidents.summaries(rows.map(r => r.id));
    return rows.flatMap(r => {
      const incident = summaries.get(r.id);
      return incident
        ? [
            {
              incidentId: r.id,
              ref: incident.ref,
              title: incident.title,
              severity: incident.severity,
              commander: incident.commander,
              responder: incident.responder,
              ownerGroups: incident.ownerGroups,
              resolvedAt: new Date(incident.resolvedAt!),
              started: Boolean(r.postmortem_id),
              sent: Number(r.reminders_sent ?? 0),
              lastRemindedAt: r.last_reminded_at
                ? new Date(toIso(r.last_reminded_at)!)
                : undefined,
            },
          ]
        : [];
    });
  }

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
        await this.timeline.write(
          tx,
          [
            {
              incidentId: due.incidentId,
              kind: 'postmortem',
              actor: ACTOR_REMINDERS,
              message: `Postmortem reminder ${
                due.sent + 1
              } sent to ${recipient}: ${
                due.started ? 'not published yet' : 'not started yet'
              }`,
              data: { reminder: due.sent + 1, recipient },
              auditAction: 'postmortem_reminded',
            },
          ],
          now,
        );
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

  // ---- internals --------------------------------------------------------

  private async writeRevision(
    tx: Knex.Transaction,
    postmortemId: string,
    r: {
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
      postmortem_id: postmortemId,
      version: r.version,
      revision: r.revision,
      status: r.status,
      action: r.action,
      author: r.author,
      body: r.body,
      created_at: r.now,
    });
  }

  /** Postmortems with the incidents they belong to. */
  private async withIncidents(
    rows: PostmortemRow[],
    includeBody = false,
  ): Promise<Postmortem[]> {
    if (rows.length === 0) {
      return [];
    }
    const incidents = await this.incidents.summaries(
      rows.map(r => r.incident_id),
    );
    return rows.flatMap(row => {
      const incident = incidents.get(row.incident_id);
      return incident ? [toPostmortem(row, incident, includeBody)] : [];
    });
  }
}
