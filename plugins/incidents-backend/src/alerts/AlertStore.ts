import { Alert, Severity } from '@vigil/plugin-incidents-common';
import { Knex } from 'knex';
import { ExistingAlert, IntakePlan } from './intakePlan';

/** An open storm. */
export interface StormRow {
  id: string;
  key: string;
  parentIncidentId?: string;
}

/** An open storm as intake reads it (its parent's state comes from incidents). */
export interface OpenStorm extends StormRow {
  startedAt: Date | string | number;
}

/** Filters and keyset paging of the alert list, newest first. */
export interface AlertListQuery {
  status?: 'firing' | 'resolved';
  entityRef?: string;
  incidentId?: string;
  unmapped?: boolean;
  limit: number;
  before?: { lastSeenAt: Date; id: string };
}

/**
 * Alerts, their storm keys and storms (`incident_alert`,
 * `incident_alert_key`, `incident_storm`).
 */
export interface AlertStore {
  /** The stored alerts (id, status, incident) among a message's alerts. */
  readExisting(
    db: Knex | Knex.Transaction,
    alerts: Array<{ source: string; fingerprint: string }>,
  ): Promise<Map<string, ExistingAlert>>;
  /** The stored alerts of a message and the open storms of these keys. */
  readForIntake(
    alerts: Array<{ source: string; fingerprint: string }>,
    keys: string[],
  ): Promise<{ existing: Map<string, ExistingAlert>; storms: OpenStorm[] }>;
  /** Writes a plan of new alerts only (a concurrent insert is a unique violation). */
  insertNew(plan: IntakePlan): Promise<void>;
  /**
   * PostgreSQL: inserts a message's new alerts in one statement, each firing
   * one joined to the running storm of its first key; returns the inserted
   * ones with the storm parent's reference number.
   */
  insertNewOnPostgres(
    rows: Record<string, unknown>[],
    stormKeys: string[],
    now: Date,
  ): Promise<Array<{ id: string; ref_number: number | string | null }>>;
  /** Writes a whole plan inside the caller's transaction. */
  applyPlan(tx: Knex.Transaction, plan: IntakePlan, now: Date): Promise<void>;
  transaction<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T>;
  get(id: string): Promise<Alert | undefined>;
  find(source: string, fingerprint: string): Promise<Alert | undefined>;
  /** Points an alert at its incident, the incident it opened, its storm. */
  link(
    alertId: string,
    link: { incidentId?: string; openedIncidentId?: string; stormId?: string },
  ): Promise<void>;
  /** Marks a firing alert silenced by a maintenance window. */
  silence(alertId: string, maintenanceId: string): Promise<void>;
  /** Firing alerts with this key that fired since `since`. */
  countFiring(key: string, since: Date): Promise<number>;
  /** The open storm for any of the keys, if there is one. */
  activeStorm(keys: string[]): Promise<StormRow | undefined>;
  getStorm(id: string): Promise<StormRow | undefined>;
  /** Opens a storm; undefined when another request opened one first. */
  createStorm(key: string, now: Date): Promise<StormRow | undefined>;
  setStormParent(id: string, parentIncidentId: string): Promise<void>;
  /** Closes a storm: later alerts of its key may form a new one. */
  closeStorm(id: string, now: Date): Promise<void>;
  closeStorms(ids: string[], now: Date): Promise<void>;
  /** Open storms whose parent is this incident. */
  stormsOfParent(parentIncidentId: string): Promise<StormRow[]>;
  /** Firing alerts of a key within the window, for a new storm's parent. */
  windowAlerts(
    key: string,
    since: Date,
  ): Promise<Array<{ id: string; severity: Severity; entityRef?: string }>>;
  /**
   * Links the storm's alerts to its parent; returns the incidents those
   * alerts opened, for merging into the parent.
   */
  sweepIntoStorm(options: {
    stormId: string;
    key: string;
    since: Date;
    parentIncidentId: string;
  }): Promise<string[]>;
  /** Alerts still firing that belong to or opened the incident. */
  firingCount(incidentId: string): Promise<number>;
  list(query: AlertListQuery): Promise<Alert[]>;
}
