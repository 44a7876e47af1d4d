/*
 * What responders attach to an incident: notes, status updates, evidence
 * links and action items, each written with its timeline entry in one
 * transaction. Action items live here and only here; the postmortem domain
 * lists and reminds through these methods.
 */
import { NotFoundError } from '@backstage/errors';
import {
  ActionItem,
  ActionItemHorizon,
  EvidenceLink,
  StatusUpdate,
} from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { whereIncidentAllowed } from '../../authorization/sqlFilter';
import { toIso } from '../../lib/rows';
import { DatabaseTimelineStore } from '../DatabaseTimelineStore';
import {
  ActionItemPatch,
  ActionItemQuery,
  IncidentChangeResult,
  NewActionItem,
  NewTimelineEntry,
  OverdueItem,
  TrackedActionItem,
} from '../IncidentStore';
import { formatIncidentRef, isUuid } from '../refs';
import { NOT_COUNTED, writeTransaction } from './changes';
import { IncidentQueries } from './queries';
import { toActionItem, toEvidence, toStatusUpdate } from './rows';

/** A record to add to an incident with its timeline entry. */
interface Attachment {
  table: string;
  record: { id: string } & Record<string, unknown>;
  verb: string;
  entry: NewTimelineEntry;
}

/** Notes, status updates, evidence and action items. */
export class IncidentAttachmentWriter {
  constructor(
    private readonly knex: Knex,
    private readonly queries: IncidentQueries,
    private readonly timeline: DatabaseTimelineStore,
  ) {}

  async addTimelineEntry(
    id: string,
    input: NewTimelineEntry,
    actor: string,
  ): Promise<IncidentChangeResult> {
    const { result } = await this.attach(id, actor, () => ({
      verb: 'noted',
      entry: input,
      auditAction: input.kind,
    }));
    return result;
  }

  async getTimeline(id: string) {
    const row = await this.queries.mustFindRow(this.knex, id);
    return this.timeline.list(row.id);
  }

  async addStatusUpdate(
    id: string,
    input: { message: string; visibility: 'internal' | 'external' },
    actor: string,
  ): Promise<IncidentChangeResult & { statusUpdate: StatusUpdate }> {
    const { result, record } = await this.attachRecord(
      id,
      actor,
      (incidentId, now) => {
        const statusUpdate = {
          id: randomUUID(),
          incident_id: incidentId,
          visibility: input.visibility,
          message: input.message,
          author: actor,
          created_at: now,
        };
        return {
          table: 'incident_status_update',
          record: statusUpdate,
          verb: 'status_update_posted',
          entry: {
            kind: 'status-update',
            message: `${capitalize(input.visibility)} update: ${input.message}`,
            data: {
              statusUpdateId: statusUpdate.id,
              visibility: input.visibility,
            },
          },
        };
      },
    );
    return { ...result, statusUpdate: toStatusUpdate(record) };
  }

  async addEvidence(
    id: string,
    input: { url: string; title?: string },
    actor: string,
  ): Promise<IncidentChangeResult & { evidence: EvidenceLink }> {
    const { result, record } = await this.attachRecord(
      id,
      actor,
      (incidentId, now) => ({
        table: 'incident_evidence',
        record: {
          id: randomUUID(),
          incident_id: incidentId,
          url: input.url,
          title: input.title ?? null,
          added_by: actor,
          created_at: now,
        },
        verb: 'evidence_added',
        entry: {
          kind: 'link',
          message: `Evidence: ${input.title ?? input.url}`,
          links: [{ url: input.url, title: input.title }],
        },
      }),
    );
    return { ...result, evidence: toEvidence(record) };
  }

  async addActionItem(
    id: string,
    input: NewActionItem,
    actor: string,
  ): Promise<IncidentChangeResult & { actionItem: ActionItem }> {
    const { result, record } = await this.attachRecord(
      id,
      actor,
      (incidentId, now) => {
        const item = {
          id: randomUUID(),
          incident_id: incidentId,
          title: input.title,
          owner: input.owner ?? null,
          due_date: input.dueDate ?? null,
          horizon: input.horizon ?? null,
          done: false,
          link: input.link ?? null,
          created_at: now,
        };
        return {
          table: 'incident_action_item',
          record: item,
          verb: 'action_item_added',
          entry: {
            kind: 'action-item',
            message: `Action item: ${input.title}${
              input.owner ? ` (owner ${input.owner})` : ''
            }`,
            data: { actionItemId: item.id },
          },
        };
      },
    );
    return { ...result, actionItem: toActionItem(record) };
  }

  async updateActionItem(
    id: string,
    itemId: string,
    input: ActionItemPatch,
    actor: string,
  ): Promise<IncidentChangeResult & { actionItem: ActionItem }> {
    let actionItem: ActionItem | undefined;
    const { result } = await this.attach(id, actor, async (tx, incident) => {
      const item = await tx('incident_action_item')
        .where({ id: isUuid(itemId) ? itemId : null, incident_id: incident.id })
        .first();
      if (!item) {
        throw new NotFoundError(
          `Action item '${itemId}' not found on ${incident.ref}`,
        );
      }
      const patch: Record<string, unknown> = {};
      if (input.title !== undefined) patch.title = input.title;
      if (input.owner !== undefined) patch.owner = input.owner;
      if (input.dueDate !== undefined) patch.due_date = input.dueDate;
      if (input.horizon !== undefined) patch.horizon = input.horizon;
      if (input.done !== undefined) patch.done = input.done;
      if (input.link !== undefined) patch.link = input.link;
      if (Object.keys(patch).length) {
        await tx('incident_action_item').where({ id: item.id }).update(patch);
      }
      const updated = await tx('incident_action_item')
        .where({ id: item.id })
        .first();
      actionItem = toActionItem(updated);
      return {
        verb: 'action_item_updated',
        entry: {
          kind: 'action-item',
          message:
            input.done === true
              ? `Action item done: ${updated.title}`
              : `Action item updated: ${updated.title}`,
          data: { actionItemId: item.id },
        },
      };
    });
    return { ...result, actionItem: actionItem! };
  }

  /** Action items with their incidents, by owner, entity, done and due day. */
  async listActionItems(
    query: ActionItemQuery,
    today: string,
  ): Promise<{ items: TrackedActionItem[]; totalCount: number }> {
    const { knex } = this;
    const filtered = knex('incident_action_item as a').join(
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
      filtered.whereExists(
        knex('incident_service as s')
          .select(knex.raw('1'))
          .whereRaw('s.incident_id = a.incident_id')
          .where('s.entity_ref', query.entityRef.toLocaleLowerCase('en-US')),
      );
    }
    if (query.permissionCriteria) {
      const criteria = query.permissionCriteria;
      filtered.where(qb => whereIncidentAllowed(knex, qb, criteria));
    }
    const [{ count }] = await filtered.clone().count({ count: '*' });
    const rows = await filtered
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
      ])
      .limit(query.limit);
    return {
      items: rows.map(row => ({
        ...toActionItem(row),
        horizon: (row.horizon ?? undefined) as ActionItemHorizon | undefined,
        overdue: !row.done && !!row.due_date && row.due_date < today,
        incident: {
          id: row.incident_id,
          ref: formatIncidentRef(row.i_ref_number),
          title: row.i_title,
          status: row.i_status,
          severity: row.i_severity,
        },
      })),
      totalCount: Number(count),
    };
  }

  async overdueActionItems(options: {
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
      ref: formatIncidentRef(r.ref_number),
      incidentTitle: r.incident_title,
      title: r.title,
      owner: r.owner,
      dueDate: r.due_date,
      lastNotifiedAt: r.overdue_notified_at
        ? new Date(toIso(r.overdue_notified_at)!)
        : undefined,
    }));
  }

  async claimOverdue(item: OverdueItem, now: Date): Promise<boolean> {
    const query = this.knex('incident_action_item').where({ id: item.id });
    if (item.lastNotifiedAt) {
      query.where('overdue_notified_at', item.lastNotifiedAt);
    } else {
      query.whereNull('overdue_notified_at');
    }
    return (await query.update({ overdue_notified_at: now })) === 1;
  }

  async releaseOverdue(item: OverdueItem, now: Date): Promise<void> {
    await this.knex('incident_action_item')
      .where({ id: item.id, overdue_notified_at: now })
      .update({ overdue_notified_at: item.lastNotifiedAt ?? null });
  }

  /** Adds a record with its timeline entry (see `attach`). */
  private async attachRecord(
    idOrRef: string,
    actor: string,
    build: (incidentId: string, now: Date) => Attachment,
  ) {
    let record!: Attachment['record'];
    const { result } = await this.attach(
      idOrRef,
      actor,
      async (tx, incident, now) => {
        const attachment = build(incident.id, now);
        record = attachment.record;
        await tx(attachment.table).insert(record);
        return { verb: attachment.verb, entry: attachment.entry };
      },
    );
    return { result, record };
  }

  /**
   * Runs a change that belongs to an incident in one transaction: `write`
   * does its part and names the timeline entry; the incident's `updated_at`
   * and the entry with its audit row are written with it.
   */
  private async attach(
    idOrRef: string,
    actor: string,
    write: (
      tx: Knex.Transaction,
      incident: { id: string; ref: string },
      now: Date,
    ) =>
      | Promise<{ verb: string; entry: NewTimelineEntry; auditAction?: string }>
      | { verb: string; entry: NewTimelineEntry; auditAction?: string },
  ): Promise<{ result: IncidentChangeResult }> {
    const result = await writeTransaction(
      this.knex,
      async tx => {
        const row = await this.queries.mustFindRow(tx, idOrRef);
        const now = new Date();
        const incident = { id: row.id, ref: formatIncidentRef(row.ref_number) };
        const { verb, entry, auditAction } = await write(tx, incident, now);
        await this.queries.touch(tx, row.id, now);
        const written = await this.timeline.writeOne(
          tx,
          {
            ...entry,
            incidentId: row.id,
            actor,
            auditAction: auditAction ?? verb,
          },
          now,
        );
        return {
          incident: await this.queries.mustGet(tx, row.id),
          verb,
          entry: written,
        };
      },
      NOT_COUNTED,
    );
    return { result };
  }
}

function capitalize(text: string): string {
  const words = text.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
