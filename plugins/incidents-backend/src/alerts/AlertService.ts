import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  alertCreatePermission,
  AlertIntakeResult,
} from '@vigil/plugin-incidents-common';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { IncidentService } from '../incidents/IncidentService';
import { AlertEntityMapper } from './AlertEntityMapper';
import { AlertRecorder } from './AlertRecorder';
import { AlertStore } from './AlertStore';
import { AlertsConfig } from './config';
import { AlertIncidentActions } from './incidentActions';
import { IntakeRecord } from './intakePlan';
import { IncomingAlert } from './parsers';
import { StormService } from './StormService';

/** What one intake did (the API's answer to a sender). */
export type IntakeSummary = AlertIntakeResult;

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

/**
 * Alert intake: records alerts, opens incidents for those that should,
 * folds storms into one parent, and resolves incidents whose alerts cleared.
 */
export class AlertService {
  constructor(
    private readonly options: {
      store: AlertStore;
      recorder: AlertRecorder;
      storms: StormService;
      actions: AlertIncidentActions;
      incidents: IncidentService;
      authorizer: IncidentAuthorizer;
      mapper: AlertEntityMapper;
      config: AlertsConfig;
      /** The maintenance window a component is under at an instant, if any. */
      maintenance?: (
        entityRef: string,
        at: Date,
      ) => Promise<{ id: string } | undefined>;
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
   * Throws NotAllowedError unless the caller may post alerts: an alert
   * source's token restricted to `incidents.alert.create` passes, a token
   * restricted to other permissions does not.
   */
  async authorizeSender(credentials: BackstageCredentials): Promise<void> {
    await this.options.authorizer.authorizeBasic(
      alertCreatePermission,
      credentials,
      'post alerts',
    );
  }

  /**
   * Recent alerts, newest first, keyset-paged. Alerts are part of incidents:
   * whoever may view incidents may see them; `incidentId` must name one the
   * caller may read.
   */
  async list(
    query: {
      status?: 'firing' | 'resolved';
      entityRef?: string;
      incidentId?: string;
      unmapped?: boolean;
      limit: number;
      cursor?: string;
    },
    credentials: BackstageCredentials,
  ) {
    await this.options.authorizer.readFilter(credentials);
    let before: { lastSeenAt: Date; id: string } | undefined;
    if (query.cursor) {
      try {
        const [t, id] = JSON.parse(
          Buffer.from(query.cursor, 'base64url').toString(),
        );
        before = { lastSeenAt: new Date(t), id: String(id) };
      } catch {
        throw new InputError('cursor is not a cursor this API returned');
      }
    }
    const incidentId = query.incidentId
      ? (await this.options.incidents.get(query.incidentId, credentials)).id
      : undefined;
    const { limit } = query;
    const items = await this.options.store.list({
      status: query.status,
      entityRef: query.entityRef,
      incidentId,
      unmapped: query.unmapped,
      limit: limit + 1,
      before,
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page,
      ...(items.length > limit && last
        ? {
            nextCursor: Buffer.from(
              JSON.stringify([last.lastSeenAt, last.id]),
            ).toString('base64url'),
          }
        : {}),
    };
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

  /**
   * An Events API v2 acknowledge. As PagerDuty does, one for a dedup key
   * with no firing alert is accepted and ignored: it never creates (or
   * re-fires) an alert. Returns whether it was taken.
   */
  async acknowledge(alert: IncomingAlert, actor: string): Promise<boolean> {
    const existing = await this.options.store.find(
      alert.source,
      alert.fingerprint,
    );
    if (existing?.status !== 'firing') return false;
    await this.intake([alert], actor);
    return true;
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
      records = await this.options.recorder.record(mapped, this.now(), {
        joinStorms: this.options.config.storm.enabled,
      });
    } catch (error) {
      if (jobs.length === 1) {
        jobs[0].reject(error);
        return;
      }
      // Each message on its own, so one that can't be recorded doesn't fail
      // the others. Alerts an attempt already recorded come back as repeats;
      // a firing one that should have an incident and has none still gets one
      // (see `followUp`).
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
        await this.acknowledgeIncident(record, actor);
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
    const { storms, maintenance } = this.options;
    // Under maintenance: recorded, silenced; no incident, no page, no storm.
    const window =
      alert.entityRef && maintenance
        ? await maintenance(alert.entityRef, this.now())
        : undefined;
    if (window) {
      await this.options.store.silence(record.id, window.id);
      return {};
    }
    const folded = await storms.fold(record);
    if (folded) return { incident: folded };

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
    const joined = await storms.join(record);
    return joined ? { ...result, incident: joined } : result;
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
        await this.options.actions.tryMove(
          id,
          'resolved',
          'Every alert has cleared',
          actor,
        );
      }
    }
  }

  private async acknowledgeIncident(record: IntakeRecord, actor: string) {
    const alert = await this.options.store.find(
      record.alert.source,
      record.alert.fingerprint,
    );
    if (alert?.incidentId) {
      await this.options.actions.tryMove(
        alert.incidentId,
        'investigating',
        'Acknowledged by the alert source',
        actor,
      );
    }
  }
}
