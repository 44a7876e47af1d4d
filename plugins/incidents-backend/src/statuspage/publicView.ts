/*
 * The public page as Atlassian Statuspage's public API shapes it (field
 * names and value sets of /api/v2/*.json), built from the public records
 * only: public names, public statuses, public updates and the listed
 * components. Internal titles, descriptions, people and timelines are not
 * read here, so they cannot leak.
 */
import { createHash } from 'node:crypto';
import { PublicComponentDefinition, StatusPageConfig } from './config';
import {
  componentStatuses,
  effectiveMaintenanceStatus,
  isActive,
  pageStatus,
  PublicIncident,
  recordImpact,
  worseStatus,
} from './rules';
import { ComponentStatus, Maintenance, PublicUpdate } from './StatusPageStore';
import { ComponentUptime, uptimeHistory } from './uptime';

/** `page` of every document. */
export interface PageObject {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

export interface ComponentObject {
  id: string;
  name: string;
  status: ComponentStatus;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  components?: string[];
}

export interface UpdateObject {
  id: string;
  status: string;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: null;
  deliver_notifications: boolean;
  custom_tweet: null;
  tweet_id: null;
}

export interface IncidentObject {
  id: string;
  name: string;
  status: string;
  created_at: string;
  updated_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  impact: string;
  shortlink: string;
  started_at: string;
  page_id: string;
  incident_updates: UpdateObject[];
  components: ComponentObject[];
}

export interface MaintenanceObject extends IncidentObject {
  scheduled_for: string;
  scheduled_until: string;
}

/** Everything the public endpoints serve, at one instant. */
export interface PageSnapshot {
  page: PageObject;
  components: ComponentObject[];
  /** Published top-level incidents, newest first (at most 50). */
  incidents: IncidentObject[];
  unresolved: IncidentObject[];
  maintenances: MaintenanceObject[];
  upcoming: MaintenanceObject[];
  active: MaintenanceObject[];
  status: { indicator: string; description: string };
  uptime: Array<ComponentUptime & { id: string; name: string }>;
  /** When the snapshot stops being true by the clock alone (a window starts or ends). */
  validUntil: number;
}

/** A stable short id of an entity ref (Statuspage ids are short strings). */
export function componentId(entityRef: string): string {
  return createHash('sha1').update(entityRef).digest('hex').slice(0, 12);
}

/** When no public change was ever recorded. */
const EPOCH = '2026-01-01T00:00:00.000Z';

/** Builds the snapshot; see the module comment. */
export function buildSnapshot(options: {
  config: StatusPageConfig;
  /** Public names of the listed components (from config or the catalog). */
  names: Map<string, string>;
  incidents: PublicIncident[];
  maintenances: Maintenance[];
  pageUrl: string;
  now: Date;
}): PageSnapshot {
  const { config, incidents, maintenances, now, pageUrl } = options;
  const refs = config.components.map(c => c.entityRef);
  const statuses = componentStatuses(refs, incidents, maintenances, now);
  const shown = incidents.filter(
    e => e.record.published && !e.incident.parentId,
  );
  const updatedAt = latest([
    ...shown.map(e => e.record.updatedAt),
    ...maintenances.map(m => m.updatedAt),
  ]);
  const page: PageObject = {
    id: config.id,
    name: config.name,
    url: pageUrl,
    time_zone: config.timeZone,
    updated_at: updatedAt,
  };
  const components = componentObjects(
    config,
    options.names,
    statuses,
    shown,
    page,
  );
  const byRef = new Map(
    config.components.map((c, i) => [c.entityRef, components[i]]),
  );
  const touched = (list: string[]) =>
    list.flatMap(ref => (byRef.has(ref) ? [byRef.get(ref)!] : []));
  const incidentObjects = shown.slice(0, 50).map(e => ({
    id: e.record.id,
    name: e.record.name,
    status: e.record.status,
    created_at: e.record.createdAt,
    updated_at: e.record.updatedAt,
    monitoring_at: e.record.monitoringAt ?? null,
    resolved_at: e.record.resolvedAt ?? null,
    impact: recordImpact(e),
    shortlink: `${pageUrl}#incident-${e.record.id}`,
    started_at: e.record.startedAt,
    page_id: page.id,
    incident_updates: updateObjects(e.record.id, e.record.updates),
    components: touched(e.record.components.map(c => c.entityRef)),
  }));
  const maintenanceObjects = maintenances.map(m => ({
    id: m.id,
    name: m.name,
    status: effectiveMaintenanceStatus(m, now),
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    monitoring_at: null,
    resolved_at: m.completedAt ?? null,
    impact: 'maintenance',
    shortlink: `${pageUrl}#maintenance-${m.id}`,
    started_at: m.startedAt ?? m.scheduledFor,
    page_id: page.id,
    scheduled_for: m.scheduledFor,
    scheduled_until: m.scheduledUntil,
    incident_updates: updateObjects(m.id, m.updates),
    components: touched(m.components),
  }));
  const names = options.names;
  return {
    page,
    components,
    incidents: incidentObjects,
    unresolved: incidentObjects.filter((_o, i) => isActive(shown[i])),
    maintenances: maintenanceObjects,
    upcoming: maintenanceObjects.filter(m => m.status === 'scheduled'),
    active: maintenanceObjects.filter(
      m => m.status === 'in_progress' || m.status === 'verifying',
    ),
    status: pageStatus(incidents, statuses, maintenances, now),
    uptime: uptimeHistory({
      components: refs,
      incidents,
      maintenances,
      now,
      timeZone: config.timeZone,
    }).map(u => ({
      ...u,
      id: componentId(u.entityRef),
      name: names.get(u.entityRef) ?? u.entityRef,
    })),
    validUntil: nextBoundary(maintenances, now),
  };
}

function componentObjects(
  config: StatusPageConfig,
  names: Map<string, string>,
  statuses: Map<string, ComponentStatus>,
  shown: PublicIncident[],
  page: PageObject,
): ComponentObject[] {
  const groupId = (group: string) => componentId(`group:${group}`);
  const children = config.components.map(
    (c: PublicComponentDefinition, position) => {
      const changed = shown
        .filter(e => e.record.components.some(x => x.entityRef === c.entityRef))
        .map(e => e.record.updatedAt);
      const at = latest(changed);
      return {
        id: componentId(c.entityRef),
        name: names.get(c.entityRef) ?? c.entityRef,
        status: statuses.get(c.entityRef) ?? 'operational',
        created_at: EPOCH,
        updated_at: at,
        position: position + 1,
        description: c.description ?? null,
        showcase: true,
        start_date: null,
        group_id: c.group ? groupId(c.group) : null,
        page_id: page.id,
        group: false,
        only_show_if_degraded: false,
      };
    },
  );
  // Groups follow their components, with the worst status among them.
  const groups = [
    ...new Set(config.components.flatMap(c => (c.group ? [c.group] : []))),
  ];
  return [
    ...children,
    ...groups.map((group, i): ComponentObject => {
      const members = children.filter(c => c.group_id === groupId(group));
      return {
        ...members[0],
        id: groupId(group),
        name: group,
        status: members.map(m => m.status).reduce(worseStatus, 'operational'),
        updated_at: latest(members.map(m => m.updated_at)),
        position: children.length + i + 1,
        description: null,
        group_id: null,
        group: true,
        components: members.map(m => m.id),
      };
    }),
  ];
}

/** Updates newest first, as Statuspage lists them. */
function updateObjects(
  ownerId: string,
  updates: PublicUpdate[],
): UpdateObject[] {
  return [...updates].reverse().map(u => ({
    id: u.id,
    status: u.status,
    body: u.body,
    incident_id: ownerId,
    created_at: u.createdAt,
    updated_at: u.createdAt,
    display_at: u.createdAt,
    affected_components: null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  }));
}

function latest(times: string[]): string {
  return times.reduce((a, b) => (b > a ? b : a), EPOCH);
}

/** The next instant a window starts or ends after `now` (or in a minute). */
function nextBoundary(maintenances: Maintenance[], now: Date): number {
  const horizon = now.getTime() + 60_000;
  return maintenances
    .flatMap(m =>
      [m.scheduledFor, m.scheduledUntil].map(t => new Date(t).getTime()),
    )
    .filter(t => t > now.getTime())
    .reduce((a, b) => Math.min(a, b), horizon);
}
