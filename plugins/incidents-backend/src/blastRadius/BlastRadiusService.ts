import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  BlastRadius,
  BlastRadiusNotification,
  BlastRadiusTeam,
  Incident,
  incidentUpdatePermission,
} from '@vigil/plugin-incidents-common';
import { actorOf } from '../lib/identity';
import { IncidentService } from '../incidents/IncidentService';
import { walkDependents } from './walk';

/** How the walk is bounded and how long an answer is reused. */
export interface BlastRadiusOptions {
  /** Deepest level walked (default 5). */
  maxDepth: number;
  /** How long an answer is reused, per incident and affected services (default 60 s). */
  ttlMs: number;
}

/** The defaults of {@link BlastRadiusOptions}. */
export const DEFAULT_BLAST_RADIUS_OPTIONS: BlastRadiusOptions = {
  maxDepth: 5,
  ttlMs: 60_000,
};

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'relations',
];

/**
 * The blast radius of an incident: what depends on its affected components,
 * by owning team; and notifying those teams. Answers are cached in memory
 * per incident and affected services for a short while (the catalog
 * changes slowly; a new affected service is a new key).
 */
export class BlastRadiusService {
  private readonly cache = new Map<
    string,
    { at: number; value: BlastRadius }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      notifications: NotificationService;
      incidents: IncidentService;
      appBaseUrl: string;
      settings?: Partial<BlastRadiusOptions>;
      now?: () => Date;
    },
  ) {}

  private get settings(): BlastRadiusOptions {
    return { ...DEFAULT_BLAST_RADIUS_OPTIONS, ...this.options.settings };
  }

  async forIncident(
    idOrRef: string,
    credentials: BackstageCredentials,
  ): Promise<BlastRadius> {
    const incident = await this.options.incidents.get(idOrRef, credentials);
    return this.of(incident);
  }

  /** The blast radius of a readable incident, cached. */
  async of(incident: Incident): Promise<BlastRadius> {
    const affected = [...incident.affectedServices].sort();
    const key = `${incident.id}|${affected.join(',')}`;
    const now = (this.options.now?.() ?? new Date()).getTime();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.settings.ttlMs) {
      return hit.value;
    }
    const value = await this.compute(affected, new Date(now));
    this.evictOlderThan(now - this.settings.ttlMs);
    this.cache.set(key, { at: now, value });
    return value;
  }

  /** Computes without the cache (benches measure this). */
  async compute(affected: string[], at = new Date()): Promise<BlastRadius> {
    const { catalog, auth } = this.options;
    // The walk reads as the plugin: a dependent's owners must hear of the
    // incident even if the caller can't see that dependent in the catalog.
    const credentials = await auth.getOwnServiceCredentials();
    const { maxDepth } = this.settings;
    const walk = await walkDependents(
      affected,
      async refs =>
        (
          await catalog.getEntitiesByRefs(
            { entityRefs: refs, fields: FIELDS },
            { credentials },
          )
        ).items,
      maxDepth,
    );
    return {
      affected,
      dependents: walk.dependents,
      teams: byTeam(walk.dependents),
      maxDepth,
      truncated: walk.truncated,
      computedAt: at.toISOString(),
    };
  }

  /**
   * Notifies the groups owning the dependents (needs update of the
   * incident) and records it on the timeline.
   */
  async notifyOwners(
    idOrRef: string,
    credentials: BackstageCredentials,
  ): Promise<BlastRadiusNotification> {
    const { incidents, notifications, appBaseUrl } = this.options;
    const incident = await incidents.authorized(
      idOrRef,
      incidentUpdatePermission,
      credentials,
      'notify the owners of dependents of',
    );
    const radius = await this.of(incident);
    const teams = radius.teams.filter(
      (t): t is BlastRadiusTeam & { owner: string } =>
        !!t.owner?.startsWith('group:'),
    );
    const notified = teams.map(t => t.owner);
    if (notified.length > 0) {
      await notifications.send({
        recipients: { type: 'entity', entityRef: notified },
        payload: {
          title: `${incident.ref} may affect your services: ${incident.title}`,
          description: `${incident.severity.toUpperCase()} on ${incident.affectedServices.join(
            ', ',
          )}; your services depend on it.`,
          link: `${appBaseUrl}/incidents/${incident.ref}`,
          severity: incident.severity === 'sev1' ? 'critical' : 'high',
          topic: 'incident-blast-radius',
        },
      });
    }
    const { entry } = await incidents.noteAsSystem(
      incident.id,
      {
        kind: 'note',
        message: notified.length
          ? `Notified the owners of ${
              radius.dependents.length
            } dependent entities: ${notified.join(', ')}`
          : 'No owning groups of dependents to notify',
        data: {
          blastRadius: {
            notified,
            dependents: radius.dependents.map(d => d.entityRef),
          },
        },
      },
      actorOf(credentials),
    );
    return { notified, entry };
  }

  private evictOlderThan(cutoff: number) {
    for (const [key, { at }] of this.cache) {
      if (at < cutoff) this.cache.delete(key);
    }
  }
}

/** Dependents grouped by owner (a dependent with two owners is in both). */
function byTeam(dependents: BlastRadius['dependents']): BlastRadiusTeam[] {
  const teams = new Map<string | undefined, BlastRadiusTeam>();
  for (const dependent of dependents) {
    const owners = dependent.owners.length ? dependent.owners : [undefined];
    for (const owner of owners) {
      const team = teams.get(owner) ?? {
        ...(owner ? { owner } : {}),
        entityRefs: [],
      };
      team.entityRefs.push(dependent.entityRef);
      teams.set(owner, team);
    }
  }
  return [...teams.values()];
}
