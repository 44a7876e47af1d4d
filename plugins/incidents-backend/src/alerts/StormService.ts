/*
 * Storm aggregation: alerts firing within a window that share a service or a
 * tag, above a count, fold into one parent incident; incidents the storm's
 * alerts already opened are merged into it; resolving the parent resolves
 * the children whose alerts have cleared.
 *
 * Guarantee (with the store's unique `active_key`): concurrent intake on any
 * number of replicas forms one storm per key, so one parent.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  isActiveStatus,
  SEVERITIES,
  Severity,
} from '@vigil/plugin-incidents-common';
import {
  IncidentChangeResult,
  IncidentReader,
} from '../incidents/IncidentStore';
import { IncidentService } from '../incidents/IncidentService';
import { AlertStore } from './AlertStore';
import { AlertsConfig } from './config';
import { AlertIncidentActions } from './incidentActions';
import { IntakeRecord } from './intakePlan';

/** The actor storm changes are recorded as. */
export const STORM_ACTOR = 'system:storm-detector';

const worst = (a: Severity, b: Severity) =>
  SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;

/** Forms storms, folds alerts into them, and follows their parents. */
export class StormService {
  constructor(
    private readonly options: {
      store: AlertStore;
      incidents: IncidentService;
      reader: IncidentReader;
      actions: AlertIncidentActions;
      config: AlertsConfig['storm'];
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  get enabled() {
    return this.options.config.enabled;
  }

  /**
   * A firing alert before it opens an incident of its own: joins the storm
   * under way for one of its keys, or forms one when its key has reached the
   * threshold within the window. Returns the parent's ref if it folded.
   */
  async fold(record: IntakeRecord): Promise<string | undefined> {
    if (!this.enabled || record.keys.length === 0) return undefined;
    const joined = await this.join(record);
    if (joined) return joined;
    const { windowMs, threshold } = this.options.config;
    const since = new Date(this.now().getTime() - windowMs);
    for (const key of record.keys) {
      if ((await this.options.store.countFiring(key, since)) >= threshold) {
        const parent = await this.form(key, since, record);
        if (parent) return parent;
      }
    }
    return undefined;
  }

  /**
   * Links the alert (and any incident it opened) to an open storm of its
   * keys; returns the parent's ref if it joined one.
   */
  async join(record: IntakeRecord): Promise<string | undefined> {
    if (!this.enabled || record.keys.length === 0) return undefined;
    const { store, reader } = this.options;
    const storm = await store.activeStorm(record.keys);
    if (!storm) return undefined;
    if (storm.parentIncidentId) {
      const parent = await reader.get(storm.parentIncidentId);
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
    const opened = (await store.get(record.id))?.openedIncidentId;
    if (opened && opened !== current.parentIncidentId) {
      await this.options.actions.tryMerge(
        opened,
        current.parentIncidentId,
        STORM_ACTOR,
      );
    }
    return (await reader.get(current.parentIncidentId))?.ref;
  }

  /**
   * Reacts to incident changes: a storm parent that resolves resolves its
   * children whose alerts have cleared, and closes its storm.
   */
  async onIncidentChange(change: IncidentChangeResult) {
    const { incident } = change;
    if (isActiveStatus(incident.status)) return;
    const { store, reader, actions } = this.options;
    try {
      for (const storm of await store.stormsOfParent(incident.id)) {
        await store.closeStorm(storm.id, this.now());
      }
      if (incident.status !== 'resolved' || !incident.childCount) return;
      const children: Array<{ id: string }> = await reader.selectIds({
        childrenOf: incident.id,
        statuses: ['open', 'investigating', 'mitigated'],
      });
      for (const { id } of children) {
        if ((await store.firingCount(id)) === 0) {
          await actions.tryMove(
            id,
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

  /**
   * Forms a storm for a key: the winner of the race opens the parent and
   * folds the window's alerts and the incidents they opened into it.
   */
  private async form(
    key: string,
    since: Date,
    record: IntakeRecord,
  ): Promise<string | undefined> {
    const { store, incidents } = this.options;
    const storm = await store.createStorm(key, this.now());
    if (!storm) {
      return this.join(record);
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
    const seconds = Math.round(this.options.config.windowMs / 1000);
    const parent = await incidents.openAsSystem(
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
    await incidents.noteAsSystem(
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
      await this.options.actions.tryMerge(
        childId,
        parent.incident.id,
        STORM_ACTOR,
      );
    }
    return parent.incident.ref;
  }
}
