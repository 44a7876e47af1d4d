/*
 * The intake rules: what recording a message's alerts does to each one
 * (new, firing again, resolved, a repeat), and which firing alerts join a
 * storm already under way. Pure: the recorder reads what is stored, plans
 * with these, and the store writes the plan.
 */
import { IncidentStatus, isActiveStatus } from '@vigil/plugin-incidents-common';
import { randomUUID } from 'node:crypto';
import { IncomingAlert } from './parsers';

/** What an intake did to one alert. */
export type AlertTransition =
  /** New, or firing again after it had resolved. */
  | 'fired'
  /** Was firing, now resolved. */
  | 'resolved'
  /** Nothing changed (a repeat delivery, or a resolve for an unseen alert). */
  | 'unchanged';

/** An alert as the intake sees it: parsed and mapped to a component. */
export type MappedAlert = IncomingAlert & { entityRef?: string };

/** An alert after intake, with what happened to it. */
export interface IntakeRecord {
  id: string;
  transition: AlertTransition;
  alert: MappedAlert;
  /** The top-level incident it belonged to before this intake. */
  incidentId?: string;
  keys: string[];
  /**
   * The parent incident (ref) of the running storm this firing alert joined
   * while it was recorded.
   */
  joinedStormParent?: string;
}

/** The keys storms group an alert by. */
export function stormKeys(alert: {
  entityRef?: string;
  tags?: string[];
}): string[] {
  return [
    ...(alert.entityRef ? [`service:${alert.entityRef}`] : []),
    ...[...new Set(alert.tags ?? [])].map(t => `tag:${t}`),
  ];
}

/** The identity of an alert: its source and fingerprint. */
export function alertKey(alert: { source: string; fingerprint: string }) {
  return `${alert.source}\u0000${alert.fingerprint}`;
}

/** A stored alert, as intake needs it. */
export type ExistingAlert = {
  id: string;
  status: string;
  incident_id: string | null;
};

/** A storm under way whose parent is active. */
export type LiveStorm = { id: string; parentId: string; parentRef: string };

export type KeyRow = { alert_id: string; key: string; fired_at: Date };

/** What recording a message's alerts writes, decided from what is stored. */
export interface IntakePlan {
  records: IntakeRecord[];
  /** New rows by source + fingerprint. */
  inserts: Map<string, Record<string, unknown>>;
  keyRows: KeyRow[];
  /** Alerts firing again: their old storm keys go. */
  refired: string[];
  /** Repeats: only seen again. */
  repeats: string[];
  /** Stored alerts whose status changed. */
  updates: Array<{ id: string; update: Record<string, unknown> }>;
  /** Stored alerts joining a running storm, by storm. */
  joining: Map<string, { parentId: string; ids: string[] }>;
}

/**
 * Decides, in order (one message may fire and resolve the same alert), what
 * happens to each alert, and which firing alerts join a running storm.
 * `existing` is updated as the message is applied.
 */
export function planIntake(
  alerts: MappedAlert[],
  existing: Map<string, ExistingAlert>,
  now: Date,
  live: Map<string, LiveStorm>,
): IntakePlan {
  const plan: IntakePlan = {
    records: [],
    inserts: new Map(),
    keyRows: [],
    refired: [],
    repeats: [],
    updates: [],
    joining: new Map(),
  };
  for (const alert of alerts) {
    const row = existing.get(alertKey(alert));
    plan.records.push(
      row
        ? planStored(plan, alert, row, now)
        : planNew(plan, alert, existing, now),
    );
  }
  planStormJoins(plan, live);
  return plan;
}

/** The columns an alert's content sets. */
function contentOf(alert: MappedAlert) {
  return {
    severity: alert.severity,
    title: alert.title,
    description: alert.description ?? null,
    entity_ref: alert.entityRef ?? null,
    labels: JSON.stringify(alert.labels ?? {}),
    tags: JSON.stringify(alert.tags ?? []),
    group_key: alert.groupKey ?? null,
    starts_at: alert.startsAt ? new Date(alert.startsAt) : null,
    ends_at: alert.endsAt ? new Date(alert.endsAt) : null,
  };
}

/** An alert not stored yet: inserted; a resolve for it changes nothing. */
function planNew(
  plan: IntakePlan,
  alert: MappedAlert,
  existing: Map<string, ExistingAlert>,
  now: Date,
): IntakeRecord {
  const id = randomUUID();
  const firing = alert.status === 'firing';
  const keys = stormKeys(alert);
  plan.inserts.set(alertKey(alert), {
    id,
    source: alert.source,
    fingerprint: alert.fingerprint,
    status: alert.status,
    ...contentOf(alert),
    first_seen_at: now,
    last_seen_at: now,
    fired_at: now,
    resolved_at: firing ? null : now,
    seen_count: 1,
  });
  existing.set(alertKey(alert), {
    id,
    status: alert.status,
    incident_id: null,
  });
  if (firing) {
    plan.keyRows.push(
      ...keys.map(key => ({ alert_id: id, key, fired_at: now })),
    );
  }
  return { id, transition: firing ? 'fired' : 'unchanged', alert, keys };
}

/** A stored alert: fires again, resolves, or is a repeat. */
function planStored(
  plan: IntakePlan,
  alert: MappedAlert,
  row: ExistingAlert,
  now: Date,
): IntakeRecord {
  const keys = stormKeys(alert);
  const pending = plan.inserts.get(alertKey(alert));
  const wasFiring = row.status === 'firing';
  const nowFiring = alert.status === 'firing';
  let transition: AlertTransition = 'unchanged';
  if (wasFiring !== nowFiring) transition = nowFiring ? 'fired' : 'resolved';
  const update: Record<string, unknown> = {
    status: alert.status,
    last_seen_at: now,
    // A resolve from a sender that sends no details keeps the old ones.
    ...(alert.action || (!nowFiring && !alert.labels) ? {} : contentOf(alert)),
  };
  if (transition === 'fired') {
    Object.assign(update, {
      fired_at: now,
      resolved_at: null,
      incident_id: null,
      opened_incident_id: null,
      storm_id: null,
      silenced_by: null,
    });
    plan.refired.push(row.id);
    plan.keyRows.push(
      ...keys.map(key => ({ alert_id: row.id, key, fired_at: now })),
    );
  } else if (transition === 'resolved') {
    update.resolved_at = now;
  }
  if (pending) {
    Object.assign(pending, update);
  } else if (transition === 'unchanged') {
    // Repeats (Alertmanager re-sends every group_interval) are most of the
    // traffic: counted in one statement; details refresh on the next
    // transition.
    plan.repeats.push(row.id);
  } else {
    plan.updates.push({ id: row.id, update });
  }
  const record: IntakeRecord = {
    id: row.id,
    transition,
    alert,
    incidentId:
      transition === 'fired' ? undefined : row.incident_id ?? undefined,
    keys,
  };
  row.status = alert.status;
  if (transition === 'fired') row.incident_id = null;
  return record;
}

/**
 * Firing alerts whose service or tag has a storm under way join its parent
 * as they are recorded: the common case during an outage.
 */
function planStormJoins(plan: IntakePlan, live: Map<string, LiveStorm>) {
  for (const record of plan.records) {
    if (record.transition !== 'fired' || record.alert.action) continue;
    const storm = record.keys.map(key => live.get(key)).find(Boolean);
    if (!storm) continue;
    record.joinedStormParent = storm.parentRef;
    const pending = plan.inserts.get(alertKey(record.alert));
    if (pending?.id === record.id) {
      pending.storm_id = storm.id;
      pending.incident_id = storm.parentId;
    } else {
      const entry = plan.joining.get(storm.id) ?? {
        parentId: storm.parentId,
        ids: [],
      };
      entry.ids.push(record.id);
      plan.joining.set(storm.id, entry);
    }
  }
}

/** An open storm as read for intake, with its parent's status and ref. */
export type StormReadRow = {
  id: string;
  key: string;
  parentIncidentId?: string;
  parentStatus?: string;
  parentRef?: string;
  startedAt: Date | string | number;
};

/**
 * Open storms: those whose parent is active, by key (the oldest when several
 * match), and those whose parent has ended.
 */
export function toStorms(rows: StormReadRow[]) {
  const live = new Map<string, LiveStorm>();
  const ended: string[] = [];
  const sorted = [...rows].sort(
    (a, b) =>
      new Date(a.startedAt).getTime() - new Date(b.startedAt).getTime() ||
      a.id.localeCompare(b.id),
  );
  for (const row of sorted) {
    if (!row.parentIncidentId) continue; // still forming
    if (
      !row.parentStatus ||
      !isActiveStatus(row.parentStatus as IncidentStatus)
    ) {
      ended.push(row.id);
    } else if (!live.has(row.key)) {
      live.set(row.key, {
        id: row.id,
        parentId: row.parentIncidentId,
        parentRef: row.parentRef!,
      });
    }
  }
  return { live, ended };
}

/** One row per alert and key (the last one wins). */
export function uniqueKeyRows(rows: KeyRow[]): KeyRow[] {
  return [
    ...new Map(rows.map(r => [`${r.alert_id}\u0000${r.key}`, r])).values(),
  ];
}
