/*
 * The incident store.
 *
 * Guarantees:
 * - Every write is one transaction with its timeline entry and audit row;
 *   nothing is half-written.
 * - Status moves are compare-and-set on the current status, so of many
 *   concurrent moves of one incident exactly one wins and the others get a
 *   ConflictError.
 * - Human references (INC-<n>) are unique on both engines; an unresolved
 *   incident's dedup key is unique (a unique index on `active_dedup_key`), so
 *   concurrent opens with one key give one incident.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ActionItem,
  ActionItemHorizon,
  describeIllegalMove,
  EvidenceLink,
  Incident,
  IncidentDetail,
  IncidentList,
  IncidentStatus,
  isActiveStatus,
  isMoveAllowed,
  Severity,
  STATUS_VERBS,
  StatusUpdate,
  TimelineEntry,
  TimelineEntryKind,
} from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { selectPrepared } from '../database/prepared';
import { whereIncidentAllowed } from './permissionFilter';
import { applyDatabaseMigrations } from '../database/migrations';
import { isUniqueViolation, timelineRecords, toIso } from '../database/rows';
import {
  IncidentChangeResult,
  IncidentStore,
  ListIncidentsQuery,
  NewTimelineEntry,
  OpenIncidentInput,
  UpdateIncidentInput,
} from './types';

type IncidentRow = {
  id: string;
  ref_number: number | string;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  commander: string | null;
  comms_owner: string | null;
  technical_lead: string | null;
  responder: string | null;
  environments: string;
  impact_users: number | null;
  impact_business: string | null;
  root_cause_hypothesis: string | null;
  root_cause_confirmed: string | null;
  root_cause_trigger: string | null;
  change_url: string | null;
  change_title: string | null;
  change_source: string | null;
  dedup_key: string | null;
  active_dedup_key: string | null;
  parent_id: string | null;
  child_count: number;
  opened_by: string;
  opened_at: Date | string | number;
  acknowledged_at: Date | string | number | null;
  identified_at: Date | string | number | null;
  mitigated_at: Date | string | number | null;
  resolved_at: Date | string | number | null;
  cancelled_at: Date | string | number | null;
  postmortem_at: Date | string | number | null;
  updated_at: Date | string | number;
  /**
   * JSON arrays copying incident_service, incident_owner and
   * incident_responder (which filters use), written with them so that reads
   * need no other table; null in rows written without them, whose reads fall
   * back to the tables (see `withRefs`).
   */
  service_refs: string | null;
  owner_refs: string | null;
  responder_refs: string | null;
};

/**
 * The columns the reads select, by name: a prepared statement (see
 * `selectPrepared`) selecting `i.*` would fail on PostgreSQL once a newer
 * replica's migration adds a column ("cached plan must not change result
 * type"); a fixed list keeps working. Typed, so a column added to
 * `IncidentRow` must be added here.
 */
const INCIDENT_COLUMNS = Object.keys({
  id: true,
  ref_number: true,
  title: true,
  description: true,
  severity: true,
  status: true,
  commander: true,
  comms_owner: true,
  technical_lead: true,
  responder: true,
  environments: true,
  impact_users: true,
  impact_business: true,
  root_cause_hypothesis: true,
  root_cause_confirmed: true,
  root_cause_trigger: true,
  change_url: true,
  change_title: true,
  change_source: true,
  dedup_key: true,
  active_dedup_key: true,
  parent_id: true,
  child_count: true,
  opened_by: true,
  opened_at: true,
  acknowledged_at: true,
  identified_at: true,
  mitigated_at: true,
  resolved_at: true,
  cancelled_at: true,
  postmortem_at: true,
  updated_at: true,
} satisfies Record<Exclude<keyof IncidentRow, RefColumn>, true>);

type RefColumn = 'service_refs' | 'owner_refs' | 'responder_refs';
const REF_COLUMNS: RefColumn[] = [
  'service_refs',
  'owner_refs',
  'responder_refs',
];

/** With the records of the detail view: JSON arrays of objects, or null. */
type IncidentDetailRow = IncidentRow & {
  agg_action_items: unknown[] | string | null;
  agg_status_updates: unknown[] | string | null;
  agg_evidence: unknown[] | string | null;
  agg_children: unknown[] | string | null;
};

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

/** The timestamp column each state sets when entered. */
const STATE_TIMESTAMPS: Partial<Record<IncidentStatus, keyof IncidentRow>> = {
  investigating: 'acknowledged_at',
  mitigated: 'mitigated_at',
  resolved: 'resolved_at',
  cancelled: 'cancelled_at',
  postmortem: 'postmortem_at',
};

const SORT_COLUMNS = {
  openedAt: 'opened_at',
  updatedAt: 'updated_at',
  severity: 'severity',
  status: 'status',
  title: 'title',
} as const;

const DATE_SORT_COLUMNS = new Set(['opened_at', 'updated_at']);

const REF_PATTERN = /^INC-(\d{1,15})$/i;
const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The columns toActionItem, toStatusUpdate and toEvidence read: the detail
// view aggregates exactly these into JSON objects (SQLite has no row-to-JSON),
// so a column a mapper starts to read must be added here too.
const ACTION_ITEM_COLUMNS = [
  'id',
  'incident_id',
  'title',
  'owner',
  'due_date',
  'horizon',
  'done',
  'link',
  'created_at',
];
const STATUS_UPDATE_COLUMNS = [
  'id',
  'incident_id',
  'visibility',
  'message',
  'author',
  'created_at',
];
const EVIDENCE_COLUMNS = [
  'id',
  'incident_id',
  'url',
  'title',
  'added_by',
  'created_at',
];

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

/** How many list counts are kept (per filter combination, LRU). */
const COUNT_CACHE_SIZE = 500;

/** The rows of `incident_change` (see its migration). */
const CHANGE_SHARDS = 16;

/** For writes that cannot change what a list counts (see `transaction`). */
const NOT_COUNTED = { changesCounts: false };

/** Counts of list queries with the change stamp they were taken at. */
type CountCache = Map<string, { stamp: string; count: number }>;

const countCaches = new WeakMap<Knex, CountCache>();

/** Incidents in Backstage's database through Knex. */
export class DatabaseIncidentStore implements IncidentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseIncidentStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    if (knex.client.config.client === 'better-sqlite3') {
      // better-sqlite3 commits on the event loop; with a write-ahead log a
      // commit costs a quarter of the default rollback journal's. (An
      // in-memory database keeps its own mode.)
      await knex.raw('PRAGMA journal_mode = WAL');
    }
    // A database migrated by the first version of 20261122050000_incident_perf
    // (development databases of this branch) lacks the JSON copies: read the
    // tables and do not write them there.
    const refColumns = await knex.schema.hasColumn('incident', 'service_refs');
    return new DatabaseIncidentStore(knex, refColumns);
  }

  private readonly isPostgres: boolean;
  /** `i.<column>` for every column the reads map (see INCIDENT_COLUMNS). */
  private readonly selectColumns: string[];
  /** Shared by every store on this Knex instance (replicas in tests). */
  private readonly counts: CountCache;

  private constructor(
    private readonly knex: Knex,
    private readonly refColumns: boolean,
  ) {
    this.isPostgres = knex.client.config.client === 'pg';
    this.selectColumns = [
      ...INCIDENT_COLUMNS,
      ...(refColumns ? REF_COLUMNS : []),
    ].map(c => `i.${c}`);
    let counts = countCaches.get(knex);
    if (!counts) {
      counts = new Map();
      countCaches.set(knex, counts);
    }
    this.counts = counts;
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
    const filtered: Knex.QueryBuilder = viaService
      ? this.knex('incident_service as s')
          .join('incident as i', 'i.id', 's.incident_id')
          .where('s.entity_ref', entityRef)
      : this.knex<IncidentRow>('incident as i');
    if (query.status?.length) {
      filtered.whereIn('i.status', query.status);
    }
    if (query.severity?.length) {
      filtered.whereIn('i.severity', query.severity);
    }
    if (entityRef && !viaService) {
      filtered.whereExists(
        this.knex('incident_service as s')
          .select(this.knex.raw('1'))
          .whereRaw('s.incident_id = i.id')
          .where('s.entity_ref', entityRef),
      );
    }
    if (query.owner?.length) {
      filtered.whereExists(
        this.knex('incident_owner as o')
          .select(this.knex.raw('1'))
          .whereRaw('o.incident_id = i.id')
          .whereIn(
            'o.group_ref',
            query.owner.map(o => o.toLocaleLowerCase('en-US')),
          ),
      );
    }
    if (query.q?.trim()) {
      this.applyTextSearch(filtered, query.q.trim());
    }
    if (query.permissionCriteria) {
      filtered.where(qb =>
        whereIncidentAllowed(this.knex, qb, query.permissionCriteria!),
      );
    }

    const sortRef = viaService ? 's.opened_at' : `i.${sortColumn}`;
    const idRef = viaService ? 's.incident_id' : 'i.id';
    const page = filtered.clone();
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, sortColumn);
      const value = DATE_SORT_COLUMNS.has(sortColumn)
        ? new Date(cursor.v as string)
        : cursor.v;
      // A row-value comparison is an index range on both engines, where
      // `a < ? OR (a = ? AND id < ?)` is a filter over the rows.
      page.whereRaw(
        `(${sortRef}, ${idRef}) ${order === 'desc' ? '<' : '>'} (?, ?)`,
        [value, cursor.id],
      );
    }
    page
      .orderBy([
        { column: sortRef, order },
        { column: idRef, order },
      ])
      .limit(limit + 1, { skipBinding: INLINED_PAGE_SIZES.has(limit) });
    // One statement: the page (services, owners and responders included as
    // the rows' JSON copies) and the change stamp for the count cache below.
    const rows = await selectPrepared<IncidentRow & { count_stamp: unknown }>(
      this.knex,
      page.select(
        ...this.selectColumns,
        this.knex.raw(`${this.changeStampSql()} as count_stamp`),
      ),
    );

    const hasMore = rows.length > limit;
    const pageRows = rows.slice(0, limit);
    const items = await this.withRefs(this.knex, pageRows);
    const last = pageRows[pageRows.length - 1];
    const totalCount = await this.countMatching(
      query,
      filtered,
      entityRef,
      rows.length ? String(rows[0].count_stamp) : undefined,
    );
    return {
      items,
      totalCount,
      nextCursor:
        hasMore && last
          ? encodeCursor(
              sortColumn,
              last[sortColumn as keyof IncidentRow],
              last.id,
            )
          : undefined,
    };
  }

  /**
   * The number of incidents matching a list query's filters.
   *
   * Counting is the most expensive part of a list (a `count(*)` over every
   * match, where a page reads 51 rows), and the number only changes when the
   * data does. So each count is kept with the change stamp of the database
   * state it counted, and reused while the page read in `pageStamp` saw the
   * same state; see `changeStampSql` for why this is exact.
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
      query.q?.trim() ?? '',
      query.permissionCriteria ?? null,
    ]);
    const cached = this.counts.get(key);
    if (cached && pageStamp !== undefined && cached.stamp === pageStamp) {
      return cached.count;
    }
    // With the entity as the only filter, its incidents are counted from the
    // service index alone, without touching the incidents.
    const onlyEntity =
      entityRef !== undefined &&
      !query.status?.length &&
      !query.severity?.length &&
      !query.owner?.length &&
      !query.q?.trim() &&
      !query.permissionCriteria;
    const countQuery: Knex.QueryBuilder = onlyEntity
      ? this.knex('incident_service').where('entity_ref', entityRef)
      : filtered.clone().clearOrder();
    const [row] = await countQuery.select(
      this.knex.raw('count(*) as count'),
      this.knex.raw(`${this.changeStampSql()} as count_stamp`),
    );
    const count = Number(row.count);
    const entries = this.counts;
    entries.delete(key);
    entries.set(key, { stamp: String(row.count_stamp), count });
    if (entries.size > COUNT_CACHE_SIZE) {
      // Forget the least recently counted.
      entries.delete(entries.keys().next().value!);
    }
    return count;
  }

  /**
   * An SQL expression that changes whenever the data a statement sees could
   * differ from what an earlier statement saw: the number of committed
   * writes (the sum of `incident_change`, which every write transaction of
   * this store increments before it commits, see `transaction`). A later
   * snapshot sees every transaction an earlier one saw, so an equal sum means
   * the same committed writes, on any replica. Unlike the PostgreSQL
   * snapshot, it does not move with writes to other databases of the server.
   */
  private changeStampSql(): string {
    return '(select sum(changes) from incident_change)';
  }

  /**
   * Counts a committed write in `incident_change`. Called last in the write's
   * transaction: a transaction holding a shard's row lock then waits for no
   * other lock, so the shards cannot take part in a deadlock.
   */
  private countChange(db: Knex | Knex.Transaction) {
    return db('incident_change')
      .where({ shard: Math.floor(Math.random() * CHANGE_SHARDS) })
      .increment('changes', 1);
  }

  /**
   * Runs a write transaction, counting the change (see `countChange`) unless
   * it cannot change what a list counts: notes, status updates, evidence and
   * action items touch only an incident's `updated_at`, which no filter uses.
   */
  private transaction<T>(
    write: (tx: Knex.Transaction) => Promise<T>,
    options: { changesCounts: boolean } = { changesCounts: true },
  ): Promise<T> {
    return this.knex.transaction(async tx => {
      const result = await write(tx);
      if (options.changesCounts) {
        await this.countChange(tx);
      }
      return result;
    });
  }

  async get(idOrRef: string): Promise<Incident | undefined> {
    const where = whereIdOrRef(idOrRef);
    if (!where) {
      return undefined;
    }
    const row: IncidentRow | undefined = await this.knex<IncidentRow>(
      'incident',
    )
      .where(where)
      .first();
    return row ? (await this.withRefs(this.knex, [row]))[0] : undefined;
  }

  async getDetail(idOrRef: string): Promise<IncidentDetail | undefined> {
    const where = whereIdOrRef(idOrRef);
    if (!where) {
      return undefined;
    }
    // One statement: the incident and the records of the detail view, each
    // aggregated as a JSON array.
    const jsonAgg = this.isPostgres ? 'json_agg' : 'json_group_array';
    const jsonObject = this.isPostgres ? 'json_build_object' : 'json_object';
    const records = (
      table: string,
      columns: string[],
      orderBy: string,
      column: string,
      belongs = 'r.incident_id = i.id',
    ) =>
      this.knex.raw(
        `(select ${jsonAgg}(${jsonObject}(${columns
          .map(c => `'${c}', r.${c}`)
          .join(
            ', ',
          )}) order by ${orderBy}) from ${table} r where ${belongs}) as ${column}`,
      );
    const [row] = await selectPrepared<IncidentDetailRow>(
      this.knex,
      this.knex('incident as i')
        .select(
          ...this.selectColumns,
          records(
            'incident_action_item',
            ACTION_ITEM_COLUMNS,
            'r.created_at, r.id',
            'agg_action_items',
          ),
          records(
            'incident_status_update',
            STATUS_UPDATE_COLUMNS,
            'r.created_at, r.id',
            'agg_status_updates',
          ),
          records(
            'incident_evidence',
            EVIDENCE_COLUMNS,
            'r.created_at, r.id',
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
    const children = parseAggregate(row.agg_children) as Array<
      Pick<IncidentRow, 'id' | 'ref_number' | 'title' | 'status' | 'severity'>
    >;
    const [incident] = await this.withRefs(this.knex, [row]);
    return {
      ...incident,
      actionItems: parseAggregate(row.agg_action_items).map(toActionItem),
      statusUpdates: parseAggregate(row.agg_status_updates).map(toStatusUpdate),
      evidence: parseAggregate(row.agg_evidence).map(toEvidence),
      children: children.map(c => ({
        id: c.id,
        ref: `INC-${c.ref_number}`,
        title: c.title,
        status: c.status as IncidentStatus,
        severity: c.severity as Severity,
      })),
    };
  }

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
    // A new incident has no services or owners to replace.
    const services = unique(
      input.affectedServices.map(s => s.toLocaleLowerCase('en-US')),
    ).sort();
    const owners = unique(
      input.ownerGroups.map(o => o.toLocaleLowerCase('en-US')),
    ).sort();
    const now = new Date();
    const row: IncidentRow = {
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
      identified_at: null,
      mitigated_at: null,
      resolved_at: null,
      cancelled_at: null,
      postmortem_at: null,
      updated_at: now,
      service_refs: JSON.stringify(services),
      owner_refs: JSON.stringify(owners),
      responder_refs: '[]',
    };
    // Only the columns that have a value; the rest default to null.
    const values = Object.fromEntries(
      Object.entries(row).filter(
        ([column, value]) =>
          value !== null &&
          column !== 'ref_number' &&
          (this.refColumns || !column.endsWith('_refs')),
      ),
    );
    const { timeline, audit } = timelineRecords(
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
      let entryId: unknown;
      if (this.isPostgres) {
        // One statement, atomic by itself: the incident with its reference
        // from the sequence, its services and owners, the timeline entry, the
        // audit row and the change count (foreign keys are checked at its
        // end).
        const { knex } = this;
        let statement = knex.with(
          'inc',
          knex('incident')
            .insert({
              ...values,
              ref_number: knex.raw("nextval('incident_ref_seq')"),
            })
            .returning('ref_number'),
        );
        if (services.length) {
          statement = statement.with(
            'svc',
            knex('incident_service').insert(
              services.map(entity_ref => ({
                incident_id: row.id,
                entity_ref,
                opened_at: now,
              })),
            ),
          );
        }
        if (owners.length) {
          statement = statement.with(
            'own',
            knex('incident_owner').insert(
              owners.map(group_ref => ({ incident_id: row.id, group_ref })),
            ),
          );
        }
        const [written] = await statement
          .with(
            'tl',
            knex('incident_timeline').insert(timeline).returning('id'),
          )
          .with('au', knex('incident_audit').insert(audit))
          // Counted after the incident's insert, which may wait for another
          // open of the same dedup key: nothing waits while holding a shard.
          .with(
            'chg',
            this.countChange(knex).whereExists(knex.select(1).from('inc')),
          )
          .select('inc.ref_number', 'tl.id as entry_id')
          .from(knex.raw('inc, tl'));
        row.ref_number = written.ref_number;
        entryId = written.entry_id;
      } else {
        entryId = await this.transaction(async tx => {
          // SQLite: writers are serialised, so the counter row's increment
          // is race free.
          const [counter] = await tx('incident_ref_counter')
            .where({ name: 'incident' })
            .increment('value', 1)
            .returning('value');
          row.ref_number = Number(counter.value);
          await tx('incident').insert({
            ...values,
            ref_number: row.ref_number,
          });
          if (services.length) {
            await tx('incident_service').insert(
              services.map(entity_ref => ({
                incident_id: row.id,
                entity_ref,
                opened_at: now,
              })),
            );
          }
          if (owners.length) {
            await tx('incident_owner').insert(
              owners.map(group_ref => ({ incident_id: row.id, group_ref })),
            );
          }
          const [inserted] = await tx('incident_timeline').insert(timeline, [
            'id',
          ]);
          await tx('incident_audit').insert(audit);
          return typeof inserted === 'object' ? inserted.id : inserted;
        });
      }
      // What was written is what a re-read would return.
      return {
        created: true,
        incident: toIncident(row, services, owners, []),
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

  async update(
    id: string,
    input: UpdateIncidentInput,
    actor: string,
  ): Promise<IncidentChangeResult> {
    return this.transaction(async tx => {
      const row = await this.mustFindRow(tx, id, true);
      const now = new Date();
      const patch: Partial<IncidentRow> = { updated_at: now };
      const changes: string[] = [];
      const set = <K extends keyof IncidentRow>(
        column: K,
        value: IncidentRow[K] | undefined,
        label: string,
      ) => {
        if (value !== undefined && row[column] !== value) {
          patch[column] = value as IncidentRow[K];
          changes.push(label);
        }
      };
      if (input.severity !== undefined && input.severity !== row.severity) {
        changes.push(`severity ${row.severity} → ${input.severity}`);
        patch.severity = input.severity;
      }
      set('title', input.title, 'title');
      set('description', input.description, 'description');
      if (input.environments) {
        set('environments', JSON.stringify(input.environments), 'environments');
      }
      set('commander', input.roles?.commander, 'commander');
      set('comms_owner', input.roles?.commsOwner, 'comms owner');
      set('technical_lead', input.roles?.technicalLead, 'technical lead');
      set('impact_users', input.impact?.affectedUsers, 'affected users');
      set('impact_business', input.impact?.businessImpact, 'business impact');
      set('root_cause_hypothesis', input.rootCause?.hypothesis, 'hypothesis');
      set('root_cause_confirmed', input.rootCause?.confirmedCause, 'cause');
      set('root_cause_trigger', input.rootCause?.trigger, 'trigger');
      set('change_url', input.change?.url, 'change');
      set('change_title', input.change?.title, 'change title');
      set('change_source', input.change?.source, 'change source');
      if (input.identified && !row.identified_at) {
        patch.identified_at = now;
        changes.push('root cause identified');
      }
      if (input.affectedServices) {
        const services = await this.replaceServices(
          tx,
          row.id,
          input.affectedServices,
          row.opened_at,
        );
        const owners = await this.replaceOwners(
          tx,
          row.id,
          input.ownerGroups ?? [],
        );
        if (this.refColumns) {
          patch.service_refs = JSON.stringify(services);
          patch.owner_refs = JSON.stringify(owners);
        }
        changes.push('affected services');
      }
      if (input.roles?.responders) {
        await tx('incident_responder').where({ incident_id: row.id }).delete();
        const responders = unique(input.roles.responders).sort();
        if (responders.length) {
          await tx('incident_responder').insert(
            responders.map(user_ref => ({ incident_id: row.id, user_ref })),
          );
        }
        if (this.refColumns) {
          patch.responder_refs = JSON.stringify(responders);
        }
        changes.push('responders');
      }
      await tx('incident').where({ id: row.id }).update(patch);
      const entry = await this.writeEntry(
        tx,
        row.id,
        actor,
        {
          kind: 'edit',
          message: changes.length
            ? `Changed ${changes.join(', ')}`
            : 'Saved without changes',
          data: { fields: Object.keys(input) },
        },
        'updated',
        now,
      );
      return {
        incident: await this.mustGet(tx, row.id),
        verb: 'updated',
        entry,
      };
    });
  }

  async move(options: {
    id: string;
    from: IncidentStatus;
    to: IncidentStatus;
    actor: string;
    message?: string;
  }): Promise<IncidentChangeResult> {
    const { id, from, to, actor, message } = options;
    return this.transaction(async tx => {
      const row = await this.mustFindRow(tx, id);
      if (row.status !== from) {
        throw new ConflictError(
          `INC-${row.ref_number} was moved to '${row.status}' by someone else in the meantime`,
        );
      }
      if (!isMoveAllowed(from, to)) {
        throw new ConflictError(describeIllegalMove(from, to));
      }
      const now = new Date();
      const patch: Record<string, unknown> = { status: to, updated_at: now };
      const stamp = STATE_TIMESTAMPS[to];
      if (stamp) {
        patch[stamp] = now;
      }
      if (to !== 'cancelled' && !row.acknowledged_at) {
        // Skipping past investigating still counts as the acknowledgement.
        patch.acknowledged_at = now;
      }
      if (to !== 'cancelled' && !row.responder && actor.startsWith('user:')) {
        patch.responder = actor;
      }
      if (!isActiveStatus(to)) {
        patch.active_dedup_key = null;
      }
      // Compare-and-set: only the request that still sees `from` wins.
      const updated = await tx('incident')
        .where({ id: row.id, status: from })
        .update(patch);
      if (updated !== 1) {
        const current = await this.mustFindRow(tx, row.id);
        throw new ConflictError(
          `INC-${row.ref_number} was moved to '${current.status}' by someone else in the meantime`,
        );
      }
      const verb = STATUS_VERBS[to];
      const entry = await this.writeEntry(
        tx,
        row.id,
        actor,
        {
          kind: 'status',
          message: message
            ? `${capitalize(verb)}: ${message}`
            : capitalize(verb),
          data: { from, to },
        },
        verb,
        now,
      );
      return { incident: await this.mustGet(tx, row.id), verb, entry };
    });
  }

  async merge(
    childId: string,
    parentId: string,
    actor: string,
  ): Promise<IncidentChangeResult> {
    return this.transaction(async tx => {
      const child = await this.mustFindRow(tx, childId, true);
      const parent = await this.mustFindRow(tx, parentId, true);
      if (child.id === parent.id) {
        throw new ConflictError('An incident cannot be merged into itself');
      }
      if (child.parent_id) {
        throw new ConflictError(
          `INC-${child.ref_number} is already merged into another incident`,
        );
      }
      if (parent.parent_id) {
        throw new ConflictError(
          `INC-${parent.ref_number} is itself merged into another incident; merge into that one instead`,
        );
      }
      if (child.child_count > 0) {
        throw new ConflictError(
          `INC-${child.ref_number} has children of its own and cannot become a child`,
        );
      }
      const now = new Date();
      await tx('incident')
        .where({ id: child.id })
        .update({ parent_id: parent.id, updated_at: now });
      await tx('incident')
        .where({ id: parent.id })
        .update({
          child_count: tx.raw('child_count + 1'),
          updated_at: now,
        });
      await this.writeEntry(
        tx,
        parent.id,
        actor,
        {
          kind: 'child',
          message: `INC-${child.ref_number} merged in: ${child.title}`,
          data: { childId: child.id },
        },
        'child_added',
        now,
      );
      const entry = await this.writeEntry(
        tx,
        child.id,
        actor,
        {
          kind: 'merge',
          message: `Merged into INC-${parent.ref_number}: ${parent.title}`,
          data: { parentId: parent.id },
        },
        'merged',
        now,
      );
      return {
        incident: await this.mustGet(tx, child.id),
        verb: 'merged',
        entry,
      };
    });
  }

  async addTimelineEntry(
    id: string,
    input: NewTimelineEntry,
    actor: string,
  ): Promise<IncidentChangeResult> {
    return this.transaction(async tx => {
      const row = await this.mustFindRow(tx, id);
      const now = new Date();
      await tx('incident').where({ id: row.id }).update({ updated_at: now });
      const entry = await this.writeEntry(
        tx,
        row.id,
        actor,
        input,
        input.kind,
        now,
      );
      return { incident: await this.mustGet(tx, row.id), verb: 'noted', entry };
    }, NOT_COUNTED);
  }

  async getTimeline(id: string): Promise<TimelineEntry[]> {
    const row = await this.mustFindRow(this.knex, id);
    const rows: TimelineRow[] = await this.knex('incident_timeline')
      .where({ incident_id: row.id })
      .orderBy('id', 'asc');
    return rows.map(toTimelineEntry);
  }

  async addStatusUpdate(
    id: string,
    input: { message: string; visibility: 'internal' | 'external' },
    actor: string,
  ) {
    const result = await this.attach(id, actor, (incidentId, now) => ({
      table: 'incident_status_update',
      record: {
        id: randomUUID(),
        incident_id: incidentId,
        visibility: input.visibility,
        message: input.message,
        author: actor,
        created_at: now,
      },
      verb: 'status_update_posted',
      entry: record => ({
        kind: 'status-update',
        message: `${capitalize(input.visibility)} update: ${input.message}`,
        data: { statusUpdateId: record.id, visibility: input.visibility },
      }),
    }));
    return { ...result, statusUpdate: toStatusUpdate(result.record) };
  }

  async addEvidence(
    id: string,
    input: { url: string; title?: string },
    actor: string,
  ) {
    const result = await this.attach(id, actor, (incidentId, now) => ({
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
      entry: () => ({
        kind: 'link',
        message: `Evidence: ${input.title ?? input.url}`,
        links: [{ url: input.url, title: input.title }],
      }),
    }));
    return { ...result, evidence: toEvidence(result.record) };
  }

  async addActionItem(
    id: string,
    input: {
      title: string;
      owner?: string;
      dueDate?: string;
      horizon?: ActionItemHorizon;
      link?: string;
    },
    actor: string,
  ) {
    const result = await this.attach(id, actor, (incidentId, now) => ({
      table: 'incident_action_item',
      record: {
        id: randomUUID(),
        incident_id: incidentId,
        title: input.title,
        owner: input.owner ?? null,
        due_date: input.dueDate ?? null,
        horizon: input.horizon ?? null,
        done: false,
        link: input.link ?? null,
        created_at: now,
      },
      verb: 'action_item_added',
      entry: record => ({
        kind: 'action-item',
        message: `Action item: ${input.title}${
          input.owner ? ` (owner ${input.owner})` : ''
        }`,
        data: { actionItemId: record.id },
      }),
    }));
    return { ...result, actionItem: toActionItem(result.record) };
  }

  async updateActionItem(
    id: string,
    itemId: string,
    input: {
      title?: string;
      owner?: string;
      dueDate?: string;
      horizon?: ActionItemHorizon;
      done?: boolean;
      link?: string;
    },
    actor: string,
  ) {
    return this.transaction(async tx => {
      const row = await this.mustFindRow(tx, id);
      const item = await tx('incident_action_item')
        .where({
          id: UUID_PATTERN.test(itemId) ? itemId : null,
          incident_id: row.id,
        })
        .first();
      if (!item) {
        throw new NotFoundError(
          `Action item '${itemId}' not found on INC-${row.ref_number}`,
        );
      }
      const now = new Date();
      const patch: Record<string, unknown> = {};
      if (input.title !== undefined) patch.title = input.title;
      if (input.owner !== undefined) patch.owner = input.owner;
      if (input.dueDate !== undefined) patch.due_date = input.dueDate;
      if (input.horizon !== undefined) patch.horizon = input.horizon;
      if (input.done !== undefined) patch.done = input.done;
      if (input.link !== undefined) patch.link = input.link;
      await tx('incident_action_item').where({ id: item.id }).update(patch);
      await tx('incident').where({ id: row.id }).update({ updated_at: now });
      const updated = await tx('incident_action_item')
        .where({ id: item.id })
        .first();
      const entry = await this.writeEntry(
        tx,
        row.id,
        actor,
        {
          kind: 'action-item',
          message:
            input.done === true
              ? `Action item done: ${updated.title}`
              : `Action item updated: ${updated.title}`,
          data: { actionItemId: item.id },
        },
        'action_item_updated',
        now,
      );
      return {
        incident: await this.mustGet(tx, row.id),
        verb: 'action_item_updated',
        entry,
        actionItem: toActionItem(updated),
      };
    }, NOT_COUNTED);
  }

  // ---- internals ------------------------------------------------------------

  /**
   * Adds a record that belongs to an incident (a status update, evidence,
   * an action item) with its timeline entry, in one transaction.
   */
  private async attach(
    idOrRef: string,
    actor: string,
    build: (
      incidentId: string,
      now: Date,
    ) => {
      table: string;
      record: { id: string } & Record<string, unknown>;
      verb: string;
      entry: (record: { id: string }) => NewTimelineEntry;
    },
  ): Promise<IncidentChangeResult & { record: any }> {
    return this.transaction(async tx => {
      const row = await this.mustFindRow(tx, idOrRef);
      const now = new Date();
      const { table, record, verb, entry } = build(row.id, now);
      await tx(table).insert(record);
      await tx('incident').where({ id: row.id }).update({ updated_at: now });
      const written = await this.writeEntry(
        tx,
        row.id,
        actor,
        entry(record),
        verb,
        now,
      );
      return {
        incident: await this.mustGet(tx, row.id),
        verb,
        entry: written,
        record,
      };
    }, NOT_COUNTED);
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
    const [last] = await this.knex<TimelineRow>('incident_timeline')
      .where({ incident_id: row.id })
      .orderBy('id', 'desc')
      .limit(1);
    return {
      created: false,
      incident: (await this.withRefs(this.knex, [row]))[0],
      verb: 'deduplicated',
      entry: toTimelineEntry(last),
    };
  }

  /** Replaces an incident's services; returns them (lower case, sorted). */
  private async replaceServices(
    tx: Knex.Transaction,
    id: string,
    services: string[],
    openedAt: IncidentRow['opened_at'],
  ): Promise<string[]> {
    await tx('incident_service').where({ incident_id: id }).delete();
    const refs = unique(services.map(s => s.toLocaleLowerCase('en-US'))).sort();
    if (refs.length) {
      await tx('incident_service').insert(
        refs.map(entity_ref => ({
          incident_id: id,
          entity_ref,
          opened_at: openedAt,
        })),
      );
    }
    return refs;
  }

  /** Replaces an incident's owner groups; returns them (lower, sorted). */
  private async replaceOwners(
    tx: Knex.Transaction,
    id: string,
    owners: string[],
  ): Promise<string[]> {
    await tx('incident_owner').where({ incident_id: id }).delete();
    const refs = unique(owners.map(o => o.toLocaleLowerCase('en-US'))).sort();
    if (refs.length) {
      await tx('incident_owner').insert(
        refs.map(group_ref => ({ incident_id: id, group_ref })),
      );
    }
    return refs;
  }

  private async writeEntry(
    tx: Knex.Transaction,
    incidentId: string,
    actor: string,
    entry: NewTimelineEntry,
    auditAction: string,
    now: Date,
  ): Promise<TimelineEntry> {
    const { timeline, audit } = timelineRecords(
      { ...entry, incidentId, actor, auditAction },
      now,
    );
    const [inserted] = await tx('incident_timeline').insert(timeline, ['id']);
    await tx('incident_audit').insert(audit);
    const id = typeof inserted === 'object' ? inserted.id : inserted;
    return toTimelineEntry({ ...timeline, id });
  }

  private applyTextSearch(query: Knex.QueryBuilder, text: string) {
    const refMatch = REF_PATTERN.exec(text);
    const pattern = `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
    // PostgreSQL's LIKE is case-sensitive, so it gets ILIKE; SQLite's LIKE is
    // already case-insensitive for ASCII.
    const like = this.isPostgres ? 'ILIKE' : 'LIKE';
    query.where(qb => {
      qb.whereRaw(`i.title ${like} ? ESCAPE '\\'`, [pattern]).orWhereRaw(
        `i.description ${like} ? ESCAPE '\\'`,
        [pattern],
      );
      if (refMatch) {
        qb.orWhere('i.ref_number', Number(refMatch[1]));
      }
    });
  }

  /**
   * Incidents from their rows. Services, owners and responders come from the
   * rows' JSON copies; rows without them (written around this store) read
   * the tables, in one query per table for all of them.
   */
  private async withRefs(
    db: Knex | Knex.Transaction,
    rows: IncidentRow[],
  ): Promise<Incident[]> {
    const missing = rows
      .filter(
        r =>
          typeof r.service_refs !== 'string' ||
          typeof r.owner_refs !== 'string' ||
          typeof r.responder_refs !== 'string',
      )
      .map(r => r.id);
    const fromTables = new Map<string, string[]>();
    if (missing.length) {
      // One after another: inside a transaction they share one connection,
      // which must not run queries concurrently.
      for (const [table, column] of [
        ['incident_service', 'entity_ref'],
        ['incident_owner', 'group_ref'],
        ['incident_responder', 'user_ref'],
      ]) {
        for (const child of await db(table).whereIn('incident_id', missing)) {
          const key = `${table}:${child.incident_id}`;
          fromTables.set(key, [...(fromTables.get(key) ?? []), child[column]]);
        }
      }
    }
    const refs = (
      row: IncidentRow,
      json: string | null | undefined,
      table: string,
    ) =>
      (typeof json !== 'string'
        ? fromTables.get(`${table}:${row.id}`) ?? []
        : (JSON.parse(json) as string[])
      ).sort();
    return rows.map(row =>
      toIncident(
        row,
        refs(row, row.service_refs, 'incident_service'),
        refs(row, row.owner_refs, 'incident_owner'),
        refs(row, row.responder_refs, 'incident_responder'),
      ),
    );
  }

  private async findRow(
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
    if (forUpdate && this.isPostgres) {
      query.forUpdate();
    }
    return query.first();
  }

  private async mustFindRow(
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
  private async mustGet(db: Knex | Knex.Transaction, id: string) {
    const row = await this.mustFindRow(db, id);
    return (await this.withRefs(db, [row]))[0];
  }
}

/** The WHERE of an incident's id or `INC-<n>`; undefined when neither. */
function whereIdOrRef(
  idOrRef: string,
): Record<string, string | number> | undefined {
  const refMatch = REF_PATTERN.exec(idOrRef);
  if (refMatch) {
    return { ref_number: Number(refMatch[1]) };
  }
  if (UUID_PATTERN.test(idOrRef)) {
    return { id: idOrRef.toLowerCase() };
  }
  return undefined;
}

/**
 * An aggregated sub-select's value: PostgreSQL gives arrays (`array_agg`)
 * and parsed JSON (`json_agg`), null for no rows; SQLite gives JSON text.
 */
function parseAggregate(value: unknown[] | string | null | undefined): any[] {
  if (value === null || value === undefined) {
    return [];
  }
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The timeline entry and the audit row of a change. */
function toIncident(
  row: IncidentRow,
  affectedServices: string[],
  ownerGroups: string[],
  responders: string[],
): Incident {
  return {
    id: row.id,
    ref: `INC-${row.ref_number}`,
    title: row.title,
    description: row.description ?? undefined,
    severity: row.severity as Severity,
    status: row.status as IncidentStatus,
    affectedServices,
    environments: JSON.parse(row.environments),
    commander: row.commander ?? undefined,
    responder: row.responder ?? undefined,
    roles: {
      commander: row.commander ?? undefined,
      commsOwner: row.comms_owner ?? undefined,
      technicalLead: row.technical_lead ?? undefined,
      responders,
    },
    ownerGroups,
    impact: {
      affectedUsers: row.impact_users ?? undefined,
      businessImpact: row.impact_business ?? undefined,
    },
    rootCause: {
      hypothesis: row.root_cause_hypothesis ?? undefined,
      confirmedCause: row.root_cause_confirmed ?? undefined,
      trigger: row.root_cause_trigger ?? undefined,
    },
    change: row.change_url
      ? {
          url: row.change_url,
          title: row.change_title ?? undefined,
          source: row.change_source ?? undefined,
        }
      : undefined,
    parentId: row.parent_id ?? undefined,
    childCount: Number(row.child_count),
    dedupKey: row.dedup_key ?? undefined,
    openedBy: row.opened_by,
    openedAt: toIso(row.opened_at)!,
    acknowledgedAt: toIso(row.acknowledged_at),
    identifiedAt: toIso(row.identified_at),
    mitigatedAt: toIso(row.mitigated_at),
    resolvedAt: toIso(row.resolved_at),
    cancelledAt: toIso(row.cancelled_at),
    postmortemAt: toIso(row.postmortem_at),
    updatedAt: toIso(row.updated_at)!,
  };
}

function toTimelineEntry(row: TimelineRow): TimelineEntry {
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

function toActionItem(row: any): ActionItem {
  return {
    id: row.id,
    incidentId: row.incident_id,
    title: row.title,
    owner: row.owner ?? undefined,
    dueDate: row.due_date ?? undefined,
    horizon: row.horizon ?? undefined,
    done: Boolean(row.done),
    link: row.link ?? undefined,
    createdAt: toIso(row.created_at)!,
  };
}

function toStatusUpdate(row: any): StatusUpdate {
  return {
    id: row.id,
    incidentId: row.incident_id,
    visibility: row.visibility,
    message: row.message,
    author: row.author,
    createdAt: toIso(row.created_at)!,
  };
}

function toEvidence(row: any): EvidenceLink {
  return {
    id: row.id,
    incidentId: row.incident_id,
    url: row.url,
    title: row.title ?? undefined,
    addedBy: row.added_by,
    createdAt: toIso(row.created_at)!,
  };
}

function encodeCursor(column: string, value: unknown, id: string): string {
  const v = DATE_SORT_COLUMNS.has(column)
    ? toIso(value as Date)
    : String(value);
  return Buffer.from(JSON.stringify({ c: column, v, id })).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string, column: string) {
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    parsed.c !== column ||
    typeof parsed.v !== 'string' ||
    typeof parsed.id !== 'string'
  ) {
    throw new InputError(
      'Invalid cursor: use the nextCursor of a list with the same sort',
    );
  }
  return parsed as { c: string; v: string; id: string };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function capitalize(text: string): string {
  const words = text.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
