import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  isActiveStatus,
  Severity,
  SEVERITIES,
} from '@vigil/plugin-incidents-common';
import { IncidentService } from '../incidents/IncidentService';
import { IncidentChangeResult, IncidentStore } from '../incidents/types';
import { AlertEntityMapper } from './AlertEntityMapper';
import { AlertsConfig } from './config';
import { DatabaseAlertStore, IntakeRecord } from './DatabaseAlertStore';
import { IncomingAlert } from './parsers';

/** The actor storm changes are recorded as. */
export const STORM_ACTOR = 'system:storm-detector';

/** What one intake did. */
export interface IntakeSummary {
  accepted: number;
  fired: number;
  resolved: number;
  unchanged: number;
  /** Incidents opened by this intake (refs). */
  opened: string[];
  /** Incidents this intake's alerts belong to now (refs). */
  incidents: string[];
}

/** Messages recorded together at most (a larger message goes alone). */
const MAX_BATCH_ALERTS = 1000;
/** Group commits under way at once per instance. */
const MAX_BATCHES_IN_FLIGHT = 2;

interface IntakeJob {
  alerts: IncomingAlert[];
  actor: string;
  resolve: (summary: IntakeSummary) => void;
  reject: (error: unknown) => void;
}

const worst = (a: Severity, b: Severity) =>
  SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;

/**
 * Alert intake: records alerts, opens incidents for those that should,
 * folds storms into one parent, and resolves incidents whose alerts cleared.
 */
export class AlertService {
  constructor(
    private readonly options: {
      store: DatabaseAlertStore;
      incidents: IncidentService;
      incidentStore: IncidentStore;
      mapper: AlertEntityMapper;
      config: AlertsConfig;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  get config() {
    return this.options.config;
  }

  /**
   * Takes a message's alerts. `actor` is the source as the timeline shows it
   * (e.g. `alertmanager:prometheus-prod`).
   *
   * Messages that arrive while earlier ones are being recorded are recorded
   * together (group commit): one transaction and one storm lookup for all of
   * them, then each message's own follow-up. A message alone is recorded at
   * once; a message that can't be recorded fails alone.
   */
  intake(alerts: IncomingAlert[], actor: string): Promise<IntakeSummary> {
    return new Promise((resolve, reject) => {
      this.queue.push({ alerts, actor, resolve, reject });
      if (this.running < MAX_BATCHES_IN_FLIGHT && !this.starting) {
        // After this turn of the event loop, so that messages read in the
        // same turn are recorded together.
        this.starting = true;
        setImmediate(() => {
          this.starting = false;
          void this.drain();
        });
      }
    });
  }

  private readonly queue: IntakeJob[] = [];
  private running = 0;
  private starting = false;

  private async drain() {
    this.running += 1;
    try {
      while (this.queue.length) {
        const jobs = [this.queue.shift()!];
        let size = jobs[0].alerts.length;
        while (
          this.queue.length &&
          size + this.queue[0].alerts.length <= MAX_BATCH_ALERTS
        ) {
          const job = this.queue.shift()!;
          size += job.alerts.length;
          jobs.push(job);
        }
        await this.intakeBatch(jobs);
      }
    } finally {
      this.running -= 1;
    }
  }

  /** Records the jobs' alerts together; settles every job. */
  private async intakeBatch(jobs: IntakeJob[]) {
    let records: IntakeRecord[];
    try {
      const mapped = await Promise.all(
        jobs.flatMap(job =>
          job.alerts.map(async a => ({
            ...a,
            entityRef: await this.options.mapper.map(a),
          })),
        ),
      );
      records = await this.options.store.upsert(mapped, this.now(), {
        joinStorms: this.options.config.storm.enabled,
      });
    } catch (error) {
      if (jobs.length === 1) {
        jobs[0].reject(error);
        return;
      }
      // Each message on its own, so one that can't be recorded doesn't fail
      // the others. Alerts an attempt already recorded come back as repeats;
      // a firing one that should have an incident and has none still gets
      // it (see `followUp`).
      for (const job of jobs) {
        await this.intakeBatch([job]);
      }
      return;
    }
    let offset = 0;
    for (const job of jobs) {
      const own = records.slice(offset, offset + job.alerts.length);
      offset += job.alerts.length;
      try {
        job.resolve(await this.followUp(own, job.actor));
      } catch (error) {
        job.reject(error);
      }
    }
  }

  /** Opens, joins, acknowledges and resolves for one message's records. */
  private async followUp(
    records: IntakeRecord[],
    actor: string,
  ): Promise<IntakeSummary> {
    const summary: IntakeSummary = {
      accepted: records.length,
      fired: 0,
      resolved: 0,
      unchanged: 0,
      opened: [],
      incidents: [],
    };
    const incidentRefs = new Set<string>();
    for (const record of records) {
      summary[record.transition] += 1;
      if (record.joinedStormParent) {
        incidentRefs.add(record.joinedStormParent);
      } else if (record.alert.action === 'acknowledge') {
        await this.acknowledge(record, actor);
      } else if (
        record.transition === 'fired' ||
        this.missesItsIncident(record)
      ) {
        const result = await this.onFired(record, actor);
        if (result.opened) summary.opened.push(result.opened);
        if (result.incident) incidentRefs.add(result.incident);
      } else if (record.transition === 'resolved') {
        await this.onResolved(record, actor);
      }
    }
    summary.incidents = [...incidentRefs];
    return summary;
  }

  /**
   * Reacts to incident changes: a storm parent that resolves resolves its
   * children whose alerts have cleared, and closes its storm.
   */
  async onIncidentChange(change: IncidentChangeResult) {
    const { incident } = change;
    if (isActiveStatus(incident.status)) return;
    try {
      for (const storm of await this.options.store.stormsOfParent(
        incident.id,
      )) {
        await this.options.store.closeStorm(storm.id, this.now());
      }
      if (incident.status !== 'resolved' || !incident.childCount) return;
      for (const childId of await this.options.store.activeChildren(
        incident.id,
      )) {
        if ((await this.options.store.firingCount(childId)) === 0) {
          await this.tryMove(
            childId,
            'resolved',
            `Parent ${incident.ref} resolved and this incident's alerts have cleared`,
            STORM_ACTOR,
          );
        }
      }
    } catch (error) {
      this.options.logger.warn(
        `Alert follow-up of ${incident.ref} failed: ${error}`,
      );
    }
  }

  // ---- internals ----------------------------------------------------------

  /**
   * A repeat of a firing alert at an opening severity that belongs to no
   * incident: its first delivery was recorded but opening the incident
   * failed (the sender got an error and retries). Opening is idempotent (a
   * dedup key per alert group), so the retry opens it.
   */
  private missesItsIncident(record: IntakeRecord) {
    return (
      record.transition === 'unchanged' &&
      record.alert.status === 'firing' &&
      !record.alert.action &&
      !record.incidentId &&
      this.options.config.openSeverities.includes(record.alert.severity)
    );
  }

  private async onFired(
    record: IntakeRecord,
    actor: string,
  ): Promise<{ opened?: string; incident?: string }> {
    const { alert } = record;
    const { storm } = this.options.config;
    if (storm.enabled && record.keys.length) {
      const joined = await this.joinStorm(record);
      if (joined) return { incident: joined };
      const since = new Date(this.now().getTime() - storm.windowMs);
      for (const key of record.keys) {
        if (
          (await this.options.store.countFiring(key, since)) >= storm.threshold
        ) {
          const parent = await this.formStorm(key, since, record);
          if (parent) return { incident: parent };
        }
      }
    }

    let result: { opened?: string; incident?: string } = {};
    if (this.options.config.openSeverities.includes(alert.severity)) {
      const opened = await this.options.incidents.openAsSystem(
        {
          title: alert.title,
          severity: alert.severity,
          description: alert.description,
          affectedServices: alert.entityRef ? [alert.entityRef] : [],
          environments: [],
          // One incident per alert group (or alert) while it is unresolved.
          dedupKey: `alert:${alert.source}:${
            alert.groupKey ?? alert.fingerprint
          }`,
        },
        actor,
      );
      await this.options.store.link(record.id, {
        incidentId: opened.incident.id,
        openedIncidentId: opened.created ? opened.incident.id : undefined,
      });
      await this.options.incidents.noteAsSystem(
        opened.incident.id,
        {
          kind: 'alert',
          message: `Alert firing: ${alert.title}`,
          data: {
            alertId: record.id,
            source: alert.source,
            fingerprint: alert.fingerprint,
            severity: alert.severity,
            entityRef: alert.entityRef,
            labels: alert.labels,
          },
        },
        actor,
      );
      result = {
        opened: opened.created ? opened.incident.ref : undefined,
        incident: opened.incident.ref,
      };
    }
    // A storm may have formed while this alert was on its own: fold into it.
    if (storm.enabled && record.keys.length) {
      const joined = await this.joinStorm(record);
      if (joined) return { ...result, incident: joined };
    }
    return result;
  }

  /** Links the alert (and any incident it opened) to an open storm. */
  private async joinStorm(record: IntakeRecord): Promise<string | undefined> {
    const { store } = this.options;
    const storm = await store.activeStorm(record.keys);
    if (!storm) return undefined;
    if (storm.parentIncidentId) {
      const parent = await this.options.incidentStore.get(
        storm.parentIncidentId,
      );
      if (!parent || !isActiveStatus(parent.status)) {
        await store.closeStorm(storm.id, this.now());
        return undefined;
      }
    }
    await store.link(record.id, {
      stormId: storm.id,
      incidentId: storm.parentIncidentId,
    });
    // The parent may have been set since it was read; the storm's sweep
    // covers the other order.
    const current = storm.parentIncidentId
      ? storm
      : await store.getStorm(storm.id);
    if (!current?.parentIncidentId) return undefined;
    await store.link(record.id, { incidentId: current.parentIncidentId });
    await this.mergeOpenedInto(record.id, current.parentIncidentId);
    const parent = await this.options.incidentStore.get(
      current.parentIncidentId,
    );
    return parent?.ref;
  }

  private async mergeOpenedInto(alertId: string, parentId: string) {
    const opened = (await this.options.store.get(alertId))?.openedIncidentId;
    if (opened && opened !== parentId) {
      await this.tryMerge(opened, parentId);
    }
  }

  /**
   * Forms a storm for a key: the winner of the race opens the parent and
   * folds the window's alerts and the incidents they opened into it.
   */
  private async formStorm(
    key: string,
    since: Date,
    record: IntakeRecord,
  ): Promise<string | undefined> {
    const { store } = this.options;
    const storm = await store.createStorm(key, this.now());
    if (!storm) {
      return this.joinStorm(record);
    }
    const alerts = await store.windowAlerts(key, since);
    const severity = alerts.reduce<Severity>(
      (s, a) => worst(s, a.severity),
      record.alert.severity,
    );
    const services = [
      ...new Set(alerts.flatMap(a => (a.entityRef ? [a.entityRef] : []))),
    ].sort();
    const label = key.startsWith('service:')
      ? key.slice('service:'.length)
      : key.slice('tag:'.length);
    const seconds = Math.round(this.options.config.storm.windowMs / 1000);
    const parent = await this.options.incidents.openAsSystem(
      {
        title: `Alert storm: ${alerts.length} alerts on ${label}`,
        severity,
        description: `${alerts.length} alerts sharing ${label} fired within ${seconds} s; they are folded into this incident.`,
        affectedServices: services,
        environments: [],
        dedupKey: `storm:${storm.id}`,
      },
      STORM_ACTOR,
    );
    await store.setStormParent(storm.id, parent.incident.id);
    await this.options.incidents.noteAsSystem(
      parent.incident.id,
      {
        kind: 'alert',
        message: `Storm detected: ${alerts.length} alerts sharing ${label} within ${seconds} s`,
        data: { stormId: storm.id, key, alertCount: alerts.length },
      },
      STORM_ACTOR,
    );
    const opened = await store.sweepIntoStorm({
      stormId: storm.id,
      key,
      since,
      parentIncidentId: parent.incident.id,
    });
    for (const childId of opened) {
      await this.tryMerge(childId, parent.incident.id);
    }
    return parent.incident.ref;
  }

  private async onResolved(record: IntakeRecord, actor: string) {
    const incidentId = record.incidentId;
    if (!incidentId) return;
    const alert = await this.options.store.find(
      record.alert.source,
      record.alert.fingerprint,
    );
    const targets = [
      ...new Set([incidentId, alert?.openedIncidentId].filter(Boolean)),
    ] as string[];
    for (const id of targets) {
      await this.options.incidents
        .noteAsSystem(
          id,
          {
            kind: 'alert',
            message: `Alert resolved: ${record.alert.title}`,
            data: { alertId: record.id, source: record.alert.source },
          },
          actor,
        )
        .catch(() => undefined);
      if (
        this.options.config.autoResolve &&
        (await this.options.store.firingCount(id)) === 0
      ) {
        await this.tryMove(id, 'resolved', 'Every alert has cleared', actor);
      }
    }
  }

  private async acknowledge(record: IntakeRecord, actor: string) {
    const alert = await this.options.store.find(
      record.alert.source,
      record.alert.fingerprint,
    );
    if (alert?.incidentId) {
      await this.tryMove(
        alert.incidentId,
        'investigating',
        'Acknowledged by the alert source',
        actor,
      );
    }
  }

  /** A move that may lose a race or no longer apply; that's fine. */
  private async tryMove(
    id: string,
    to: 'resolved' | 'investigating',
    message: string,
    actor: string,
  ) {
    const incident = await this.options.incidentStore.get(id);
    if (!incident || !isActiveStatus(incident.status)) return;
    if (to === 'investigating' && incident.status !== 'open') return;
    try {
      await this.options.incidents.moveAsSystem(id, to, message, actor);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private async tryMerge(childId: string, parentId: string) {
    const child = await this.options.incidentStore.get(childId);
    if (
      !child ||
      child.parentId ||
      child.id === parentId ||
      !isActiveStatus(child.status)
    ) {
      return;
    }
    try {
      await this.options.incidents.mergeAsSystem(
        childId,
        parentId,
        STORM_ACTOR,
      );
    } catch (error) {
      // Another request merged it first.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
