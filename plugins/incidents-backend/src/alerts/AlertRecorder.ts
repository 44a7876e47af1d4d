/*
 * Records a message's alerts: reads what is stored of them and the storms
 * under way for their keys, plans with `intakePlan.ts`, and writes the plan
 * in one transaction. On PostgreSQL a message of new alerts from one source
 * is one statement (see `lib/postgresFastPaths`).
 */
import { Knex } from 'knex';
import { IncidentReader } from '../incidents/IncidentStore';
import { formatIncidentRef } from '../incidents/refs';
import { isPostgres } from '../lib/database';
import { isUniqueViolation } from '../lib/rows';
import { AlertStore, OpenStorm } from './AlertStore';
import {
  alertKey,
  IntakeRecord,
  MappedAlert,
  planIntake,
  stormKeys,
  toStorms,
} from './intakePlan';

/** Writes messages of alerts through the alert store. */
export class AlertRecorder {
  private readonly postgres: boolean;

  constructor(
    private readonly options: {
      knex: Knex;
      store: AlertStore;
      incidents: IncidentReader;
    },
  ) {
    this.postgres = isPostgres(options.knex);
  }

  /**
   * Records a message's alerts in order (one message may fire and resolve
   * the same alert), and reports each one's transition. Retried once if a
   * concurrent delivery inserted the same new alert.
   */
  async record(
    alerts: MappedAlert[],
    now: Date,
    options: { joinStorms?: boolean } = {},
  ): Promise<IntakeRecord[]> {
    try {
      return await this.recordOnce(alerts, now, options);
    } catch (error) {
      if (isUniqueViolation(error)) {
        return this.recordOnce(alerts, now, options);
      }
      throw error;
    }
  }

  private async recordOnce(
    alerts: MappedAlert[],
    now: Date,
    options: { joinStorms?: boolean },
  ): Promise<IntakeRecord[]> {
    if (
      this.postgres &&
      alerts.length <= 100 &&
      !alerts.some(a => a.action) &&
      new Set(alerts.map(a => a.source)).size === 1 &&
      new Set(alerts.map(a => a.fingerprint)).size === alerts.length
    ) {
      return this.insertOrRead(alerts, now, options);
    }
    return this.readAndWrite(alerts, now, options);
  }

  /**
   * PostgreSQL, one statement for a message's alerts that are new (the usual
   * first delivery). Alerts already stored are left to `readAndWrite`.
   */
  private async insertOrRead(
    alerts: MappedAlert[],
    now: Date,
    options: { joinStorms?: boolean },
  ): Promise<IntakeRecord[]> {
    const plan = planIntake(alerts, new Map(), now, new Map());
    const rows = plan.records.map(record => {
      const row = plan.inserts.get(alertKey(record.alert))!;
      const firing = record.alert.status === 'firing';
      return {
        ...row,
        keys: firing ? record.keys : [],
        may_join: firing && options.joinStorms === true,
      };
    });
    const keysOfMessage = [
      ...new Set(rows.filter(r => r.may_join).flatMap(r => r.keys)),
    ];
    const written = await this.options.store.insertNewOnPostgres(
      rows,
      keysOfMessage,
      now,
    );
    const inserted = new Map(written.map(r => [r.id, r.ref_number]));
    const stored = plan.records.filter(r => !inserted.has(r.id));
    const others = stored.length
      ? await this.readAndWrite(
          stored.map(r => r.alert),
          now,
          options,
        )
      : [];
    return plan.records.map(record => {
      if (!inserted.has(record.id)) {
        return others.shift()!;
      }
      const ref = inserted.get(record.id);
      if (ref !== null && ref !== undefined) {
        record.joinedStormParent = formatIncidentRef(ref);
      }
      return record;
    });
  }

  /**
   * Reads what is stored of a message's alerts and the running storms of
   * their keys, then writes the message.
   */
  private async readAndWrite(
    alerts: MappedAlert[],
    now: Date,
    options: { joinStorms?: boolean },
  ): Promise<IntakeRecord[]> {
    const { store } = this.options;
    // Storms under way for the keys of alerts that may fire, read with the
    // alerts themselves.
    const keysToRead = options.joinStorms
      ? [
          ...new Set(
            alerts
              .filter(a => a.status === 'firing' && !a.action)
              .flatMap(stormKeys),
          ),
        ]
      : [];
    const read = await store.readForIntake(alerts, keysToRead);
    const storms = toStorms(await this.withParents(read.storms));
    await store.closeStorms(storms.ended, now);
    const distinct = new Set(alerts.map(alertKey)).size === alerts.length;
    if (read.existing.size === 0 && distinct) {
      // Only new alerts (the usual first delivery): inserts alone. A
      // concurrent delivery of one of them is a unique violation, and the
      // caller retries.
      const plan = planIntake(alerts, read.existing, now, storms.live);
      await store.insertNew(plan);
      return plan.records;
    }
    return store.transaction(async tx => {
      const current = await store.readExisting(tx, alerts);
      const plan = planIntake(alerts, current, now, storms.live);
      await store.applyPlan(tx, plan, now);
      return plan.records;
    });
  }

  /** Open storms with their parents' state, from the incidents domain. */
  private async withParents(storms: OpenStorm[]) {
    const parentIds = storms.flatMap(s =>
      s.parentIncidentId ? [s.parentIncidentId] : [],
    );
    const parents = parentIds.length
      ? await this.options.incidents.summaries(parentIds)
      : new Map();
    return storms.map(storm => {
      const parent = storm.parentIncidentId
        ? parents.get(storm.parentIncidentId)
        : undefined;
      return {
        ...storm,
        parentStatus: parent?.status,
        parentRef: parent?.ref,
      };
    });
  }
}
