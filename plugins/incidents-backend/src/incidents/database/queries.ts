/*
 * Reads of incidents: the list (filtered, sorted, cursor-paged, with an exact
 * count reused while nothing changed), one incident with its detail records,
 * and what other domains read (summaries, id subqueries, locks).
 */
import { NotFoundError } from '@backstage/errors';
import {
  Incident,
  IncidentDetail,
  IncidentList,
  IncidentStatus,
  Severity,
} from '@vigil/plugin-incidents-common';
import { Knex } from 'knex';
import { whereIncidentAllowed } from '../../authorization/sqlFilter';
import { isPostgres } from '../../lib/database';
import { selectPrepared } from '../../lib/prepared';
import {
  IncidentSelection,
  IncidentSummary,
  ListIncidentsQuery,
} from '../IncidentStore';
import { formatIncidentRef, parseIncidentRef, whereIdOrRef } from '../refs';
import { StampedCache } from '../../lib/StampedCache';
import { CHANGE_STAMP_SQL } from './changes';
import { DATE_SORT_COLUMNS, decodeCursor, encodeCursor } from './cursor';
import {
  ACTION_ITEM_COLUMNS,
  EVIDENCE_COLUMNS,
  INCIDENT_COLUMNS,
  IncidentRow,
  parseAggregate,
  STATUS_UPDATE_COLUMNS,
  toActionItem,
  toEvidence,
  toIncident,
  toStatusUpdate,
} from './rows';

const SORT_COLUMNS = {
  openedAt: 'opened_at',
  updatedAt: 'updated_at',
  severity: 'severity',
  status: 'status',
  title: 'title',
} as const;

/**
 * Page sizes written into a list statement's text rather than bound.
 * PostgreSQL plans a prepared statement with a bound LIMIT for an unknown
 * number of rows, finds that generic plan far dearer than a plan for the
 * actual limit and so plans the statement again on every execution (seen in
 * `pg_prepared_statements`: 0 generic, all custom plans); with the limit in
 * the text it keeps one generic plan, and SQLite runs it faster too. Only the
 * sizes the UI and the API default use, so the number of distinct statements
 * prepared per connection stays small; other sizes are bound.
 */
const INLINED_PAGE_SIZES = new Set([3, 5, 10, 20, 25, 50, 100]);

/** Reads of the incident tables. */
export class IncidentQueries {
  private readonly postgres: boolean;
  private readonly counts: StampedCache;

  constructor(private readonly knex: Knex) {
    this.postgres = isPostgres(knex);
    this.counts = StampedCache.of(knex);
  }

  async list(query: ListIncidentsQuery): Promise<IncidentList> {
    const limit = query.limit ?? 50;
    const sortColumn = SORT_COLUMNS[query.sort ?? 'openedAt'];
    const order = query.order ?? 'desc';
    const entityRef = query.entityRef?.toLocaleLowerCase('en-US');
    // An entity's incidents newest first are read from incident_service and
    // its (entity_ref, opened_at, incident_id) index, where opened_at is a
    // copy of the incident's; (incident_id, entity_ref) is its primary key,
    // so each incident appears once.
    const viaService = entityRef !== undefined && sortColumn === 'opened_at';
    const filtered = this.filteredList(query, entityRef, viaService);

    const sortRef = viaService ? 's.opened_at' : `i.${sortColumn}`;
    const idRef = viaService ? 's.incident_id' : 'i.id';
    // Incidents of one severity are ordered by age, for triage: the oldest
    // SEV1 first, not one picked by its random id.
    const byAge = sortColumn === 'severity';
    const page = filtered.clone();
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, sortColumn);
      const value = DATE_SORT_COLUMNS.has(sortColumn)
        ? new Date(cursor.v)
        : cursor.v;
      // A row-value comparison is an index range on both engines, where
      // `a < ? OR (a = ? AND id < ?)` is a filter over the rows.
      const op = order === 'desc' ? '<' : '>';
      if (byAge) {
        page.whereRaw(`(${sortRef}, i.opened_at, ${idRef}) ${op} (?, ?, ?)`, [
          value,
          new Date(cursor.t ?? 0),
          cursor.id,
        ]);
      } else {
        page.whereRaw(`(${sortRef}, ${idRef}) ${op} (?, ?)`, [
          value,
          cursor.id,
        ]);
      }
    }
    page
      .orderBy([
        { column: sortRef, order },
        ...(byAge ? [{ column: 'i.opened_at', order }] : []),
        { column: idRef, order },
      ])
      .limit(limit + 1, { skipBinding: INLINED_PAGE_SIZES.has(limit) });
    // One statement: the page (services, owners and responders included as
    // the rows' JSON copies) and the change stamp for the count cache.
    const rows = await selectPrepared<IncidentRow & { count_stamp: unknown }>(
      this.knex,
      page.select(
        ...INCIDENT_COLUMNS,
        this.knex.raw(`${CHANGE_STAMP_SQL} as count_stamp`),
      ),
    );
    const hasMore = rows.length > limit;
    const pageRows = rows.slice(0, limit);
    const last = pageRows[pageRows.length - 1];
    const totalCount = await this.countMatching(
      query,
      filtered,
      entityRef,
      rows.length ? String(rows[0].count_stamp) : undefined,
    );
    return {
      items: pageRows.map(toIncident),
      totalCount,
      nextCursor:
        hasMore && last
          ? encodeCursor(
              sortColumn,
              last[sortColumn as keyof IncidentRow],
              last.id,
              byAge ? last.opened_at : undefined,
            )
          : undefined,
    };
  }

  private filteredList(
    query: ListIncidentsQuery,
    entityRef: string | undefined,
    viaService: boolean,
  ): Knex.QueryBuilder {
    const { knex } = this;
    const filtered: Knex.QueryBuilder = viaService
      ? knex('incident_service as s')
          .join('incident as i', 'i.id', 's.incident_id')
          .where('s.entity_ref', entityRef)
      : knex('incident as i');
    if (query.status?.length) {
      filtered.whereIn('i.status', query.status);
    }
    if (query.severity?.length) {
      filtered.whereIn('i.severity', query.severity);
    }
    if (entityRef && !viaService) {
      filtered.whereExists(this.affecting([entityRef]));
    }
    if (query.owner?.length) {
      filtered.whereExists(
        knex('incident_owner as o')
          .select(knex.raw('1'))
          .whereRaw('o.incident_id = i.id')
          .whereIn(
            'o.group_ref',
            query.owner.map(o => o.toLocaleLowerCase('en-US')),
          ),
      );
    }
    if (query.participant) {
      this.applyParticipant(filtered, query.participant);
    }
    if (query.q?.trim()) {
      this.applyTextSearch(filtered, query.q.trim());
    }
    if (query.permissionCriteria) {
      filtered.where(qb =>
        whereIncidentAllowed(knex, qb, query.permissionCriteria!),
      );
    }
    return filtered;
  }

  /**
   * The number of incidents matching a list query's filters.
   *
   * Counting is the most expensive part of a list (a `count(*)` over every
   * match, where a page reads 51 rows), and the number only changes when the
   * data does. So each count is kept with the change stamp of the database
   * state it counted, and reused while the page read in `pageStamp` saw the
   * same state (see `changes.ts` for why this is exact).
   */
  private async countMatching(
    query: ListIncidentsQuery,
    filtered: Knex.QueryBuilder,
    entityRef: string | undefined,
    pageStamp: string | undefined,
  ): Promise<number> {
    const key = JSON.stringify([
      [...(query.status ?? [])].sort(),
      [...(query.severity ?? [])].sort(),
      entityRef ?? null,
      (query.owner ?? []).map(o => o.toLocaleLowerCase('en-US')).sort(),
      query.participant ?? null,
      query.q?.trim() ?? '',
      query.permissionCriteria ?? null,
    ]);
    const cached = this.counts.get(key, pageStamp);
    if (cached !== undefined) {
      return cached;
    }
    // With the entity as the only filter, its incidents are counted from the
    // service index alone, without touching the incidents.
    const onlyEntity =
      entityRef !== undefined &&
      !query.status?.length &&
      !query.severity?.length &&
      !query.owner?.length &&
      !query.participant &&
      !query.q?.trim() &&
      !query.permissionCriteria;
    const countQuery: Knex.QueryBuilder = onlyEntity
      ? this.knex('incident_service').where('entity_ref', entityRef)
      : filtered.clone().clearOrder();
    const [row] = await countQuery.select(
      this.knex.raw('count(*) as count'),
      this.knex.raw(`${CHANGE_STAMP_SQL} as count_stamp`),
    );
    const count = Number(row.count);
    this.counts.set(key, String(row.count_stamp), count);
    return count;
  }

  async get(idOrRef: string): Promise<Incident | undefined> {
    const row = await this.findRow(this.knex, idOrRef);
    return row ? toIncident(row) : undefined;
  }

  async getDetail(idOrRef: string): Promise<IncidentDetail | undefined> {
    const where = whereIdOrRef(idOrRef);
    if (!where) {
      return undefined;
    }
    const records = this.aggregate;
    type DetailRow = IncidentRow & {
      agg_action_items: unknown[] | string | null;
      agg_status_updates: unknown[] | string | null;
      agg_evidence: unknown[] | string | null;
      agg_children: unknown[] | string | null;
    };
    const byCreation = 'r.created_at, r.id';
    const [row] = await selectPrepared<DetailRow>(
      this.knex,
      this.knex('incident as i')
        .select(
          ...INCIDENT_COLUMNS,
          records(
            'incident_action_item',
            ACTION_ITEM_COLUMNS,
            byCreation,
            'agg_action_items',
          ),
          records(
            'incident_status_update',
            STATUS_UPDATE_COLUMNS,
            byCreation,
            'agg_status_updates',
          ),
          records(
            'incident_evidence',
            EVIDENCE_COLUMNS,
            byCreation,
            'agg_evidence',
          ),
          records(
            'incident',
            ['id', 'ref_number', 'title', 'status', 'severity'],
            'r.opened_at desc',
            'agg_children',
            'r.parent_id = i.id',
          ),
        )
        .where(where)
        .limit(1),
    );
    if (!row) {
      return undefined;
    }
    return {
      ...toIncident(row),
      actionItems: parseAggregate(row.agg_action_items).map(toActionItem),
      statusUpdates: parseAggregate(row.agg_status_updates).map(toStatusUpdate),
      evidence: parseAggregate(row.agg_evidence).map(toEvidence),
      children: parseAggregate(row.agg_children).map(c => ({
        id: c.id,
        ref: formatIncidentRef(c.ref_number),
        title: c.title,
        status: c.status as IncidentStatus,
        severity: c.severity as Severity,
      })),
    };
  }

  /**
   * A sub-select of `table`'s rows belonging to incident `i`, as one JSON
   * array (PostgreSQL `json_agg`, SQLite `json_group_array`), so the detail
   * view is one statement.
   */
  private readonly aggregate = (
    table: string,
    columns: string[],
    orderBy: string,
    column: string,
    belongs = 'r.incident_id = i.id',
  ) => {
    const jsonAgg = this.postgres ? 'json_agg' : 'json_group_array';
    const jsonObject = this.postgres ? 'json_build_object' : 'json_object';
    const fields = columns.map(c => `'${c}', r.${c}`).join(', ');
    return this.knex.raw(
      `(select ${jsonAgg}(${jsonObject}(${fields}) order by ${orderBy}) from ${table} r where ${belongs}) as ${column}`,
    );
  };

  async summaries(
    ids: string[],
    db: Knex | Knex.Transaction = this.knex,
  ): Promise<Map<string, IncidentSummary>> {
    const result = new Map<string, IncidentSummary>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows: IncidentRow[] = await db('incident as i')
        .whereIn('i.id', ids.slice(i, i + 500))
        .select(INCIDENT_COLUMNS);
      for (const row of rows) {
        result.set(row.id, toSummary(row));
      }
    }
    return result;
  }

  async lockForRead(
    tx: Knex.Transaction,
    ids: string[],
  ): Promise<Map<string, IncidentSummary>> {
    // Ascending id order, as every lock of several incident rows (see
    // lockInOrder): PostgreSQL locks rows in the order it returns them.
    const query = tx('incident as i')
      .whereIn('i.id', ids)
      .orderBy('i.id')
      .select(INCIDENT_COLUMNS);
    if (this.postgres) {
      query.forShare();
    }
    const rows: IncidentRow[] = await query;
    return new Map(rows.map(row => [row.id, toSummary(row)]));
  }

  selectIds(
    selection: IncidentSelection,
    options: { withTimes?: boolean } = {},
  ): Knex.QueryBuilder {
    const { knex } = this;
    const query = knex('incident as i').select(
      'i.id',
      ...(options.withTimes ? ['i.opened_at', 'i.resolved_at'] : []),
    );
    if (selection.affecting?.length) {
      query.whereExists(this.affecting(selection.affecting));
    }
    if (selection.severities) {
      query.whereIn('i.severity', selection.severities);
    }
    if (selection.statuses) {
      query.whereIn('i.status', selection.statuses);
    }
    if (selection.openedSince) {
      query.where('i.opened_at', '>=', selection.openedSince);
    }
    if (selection.openedBefore) {
      query.where('i.opened_at', '<', selection.openedBefore);
    }
    if (selection.resolvedBefore) {
      query
        .whereNotNull('i.resolved_at')
        .where('i.resolved_at', '<=', selection.resolvedBefore);
    }
    if (selection.topLevel) {
      query.whereNull('i.parent_id');
    }
    if (selection.childrenOf) {
      query.where('i.parent_id', selection.childrenOf);
    }
    if (selection.ownedBy?.length) {
      const groups = selection.ownedBy.map(g => g.toLocaleLowerCase('en-US'));
      query.whereExists(
        knex('incident_owner as o')
          .select(knex.raw('1'))
          .whereRaw('o.incident_id = i.id')
          .whereIn('o.group_ref', groups),
      );
    }
    if (selection.forMetrics) {
      query
        .whereNot('i.status', 'cancelled')
        .whereNull('i.parent_id')
        .where('i.exclude_from_metrics', false);
    }
    if (selection.excludeId) {
      query.whereNot('i.id', selection.excludeId);
    }
    if (selection.permissionCriteria) {
      const criteria = selection.permissionCriteria;
      query.where(qb => whereIncidentAllowed(knex, qb, criteria));
    }
    return query;
  }

  selectForMetrics(
    selection: IncidentSelection,
    options: { byEntity?: boolean } = {},
  ): Knex.QueryBuilder {
    const query = this.selectIds(selection).select(
      'i.severity',
      'i.opened_at',
      'i.acknowledged_at',
      'i.mitigated_at',
      'i.resolved_at',
      'i.change_url',
    );
    if (options.byEntity) {
      query
        .join('incident_service as ms', 'ms.incident_id', 'i.id')
        .select('ms.entity_ref');
    }
    return query;
  }

  async touch(tx: Knex.Transaction, id: string, now: Date): Promise<void> {
    await tx('incident').where({ id }).update({ updated_at: now });
  }

  async findRow(
    db: Knex | Knex.Transaction,
    idOrRef: string,
    forUpdate = false,
  ): Promise<IncidentRow | undefined> {
    const where = whereIdOrRef(idOrRef);
    if (!where) {
      return undefined;
    }
    const query = db<IncidentRow>('incident').where(where);
    // Row lock on PostgreSQL so concurrent edits of one incident queue up;
    // SQLite has no row locks and serialises writers instead.
    if (forUpdate && this.postgres) {
      query.forUpdate();
    }
    return query.first();
  }

  /**
   * Locks incident rows FOR UPDATE in ascending id order (PostgreSQL; SQLite
   * serialises writers). Every transaction that locks more than one
   * incident row takes them in this one order (a merge here, an escalation
   * firing in lockForRead), so two of them never wait for each other in a
   * cycle: the deadlock a merge and an escalation on the same parent/child
   * pair used to hit.
   */
  async lockInOrder(tx: Knex.Transaction, ids: string[]): Promise<void> {
    if (this.postgres && ids.length) {
      await tx('incident')
        .whereIn('id', [...new Set(ids)])
        .orderBy('id')
        .forUpdate()
        .select('id');
    }
  }

  async mustFindRow(
    db: Knex | Knex.Transaction,
    idOrRef: string,
    forUpdate = false,
  ): Promise<IncidentRow> {
    const row = await this.findRow(db, idOrRef, forUpdate);
    if (!row) {
      throw new NotFoundError(`Incident '${idOrRef}' not found`);
    }
    return row;
  }

  /** The incident as written so far in `db` (a transaction). */
  async mustGet(db: Knex | Knex.Transaction, id: string): Promise<Incident> {
    return toIncident(await this.mustFindRow(db, id));
  }

  /** A subquery: the incident `i` affects one of the entities. */
  private affecting(entityRefs: string[]) {
    return this.knex('incident_service as s')
      .select(this.knex.raw('1'))
      .whereRaw('s.incident_id = i.id')
      .whereIn(
        's.entity_ref',
        entityRefs.map(r => r.toLocaleLowerCase('en-US')),
      );
  }

  /** Incidents the user works in any role; refs are stored as written. */
  private applyParticipant(query: Knex.QueryBuilder, userRef: string) {
    const { knex } = this;
    query.where(qb =>
      qb
        .where('i.commander', userRef)
        .orWhere('i.comms_owner', userRef)
        .orWhere('i.technical_lead', userRef)
        .orWhere('i.responder', userRef)
        .orWhereExists(
          knex('incident_responder as pr')
            .select(knex.raw('1'))
            .whereRaw('pr.incident_id = i.id')
            .where('pr.user_ref', userRef),
        ),
    );
  }

  private applyTextSearch(query: Knex.QueryBuilder, text: string) {
    const refNumber = parseIncidentRef(text);
    const pattern = `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
    // PostgreSQL's LIKE is case-sensitive, so it gets ILIKE; SQLite's LIKE is
    // already case-insensitive for ASCII.
    const like = this.postgres ? 'ILIKE' : 'LIKE';
    query.where(qb => {
      qb.whereRaw(`i.title ${like} ? ESCAPE '\\'`, [pattern]).orWhereRaw(
        `i.description ${like} ? ESCAPE '\\'`,
        [pattern],
      );
      if (refNumber !== undefined) {
        qb.orWhere('i.ref_number', refNumber);
      }
    });
  }
}

function toSummary(row: IncidentRow): IncidentSummary {
  const incident = toIncident(row);
  return {
    id: incident.id,
    ref: incident.ref,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    commander: incident.commander,
    responder: incident.responder,
    affectedServices: incident.affectedServices,
    ownerGroups: incident.ownerGroups,
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    parentId: incident.parentId,
  };
}
