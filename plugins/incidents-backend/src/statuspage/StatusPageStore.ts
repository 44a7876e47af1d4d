import {
  ComponentStatus,
  Maintenance,
  MaintenanceStatus,
  PublicImpact,
  PublicIncidentStatus,
  PublicRecord,
  PublicUpdate,
} from '@vigil/plugin-incidents-common';
import { TimelineRecord } from '../incidents/IncidentStore';

export type {
  ComponentStatus,
  Maintenance,
  MaintenanceStatus,
  PublicImpact,
  PublicIncidentStatus,
  PublicRecord,
  PublicUpdate,
};

/** What a change of a public record writes besides the record. */
export interface PublicChange {
  /** A public update to add. */
  update?: { status: string; body: string };
  /** The war-room timeline entry recording the change. */
  timeline?: TimelineRecord;
}

/** A change to a public record; only the fields given change. */
export interface PublicRecordPatch {
  name?: string;
  status?: PublicIncidentStatus;
  lifecycleStatus?: PublicIncidentStatus;
  impact?: PublicImpact | null;
  published?: boolean;
  monitoringAt?: Date | null;
  resolvedAt?: Date | null;
  /** Replaces the components. */
  components?: Array<{ entityRef: string; status?: ComponentStatus }>;
}

/**
 * The status page's tables. Every write raises the page version in its
 * transaction, so replicas know their cached documents are stale.
 */
export interface StatusPageStore {
  /** The page version: raised by every public change. */
  version(): Promise<number>;
  getByIncident(incidentId: string): Promise<PublicRecord | undefined>;
  /**
   * Creates the public record of an incident; undefined when it has one
   * already (a concurrent create won).
   */
  create(
    record: Omit<PublicRecord, 'id' | 'createdAt' | 'updatedAt' | 'updates'>,
    change: PublicChange,
    now: Date,
  ): Promise<PublicRecord | undefined>;
  update(
    id: string,
    patch: PublicRecordPatch,
    change: PublicChange,
    now: Date,
  ): Promise<PublicRecord>;
  /**
   * Published records started since `since` or still unresolved, newest
   * first (the page's incidents and history).
   */
  listPublished(options: {
    since: Date;
    limit: number;
  }): Promise<PublicRecord[]>;
  createMaintenance(
    input: Omit<Maintenance, 'id' | 'createdAt' | 'updatedAt' | 'updates'>,
    update: { status: string; body: string },
    now: Date,
  ): Promise<Maintenance>;
  updateMaintenance(
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
  ): Promise<Maintenance>;
  getMaintenance(id: string): Promise<Maintenance | undefined>;
  /** Windows ending after `endsAfter`, soonest first. */
  listMaintenance(options: {
    endsAfter: Date;
    limit: number;
  }): Promise<Maintenance[]>;
  /**
   * Maintenance windows covering the entity at `at` (not completed, and
   * `at` within the window or started by hand).
   */
  maintenanceCovering(entityRef: string, at: Date): Promise<Maintenance[]>;
  /** Tells `listener` after every committed public change of this store. */
  onChange(listener: () => void): void;
}
