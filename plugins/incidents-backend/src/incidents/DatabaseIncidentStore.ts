import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { CHANGE_STAMP_SQL } from './database/changes';
import { applyDatabaseMigrations } from '../lib/migrations';
import { IncidentAttachmentWriter } from './database/attachments';
import { IncidentLifecycleWriter } from './database/lifecycle';
import { IncidentQueries } from './database/queries';
import { DatabaseTimelineStore } from './DatabaseTimelineStore';
import {
  ActionItemPatch,
  ActionItemQuery,
  IncidentMove,
  IncidentSelection,
  IncidentStore,
  ListIncidentsQuery,
  NewActionItem,
  NewTimelineEntry,
  OpenIncidentInput,
  OverdueItem,
  UpdateIncidentInput,
} from './IncidentStore';

/**
 * Incidents in Backstage's database through Knex: the owner of the incident
 * tables. Split by concern: queries (`database/queries.ts`), the incident's
 * own writes (`database/lifecycle.ts`) and what is attached to it
 * (`database/attachments.ts`); the timeline is `DatabaseTimelineStore`.
 */
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
    return new DatabaseIncidentStore(knex);
  }

  /** The timeline and audit trail every domain writes through. */
  readonly timeline: DatabaseTimelineStore;
  private readonly queries: IncidentQueries;
  private readonly lifecycle: IncidentLifecycleWriter;
  private readonly attachments: IncidentAttachmentWriter;

  private constructor(private readonly knex: Knex) {
    this.timeline = new DatabaseTimelineStore(knex);
    this.queries = new IncidentQueries(knex);
    this.lifecycle = new IncidentLifecycleWriter(
      knex,
      this.queries,
      this.timeline,
    );
    this.attachments = new IncidentAttachmentWriter(
      knex,
      this.queries,
      this.timeline,
    );
  }

  // ---- reads ----------------------------------------------------------------

  list(query: ListIncidentsQuery) {
    return this.queries.list(query);
  }

  get(idOrRef: string) {
    return this.queries.get(idOrRef);
  }

  getDetail(idOrRef: string) {
    return this.queries.getDetail(idOrRef);
  }

  summaries(ids: string[]) {
    return this.queries.summaries(ids);
  }

  async changeStamp(): Promise<string> {
    const row = await this.knex.first(
      this.knex.raw(`${CHANGE_STAMP_SQL} as s`),
    );
    return String(row?.s ?? '0');
  }

  selectIds(selection: IncidentSelection, options?: { withTimes?: boolean }) {
    return this.queries.selectIds(selection, options);
  }

  selectForMetrics(
    selection: IncidentSelection,
    options?: { byEntity?: boolean },
  ) {
    return this.queries.selectForMetrics(selection, options);
  }

  lockForRead(tx: Knex.Transaction, ids: string[]) {
    return this.queries.lockForRead(tx, ids);
  }

  touch(tx: Knex.Transaction, id: string, now: Date) {
    return this.queries.touch(tx, id, now);
  }

  getTimeline(id: string) {
    return this.attachments.getTimeline(id);
  }

  // ---- the incident's own writes -------------------------------------------

  open(input: OpenIncidentInput, actor: string) {
    return this.lifecycle.open(input, actor);
  }

  update(id: string, input: UpdateIncidentInput, actor: string) {
    return this.lifecycle.update(id, input, actor);
  }

  move(move: IncidentMove) {
    return this.lifecycle.move(move);
  }

  merge(childId: string, parentId: string, actor: string) {
    return this.lifecycle.merge(childId, parentId, actor);
  }

  // ---- attachments ----------------------------------------------------------

  addTimelineEntry(id: string, entry: NewTimelineEntry, actor: string) {
    return this.attachments.addTimelineEntry(id, entry, actor);
  }

  addStatusUpdate(
    id: string,
    input: { message: string; visibility: 'internal' | 'external' },
    actor: string,
  ) {
    return this.attachments.addStatusUpdate(id, input, actor);
  }

  addEvidence(
    id: string,
    input: { url: string; title?: string },
    actor: string,
  ) {
    return this.attachments.addEvidence(id, input, actor);
  }

  addActionItem(id: string, input: NewActionItem, actor: string) {
    return this.attachments.addActionItem(id, input, actor);
  }

  updateActionItem(
    id: string,
    itemId: string,
    input: ActionItemPatch,
    actor: string,
  ) {
    return this.attachments.updateActionItem(id, itemId, input, actor);
  }

  listActionItems(query: ActionItemQuery, today: string) {
    return this.attachments.listActionItems(query, today);
  }

  overdueActionItems(options: {
    today: string;
    now: Date;
    cadenceMs: number;
    limit?: number;
  }) {
    return this.attachments.overdueActionItems(options);
  }

  claimOverdue(item: OverdueItem, now: Date) {
    return this.attachments.claimOverdue(item, now);
  }

  releaseOverdue(item: OverdueItem, now: Date) {
    return this.attachments.releaseOverdue(item, now);
  }
}
