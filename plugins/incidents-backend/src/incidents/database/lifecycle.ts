/*
 * Writes of the incident itself: open, edit, move, merge.
 *
 * Guarantees:
 * - Every write is one transaction with its timeline entry and audit row;
 *   nothing is half-written.
 * - Moves are compare-and-set on the current status, so of many concurrent
 *   moves of one incident exactly one wins and the others get a
 *   ConflictError.
 * - Human references (INC-<n>) are unique on both engines; an unresolved
 *   incident's dedup key is unique (a unique index on `active_dedup_key`), so
 *   concurrent opens with one key give one incident.
 */
import { ConflictError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { isPostgres } from '../../lib/database';
import { openIncidentStatement } from '../../lib/postgresFastPaths';
import { isUniqueViolation } from '../../lib/rows';
import {
  DatabaseTimelineStore,
  timelineRows,
  toTimelineEntry,
} from '../DatabaseTimelineStore';
import {
  IncidentChangeResult,
  IncidentMove,
  OpenIncidentInput,
  UpdateIncidentInput,
} from '../IncidentStore';
import { formatIncidentRef } from '../refs';
import { countChange, writeTransaction } from './changes';
import { describeEdit } from './edits';
import { IncidentQueries } from './queries';
import {
  IncidentRow,
  normalizedRefs,
  STATE_TIMESTAMPS,
  toIncident,
} from './rows';

/** Opens, edits, moves and merges incidents. */
export class IncidentLifecycleWriter {
  constructor(
    private readonly knex: Knex,
    private readonly queries: IncidentQueries,
    private readonly timeline: DatabaseTimelineStore,
  ) {}

  async open(
    input: OpenIncidentInput,
    actor: string,
  ): Promise<{ created: boolean } & IncidentChangeResult> {
    if (input.dedupKey) {
      const existing = await this.findActiveByDedupKey(input.dedupKey);
      if (existing) {
        return existing;
      }
    }
    const services = normalizedRefs(input.affectedServices);
    const owners = normalizedRefs(input.ownerGroups);
    const now = new Date();
    const row = newIncidentRow(input, actor, services, owners, now);
    // Only the columns that have a value; the rest default to null.
    const values = Object.fromEntries(
      Object.entries(row).filter(
        ([column, value]) => value !== null && column !== 'ref_number',
      ),
    );
    const serviceRows = services.map(entity_ref => ({
      incident_id: row.id,
      entity_ref,
      opened_at: now,
    }));
    const ownerRows = owners.map(group_ref => ({
      incident_id: row.id,
      group_ref,
    }));
    const { timeline, audit } = timelineRows(
      {
        incidentId: row.id,
        actor,
        kind: 'opened',
        message: `Opened as ${input.severity}: ${input.title}`,
        data: { severity: input.severity },
        auditAction: 'opened',
      },
      now,
    );
    try {
      const entryId = await this.insert(row, {
        incident: values,
        services: serviceRows,
        owners: ownerRows,
        timeline,
        audit,
      });
      // What was written is what a re-read would return.
      return {
        created: true,
        incident: toIncident(row),
        verb: 'opened',
        entry: toTimelineEntry({ ...timeline, id: entryId as string }),
      };
    } catch (error) {
      // Another request opened the same dedup key first: answer with its
      // incident, as if we had found it above.
      if (input.dedupKey && isUniqueViolation(error)) {
        const existing = await this.findActiveByDedupKey(input.dedupKey);
        if (existing) {
          return existing;
        }
      }
      throw error;
    }
  }

  /**
   * Writes a new incident with its reference, services, owners, timeline
   * entry and audit row; returns the entry's id. PostgreSQL: one statement;
   * SQLite: one transaction, writers serialised, so the counter row's
   * increment is race free.
   */
  private async insert(
    row: IncidentRow,
    rows: {
      incident: Record<string, unknown>;
      services: Record<string, unknown>[];
      owners: Record<string, unknown>[];
      timeline: Record<string, unknown>;
      audit: Record<string, unknown>;
    },
  ): Promise<unknown> {
    if (isPostgres(this.knex)) {
      const written = await openIncidentStatement(this.knex, {
        ...rows,
        countChange: countChange(this.knex),
      });
      row.ref_number = written.refNumber;
      return written.entryId;
    }
    return writeTransaction(this.knex, async tx => {
      const [counter] = await tx('incident_ref_counter')
        .where({ name: 'incident' })
        .increment('value', 1)
        .returning('value');
      row.ref_number = Number(counter.value);
      await tx('incident').insert({
        ...rows.incident,
        ref_number: row.ref_number,
      });
      if (rows.services.length) {
        await tx('incident_service').insert(rows.services);
      }
      if (rows.owners.length) {
        await tx('incident_owner').insert(rows.owners);
      }
      const [inserted] = await tx('incident_timeline').insert(rows.timeline, [
        'id',
      ]);
      await tx('incident_audit').insert(rows.audit);
      return typeof inserted === 'object' ? inserted.id : inserted;
    });
  }

  async update(
    id: string,
    input: UpdateIncidentInput,
    actor: string,
  ): Promise<IncidentChangeResult> {
    return writeTransaction(this.knex, async tx => {
      const row = await this.queries.mustFindRow(tx, id, true);
      const now = new Date();
      const diff = describeEdit(row, input, now);
      const patch = diff.patch;
      if (input.affectedServices) {
        const before = JSON.parse(row.service_refs ?? '[]') as string[];
        const services = await replaceRefs(
          tx,
          row.id,
          'incident_service',
          'entity_ref',
          input.affectedServices,
          { opened_at: row.opened_at },
        );
        const owners = await replaceRefs(
          tx,
          row.id,
          'incident_owner',
          'group_ref',
          input.ownerGroups ?? [],
        );
        patch.service_refs = JSON.stringify(services);
        patch.owner_refs = JSON.stringify(owners);
        diff.addList('affectedServices', 'affected services', before, services);
      }
      if (input.roles?.responders) {
        const before = JSON.parse(row.responder_refs ?? '[]') as string[];
        const responders = await replaceRefs(
          tx,
          row.id,
          'incident_responder',
          'user_ref',
          input.roles.responders,
          {},
          false,
        );
        patch.responder_refs = JSON.stringify(responders);
        diff.addList('roles.responders', 'responders', before, responders);
      }
      await tx('incident').where({ id: row.id }).update(patch);
      const entry = await this.timeline.writeOne(
        tx,
        {
          incidentId: row.id,
          actor,
          kind: 'edit',
          message: diff.message(),
          data: diff.data(),
          auditAction: 'updated',
        },
        now,
      );
      return {
        incident: await this.queries.mustGet(tx, row.id),
        verb: 'updated',
        entry,
      };
    });
  }

  async move(move: IncidentMove): Promise<IncidentChangeResult> {
    const { id, from, to, actor, sets } = move;
    return writeTransaction(this.knex, async tx => {
      const row = await this.queries.mustFindRow(tx, id);
      const now = new Date();
      const patch: Record<string, unknown> = { status: to, updated_at: now };
      const stamp = STATE_TIMESTAMPS[to];
      if (stamp) {
        patch[stamp] = now;
      }
      if (sets.acknowledgedAt) {
        patch.acknowledged_at = now;
        patch.acknowledged_via = sets.acknowledgedVia ?? 'api';
      }
      if (sets.responder) {
        patch.responder = sets.responder;
      }
      if (sets.clearDedupKey) {
        patch.active_dedup_key = null;
      }
      // Compare-and-set: only the request that still sees `from` wins.
      const updated = await tx('incident')
        .where({ id: row.id, status: from })
        .update(patch);
      if (updated !== 1) {
        const current = await this.queries.mustFindRow(tx, row.id);
        throw new ConflictError(
          `${formatIncidentRef(row.ref_number)} was moved to '${
            current.status
          }' by someone else in the meantime`,
        );
      }
      await move.within?.(tx);
      const entry = await this.timeline.writeOne(
        tx,
        { ...move.entry, incidentId: row.id, actor, auditAction: move.verb },
        now,
      );
      return {
        incident: await this.queries.mustGet(tx, row.id),
        verb: move.verb,
        entry,
      };
    });
  }

  async merge(
    childId: string,
    parentId: string,
    actor: string,
  ): Promise<IncidentChangeResult> {
    return writeTransaction(this.knex, async tx => {
      // Both rows locked at once, in ascending id order (see lockInOrder),
      // then read as locked.
      await this.queries.lockInOrder(tx, [
        (await this.queries.mustFindRow(tx, childId)).id,
        (await this.queries.mustFindRow(tx, parentId)).id,
      ]);
      const child = await this.queries.mustFindRow(tx, childId);
      const parent = await this.queries.mustFindRow(tx, parentId);
      assertMergeable(child, parent);
      const now = new Date();
      await tx('incident')
        .where({ id: child.id })
        .update({ parent_id: parent.id, updated_at: now });
      await tx('incident')
        .where({ id: parent.id })
        .update({ child_count: tx.raw('child_count + 1'), updated_at: now });
      await this.timeline.writeOne(
        tx,
        {
          incidentId: parent.id,
          actor,
          kind: 'child',
          message: `${formatIncidentRef(child.ref_number)} merged in: ${
            child.title
          }`,
          data: { childId: child.id },
          auditAction: 'child_added',
        },
        now,
      );
      const entry = await this.timeline.writeOne(
        tx,
        {
          incidentId: child.id,
          actor,
          kind: 'merge',
          message: `Merged into ${formatIncidentRef(parent.ref_number)}: ${
            parent.title
          }`,
          data: { parentId: parent.id },
          auditAction: 'merged',
        },
        now,
      );
      return {
        incident: await this.queries.mustGet(tx, child.id),
        verb: 'merged',
        entry,
      };
    });
  }

  private async findActiveByDedupKey(dedupKey: string) {
    const row: IncidentRow | undefined = await this.knex<IncidentRow>(
      'incident',
    )
      .where({ active_dedup_key: dedupKey })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      created: false,
      incident: toIncident(row),
      verb: 'deduplicated',
      entry: (await this.timeline.latest(row.id))!,
    };
  }
}

function newIncidentRow(
  input: OpenIncidentInput,
  actor: string,
  services: string[],
  owners: string[],
  now: Date,
): IncidentRow {
  return {
    id: randomUUID(),
    ref_number: 0,
    title: input.title,
    description: input.description ?? null,
    severity: input.severity,
    status: 'open',
    commander: input.commander ?? null,
    comms_owner: null,
    technical_lead: null,
    responder: null,
    environments: JSON.stringify(input.environments),
    impact_users: null,
    impact_business: null,
    root_cause_hypothesis: null,
    root_cause_confirmed: null,
    root_cause_trigger: null,
    change_url: input.change?.url ?? null,
    change_title: input.change?.title ?? null,
    change_source: input.change?.source ?? null,
    dedup_key: input.dedupKey ?? null,
    active_dedup_key: input.dedupKey ?? null,
    parent_id: null,
    child_count: 0,
    opened_by: actor,
    opened_at: now,
    acknowledged_at: null,
    acknowledged_via: null,
    identified_at: null,
    mitigated_at: null,
    resolved_at: null,
    cancelled_at: null,
    postmortem_at: null,
    updated_at: now,
    exclude_from_metrics: false,
    service_refs: JSON.stringify(services),
    owner_refs: JSON.stringify(owners),
    responder_refs: '[]',
  };
}

/**
 * Replaces an incident's rows of a ref table (services, owners,
 * responders); returns the refs (sorted; lower case unless `lower` is off).
 */
async function replaceRefs(
  tx: Knex.Transaction,
  incidentId: string,
  table: string,
  column: string,
  refs: string[],
  extra: Record<string, unknown> = {},
  lower = true,
): Promise<string[]> {
  await tx(table).where({ incident_id: incidentId }).delete();
  const values = lower ? normalizedRefs(refs) : [...new Set(refs)].sort();
  if (values.length) {
    await tx(table).insert(
      values.map(ref => ({ incident_id: incidentId, [column]: ref, ...extra })),
    );
  }
  return values;
}

function assertMergeable(child: IncidentRow, parent: IncidentRow) {
  if (child.id === parent.id) {
    throw new ConflictError('An incident cannot be merged into itself');
  }
  if (child.parent_id) {
    throw new ConflictError(
      `${formatIncidentRef(
        child.ref_number,
      )} is already merged into another incident`,
    );
  }
  if (parent.parent_id) {
    throw new ConflictError(
      `${formatIncidentRef(
        parent.ref_number,
      )} is itself merged into another incident; merge into that one instead`,
    );
  }
  if (child.child_count > 0) {
    throw new ConflictError(
      `${formatIncidentRef(
        child.ref_number,
      )} has children of its own and cannot become a child`,
    );
  }
}
