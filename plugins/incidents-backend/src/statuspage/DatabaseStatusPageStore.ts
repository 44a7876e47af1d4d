/*
 * The status page in Backstage's database.
 *
 * Guarantees:
 * - One public record per incident (a unique index): concurrent publishes
 *   give one record.
 * - Every write is one transaction with its public update, its timeline
 *   entry, and a raise of `statuspage_state.version`, which replicas read to
 *   know their cached documents are stale.
 */
import { DatabaseService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { TimelineStore } from '../incidents/IncidentStore';
import { PagingStore } from '../paging/PagingStore';
import { applyDatabaseMigrations } from '../lib/migrations';
import { isUniqueViolation, toIso } from '../lib/rows';
import {
  ComponentStatus,
  Maintenance,
  PublicChange,
  PublicRecord,
  PublicRecordPatch,
  PublicUpdate,
  StatusPageStore,
} from './StatusPageStore';

/** The status page's tables through Knex. */
export class DatabaseStatusPageStore implements StatusPageStore {
  static async create(options: {
    database: DatabaseService;
    timeline: TimelineStore;
    /** Where messages to subscribers are queued, with each public update. */
    outbox: Pick<PagingStore, 'addMessages'>;
    /** The outbox channels of the subscribers. */
    subscriberChannels: string[];
  }): Promise<DatabaseStatusPageStore> {
    const knex = await options.database.getClient();
    await applyDatabaseMigrations(options.database, knex);
    return new DatabaseStatusPageStore(knex, options);
  }

  private readonly timeline: TimelineStore;

  private constructor(
    private readonly knex: Knex,
    private readonly parts: {
      timeline: TimelineStore;
      outbox: Pick<PagingStore, 'addMessages'>;
      subscriberChannels: string[];
    },
  ) {
    this.timeline = parts.timeline;
  }

  async version(): Promise<number> {
    const row = await this.knex('statuspage_state')
      .where({ id: 1 })
      .first('version');
    return Number(row?.version ?? 0);
  }

  private readonly listeners: Array<() => void> = [];

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Runs work in a transaction that raises the version; tells the listeners after commit. */
  private async transaction<T>(
    work: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    const result = await this.knex.transaction(async tx => {
      const done = await work(tx);
      // Last, so the row lock is held for the shortest time.
      await tx('statuspage_state').where({ id: 1 }).increment('version', 1);
      return done;
    });
    this.listeners.forEach(listener => listener());
    return result;
  }

  async getByIncident(incidentId: string): Promise<PublicRecord | undefined> {
    const row = await this.knex('statuspage_incident')
      .where({ incident_id: incidentId })
      .first();
    return row ? (await this.withParts([row]))[0] : undefined;
  }

  async create(
    record: Omit<PublicRecord, 'id' | 'createdAt' | 'updatedAt' | 'updates'>,
    change: PublicChange,
    now: Date,
  ): Promise<PublicRecord | undefined> {
    const id = randomUUID();
    try {
      await this.transaction(async tx => {
        await tx('statuspage_incident').insert({
          id,
          incident_id: record.incidentId,
          name: record.name,
          status: record.status,
          lifecycle_status: record.lifecycleStatus,
          impact: record.impact ?? null,
          published: record.published,
          auto: record.auto,
          started_at: new Date(record.startedAt),
          monitoring_at: record.monitoringAt
            ? new Date(record.monitoringAt)
            : null,
          resolved_at: record.resolvedAt ? new Date(record.resolvedAt) : null,
          created_at: now,
          updated_at: now,
        });
        await this.replaceComponents(tx, id, record.components);
        await this.writeChange(tx, { recordId: id }, change, now);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return undefined;
      }
      throw error;
    }
    return this.getByIncident(record.incidentId);
  }

  async update(
    id: string,
    patch: PublicRecordPatch,
    change: PublicChange,
    now: Date,
  ): Promise<PublicRecord> {
    await this.transaction(async tx => {
      const columns: Record<string, unknown> = { updated_at: now };
      if (patch.name !== undefined) columns.name = patch.name;
      if (patch.status !== undefined) columns.status = patch.status;
      if (patch.lifecycleStatus !== undefined) {
        columns.lifecycle_status = patch.lifecycleStatus;
      }
      if (patch.impact !== undefined) columns.impact = patch.impact;
      if (patch.published !== undefined) columns.published = patch.published;
      if (patch.monitoringAt !== undefined) {
        columns.monitoring_at = patch.monitoringAt;
      }
      if (patch.resolvedAt !== undefined)
        columns.resolved_at = patch.resolvedAt;
      const updated = await tx('statuspage_incident')
        .where({ id })
        .update(columns);
      if (updated !== 1) {
        throw new NotFoundError(`Public record '${id}' not found`);
      }
      if (patch.components) {
        await this.replaceComponents(tx, id, patch.components);
      }
      await this.writeChange(tx, { recordId: id }, change, now);
    });
    const row = await this.knex('statuspage_incident').where({ id }).first();
    return (await this.withParts([row]))[0];
  }

  async listPublished(options: {
    since: Date;
    limit: number;
  }): Promise<PublicRecord[]> {
    const rows = await this.knex('statuspage_incident')
      .where('published', true)
      .where(q =>
        q.where('started_at', '>=', options.since).orWhereNull('resolved_at'),
      )
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return this.withParts(rows);
  }

  async createMaintenance(
    input: Omit<Maintenance, 'id' | 'createdAt' | 'updatedAt' | 'updates'>,
    update: { status: string; body: string },
    now: Date,
  ): Promise<Maintenance> {
    const id = randomUUID();
    await this.transaction(async tx => {
      await tx('statuspage_maintenance').insert({
        id,
        name: input.name,
        body: input.body ?? null,
        status: input.status,
        scheduled_for: new Date(input.scheduledFor),
        scheduled_until: new Date(input.scheduledUntil),
        created_by: input.createdBy,
        created_at: now,
        updated_at: now,
      });
      await this.replaceMaintenanceComponents(tx, id, input.components);
      await this.writeChange(tx, { maintenanceId: id }, { update }, now);
    });
    return (await this.getMaintenance(id))!;
  }

  async updateMaintenance(
    id: string,
    patch: Partial<
      Pick<
        Maintenance,
        | 'name'
        | 'body'
        | 'status'
        | 'scheduledFor'
        | 'scheduledUntil'
        | 'components'
      >
    > & { startedAt?: Date; completedAt?: Date },
    update: { status: string; body: string } | undefined,
    now: Date,
  ): Promise<Maintenance> {
    await this.transaction(async tx => {
      const columns: Record<string, unknown> = { updated_at: now };
      if (patch.name !== undefined) columns.name = patch.name;
      if (patch.body !== undefined) columns.body = patch.body;
      if (patch.status !== undefined) columns.status = patch.status;
      if (patch.scheduledFor !== undefined) {
        columns.scheduled_for = new Date(patch.scheduledFor);
      }
      if (patch.scheduledUntil !== undefined) {
        columns.scheduled_until = new Date(patch.scheduledUntil);
      }
      if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
      if (patch.completedAt !== undefined) {
        columns.completed_at = patch.completedAt;
      }
      const updated = await tx('statuspage_maintenance')
        .where({ id })
        .update(columns);
      if (updated !== 1) {
        throw new NotFoundError(`Maintenance '${id}' not found`);
      }
      if (patch.components) {
        await this.replaceMaintenanceComponents(tx, id, patch.components);
      }
      await this.writeChange(tx, { maintenanceId: id }, { update }, now);
    });
    return (await this.getMaintenance(id))!;
  }

  async getMaintenance(id: string): Promise<Maintenance | undefined> {
    const row = await this.knex('statuspage_maintenance').where({ id }).first();
    return row ? (await this.withMaintenanceParts([row]))[0] : undefined;
  }

  async listMaintenance(options: {
    endsAfter: Date;
    limit: number;
  }): Promise<Maintenance[]> {
    const rows = await this.knex('statuspage_maintenance')
      .where('scheduled_until', '>', options.endsAfter)
      .orderBy([
        { column: 'scheduled_for', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit);
    return this.withMaintenanceParts(rows);
  }

  async maintenanceCovering(
    entityRef: string,
    at: Date,
  ): Promise<Maintenance[]> {
    const rows = await this.knex('statuspage_maintenance as m')
      .join('statuspage_maintenance_component as c', 'c.maintenance_id', 'm.id')
      .where('c.entity_ref', entityRef.toLocaleLowerCase('en-US'))
      .whereNot('m.status', 'completed')
      .where(q =>
        q
          .where(w =>
            w
              .where('m.scheduled_for', '<=', at)
              .where('m.scheduled_until', '>', at),
          )
          .orWhereIn('m.status', ['in_progress', 'verifying']),
      )
      .select('m.*');
    return this.withMaintenanceParts(rows);
  }

  // ---- internals ----------------------------------------------------------

  private async writeChange(
    tx: Knex.Transaction,
    owner: { recordId?: string; maintenanceId?: string },
    change: PublicChange,
    now: Date,
  ) {
    if (change.update && this.parts.subscriberChannels.length) {
      const payload = owner.recordId
        ? { recordId: owner.recordId }
        : { maintenanceId: owner.maintenanceId };
      await this.parts.outbox.addMessages(
        tx,
        this.parts.subscriberChannels.map(channelId => ({
          channelId,
          payload,
        })),
        now,
      );
    }
    if (change.update) {
      await tx('statuspage_update').insert({
        id: randomUUID(),
        statuspage_incident_id: owner.recordId ?? null,
        maintenance_id: owner.maintenanceId ?? null,
        status: change.update.status,
        body: change.update.body,
        created_at: now,
      });
    }
    if (change.timeline) {
      await this.timeline.writeOne(tx, change.timeline, now);
    }
  }

  private async replaceComponents(
    tx: Knex.Transaction,
    id: string,
    components: Array<{ entityRef: string; status?: ComponentStatus }>,
  ) {
    await tx('statuspage_incident_component')
      .where({ statuspage_incident_id: id })
      .delete();
    const unique = new Map(
      components.map(c => [c.entityRef.toLocaleLowerCase('en-US'), c.status]),
    );
    if (unique.size) {
      await tx('statuspage_incident_component').insert(
        [...unique].map(([entityRef, status]) => ({
          statuspage_incident_id: id,
          entity_ref: entityRef,
          status: status ?? null,
        })),
      );
    }
  }

  private async replaceMaintenanceComponents(
    tx: Knex.Transaction,
    id: string,
    components: string[],
  ) {
    await tx('statuspage_maintenance_component')
      .where({ maintenance_id: id })
      .delete();
    const unique = [
      ...new Set(components.map(c => c.toLocaleLowerCase('en-US'))),
    ];
    if (unique.length) {
      await tx('statuspage_maintenance_component').insert(
        unique.map(entityRef => ({
          maintenance_id: id,
          entity_ref: entityRef,
        })),
      );
    }
  }

  private async updatesOf(column: string, ids: string[]) {
    const result = new Map<string, PublicUpdate[]>();
    if (ids.length === 0) return result;
    const rows = await this.knex('statuspage_update')
      .whereIn(column, ids)
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    for (const row of rows) {
      const list = result.get(row[column]) ?? [];
      list.push({
        id: row.id,
        status: row.status,
        body: row.body,
        createdAt: toIso(row.created_at)!,
      });
      result.set(row[column], list);
    }
    return result;
  }

  private async withParts(rows: any[]): Promise<PublicRecord[]> {
    const ids = rows.map(r => r.id as string);
    if (ids.length === 0) return [];
    const components = await this.knex('statuspage_incident_component')
      .whereIn('statuspage_incident_id', ids)
      .orderBy('entity_ref');
    const updates = await this.updatesOf('statuspage_incident_id', ids);
    return rows.map(row => ({
      id: row.id,
      incidentId: row.incident_id,
      name: row.name,
      status: row.status,
      lifecycleStatus: row.lifecycle_status,
      impact: row.impact ?? undefined,
      published: Boolean(row.published),
      auto: Boolean(row.auto),
      startedAt: toIso(row.started_at)!,
      monitoringAt: toIso(row.monitoring_at),
      resolvedAt: toIso(row.resolved_at),
      createdAt: toIso(row.created_at)!,
      updatedAt: toIso(row.updated_at)!,
      components: components
        .filter(c => c.statuspage_incident_id === row.id)
        .map(c => ({ entityRef: c.entity_ref, status: c.status ?? undefined })),
      updates: updates.get(row.id) ?? [],
    }));
  }

  private async withMaintenanceParts(rows: any[]): Promise<Maintenance[]> {
    const ids = rows.map(r => r.id as string);
    if (ids.length === 0) return [];
    const components = await this.knex('statuspage_maintenance_component')
      .whereIn('maintenance_id', ids)
      .orderBy('entity_ref');
    const updates = await this.updatesOf('maintenance_id', ids);
    return rows.map(row => ({
      id: row.id,
      name: row.name,
      body: row.body ?? undefined,
      status: row.status,
      scheduledFor: toIso(row.scheduled_for)!,
      scheduledUntil: toIso(row.scheduled_until)!,
      startedAt: toIso(row.started_at),
      completedAt: toIso(row.completed_at),
      createdBy: row.created_by,
      createdAt: toIso(row.created_at)!,
      updatedAt: toIso(row.updated_at)!,
      components: components
        .filter(c => c.maintenance_id === row.id)
        .map(c => c.entity_ref),
      updates: updates.get(row.id) ?? [],
    }));
  }
}
