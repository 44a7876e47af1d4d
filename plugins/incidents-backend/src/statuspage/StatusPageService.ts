/*
 * The status page's side in the portal: the public record of each incident,
 * which follows the incident, and what people with the permission publish.
 *
 * - Incidents of the configured severities that touch a listed component get
 *   a public record at once (auto-published); others are published by hand,
 *   and any can be unpublished (an auto-published one stays unpublished).
 * - The public status follows the lifecycle (see `lifecycleStatusOf`): each
 *   change re-derives it from the incident as it is now, so out-of-order
 *   listeners on replicas still end right; a status set by a person stays
 *   until the lifecycle moves on.
 * - Only external status updates and the generic automatic texts are
 *   public; nothing else of the incident is copied into the record but the
 *   public name (the title, when first published, unless given).
 */
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  Incident,
  statusPagePublishPermission,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { AttachmentService } from '../incidents/AttachmentService';
import {
  IncidentChangeResult,
  IncidentReader,
} from '../incidents/IncidentStore';
import { IncidentService } from '../incidents/IncidentService';
import { actorOf, normalizeEntityRef } from '../lib/identity';
import { StatusPageConfig } from './config';
import { AUTOMATIC_UPDATES, lifecycleStatusOf } from './rules';
import {
  ComponentStatus,
  PublicImpact,
  PublicIncidentStatus,
  PublicRecord,
  PublicRecordPatch,
  StatusPageStore,
} from './StatusPageStore';

/** The verbs of status page changes (events, signals; never followed). */
const VERB_PREFIX = 'status_page_';

/** What a person may set when publishing or editing. */
export interface PublicRecordInput {
  name?: string;
  impact?: PublicImpact | null;
  components?: Array<{ entityRef: string; status?: ComponentStatus | null }>;
}

/** Publishes incidents and follows them. */
export class StatusPageService {
  private readonly listed: Set<string>;

  constructor(
    private readonly options: {
      store: StatusPageStore;
      incidents: IncidentService;
      attachments: AttachmentService;
      reader: IncidentReader;
      authorizer: IncidentAuthorizer;
      config: StatusPageConfig;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.listed = new Set(options.config.components.map(c => c.entityRef));
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  get config() {
    return this.options.config;
  }

  /** The public record of an incident the caller may read, if it has one. */
  async forIncident(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.options.incidents.get(idOrRef, credentials);
    const record = await this.options.store.getByIncident(incident.id);
    const [mayPublish] = await this.options.authorizer.decide(
      [statusPagePublishPermission],
      incident,
      credentials,
    );
    return {
      enabled: this.options.config.enabled,
      record,
      mayPublish,
      /** The listed components this incident touches (what publishing shows). */
      components: incident.affectedServices.filter(s => this.listed.has(s)),
    };
  }

  /** Publishes the incident (again), optionally with a public name and components. */
  async publish(
    idOrRef: string,
    input: PublicRecordInput,
    credentials: BackstageCredentials,
  ): Promise<PublicRecord> {
    const incident = await this.authorized(idOrRef, credentials, 'publish');
    const actor = actorOf(credentials);
    const existing = await this.options.store.getByIncident(incident.id);
    const components = this.components(input.components, incident);
    if (existing) {
      return this.options.store.update(
        existing.id,
        {
          published: true,
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.impact !== undefined ? { impact: input.impact } : {}),
          ...(input.components ? { components } : {}),
        },
        {
          timeline: this.entry(
            incident,
            actor,
            `Published on the status page as '${
              input.name?.trim() ?? existing.name
            }'`,
          ),
        },
        this.now(),
      );
    }
    const created = await this.create(incident, {
      name: input.name?.trim(),
      impact: input.impact ?? undefined,
      components,
      auto: false,
      actor,
    });
    if (!created) {
      throw new ConflictError(
        `${incident.ref} was published meanwhile; reload it`,
      );
    }
    return created;
  }

  /** Edits the public name, impact or components of a published record. */
  async edit(
    idOrRef: string,
    input: PublicRecordInput,
    credentials: BackstageCredentials,
  ): Promise<PublicRecord> {
    const incident = await this.authorized(
      idOrRef,
      credentials,
      'edit the public record of',
    );
    const record = await this.mustGetRecord(incident);
    const patch: PublicRecordPatch = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.impact !== undefined) patch.impact = input.impact;
    if (input.components)
      patch.components = this.components(input.components, incident);
    return this.options.store.update(
      record.id,
      patch,
      {
        timeline: this.entry(
          incident,
          actorOf(credentials),
          'Status page record edited',
        ),
      },
      this.now(),
    );
  }

  async unpublish(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.authorized(idOrRef, credentials, 'unpublish');
    const record = await this.mustGetRecord(incident);
    return this.options.store.update(
      record.id,
      { published: false },
      {
        timeline: this.entry(
          incident,
          actorOf(credentials),
          'Removed from the status page',
        ),
      },
      this.now(),
    );
  }

  /**
   * Posts a public update: sets the public status (when given) and adds an
   * external status update, which is what the page shows.
   */
  async postUpdate(
    idOrRef: string,
    input: { message: string; status?: PublicIncidentStatus },
    credentials: BackstageCredentials,
  ) {
    const incident = await this.authorized(
      idOrRef,
      credentials,
      'post a public update to',
    );
    const record = await this.mustGetRecord(incident);
    if (!record.published) {
      throw new ConflictError(
        `${incident.ref} is not on the status page; publish it before posting public updates`,
      );
    }
    if (input.status && input.status !== record.status) {
      await this.options.store.update(
        record.id,
        statusPatch(record, input.status, this.now()),
        {},
        this.now(),
      );
    }
    // The listener copies the external update onto the page.
    await this.options.attachments.addStatusUpdate(
      incident.id,
      { message: input.message, visibility: 'external' },
      credentials,
    );
    return this.mustGetRecord(incident);
  }

  /**
   * Told of every committed incident change: publishes incidents that
   * qualify, follows the lifecycle, and copies external updates.
   */
  async onIncidentChange(change: IncidentChangeResult) {
    if (!this.options.config.enabled || change.verb.startsWith(VERB_PREFIX)) {
      return;
    }
    try {
      await this.follow(change);
    } catch (error) {
      this.options.logger.warn(
        `Status page follow-up of ${change.incident.ref} failed: ${error}`,
      );
    }
  }

  // ---- internals ----------------------------------------------------------

  private async follow(change: IncidentChangeResult) {
    const { store, reader } = this.options;
    // As it is now: listeners of other replicas may run in another order.
    const incident = (await reader.get(change.incident.id)) ?? change.incident;
    let record = await store.getByIncident(incident.id);
    if (!record) {
      if (!this.qualifies(incident)) return;
      record = await this.create(incident, {
        components: this.components(undefined, incident),
        auto: true,
        actor: 'system:status-page',
      });
      if (!record) return;
    }
    if (change.verb === 'merged' && incident.parentId) {
      await this.showThroughParent(record, incident.parentId);
    }
    const derived = lifecycleStatusOf(incident);
    if (derived !== record.lifecycleStatus) {
      record = await store.update(
        record.id,
        {
          ...statusPatch(record, derived, this.now()),
          lifecycleStatus: derived,
        },
        { update: { status: derived, body: AUTOMATIC_UPDATES[derived] } },
        this.now(),
      );
    }
    await this.copyExternalUpdate(change, record);
  }

  /** Auto-publish: a configured severity touching a listed component. */
  private qualifies(incident: Incident): boolean {
    return (
      !incident.parentId &&
      this.options.config.autoPublishSeverities.includes(incident.severity) &&
      incident.affectedServices.some(s => this.listed.has(s)) &&
      lifecycleStatusOf(incident) !== 'resolved'
    );
  }

  private async copyExternalUpdate(
    change: IncidentChangeResult,
    record: PublicRecord,
  ) {
    const data = change.entry.data as
      | { statusUpdateId?: string; visibility?: string }
      | undefined;
    if (
      change.verb !== 'status_update_posted' ||
      data?.visibility !== 'external'
    ) {
      return;
    }
    const detail = await this.options.reader.getDetail(change.incident.id);
    const update = detail?.statusUpdates.find(
      u => u.id === data.statusUpdateId,
    );
    if (update && record.published) {
      await this.options.store.update(
        record.id,
        {},
        { update: { status: record.status, body: update.message } },
        this.now(),
      );
    }
  }

  /** A merged child shows through its parent: its components join the parent's record. */
  private async showThroughParent(child: PublicRecord, parentId: string) {
    const parent = await this.options.reader.get(parentId);
    if (!parent || !child.published) return;
    const own = await this.options.store.getByIncident(parentId);
    const components = [...(own?.components ?? []), ...child.components];
    if (own) {
      await this.options.store.update(
        own.id,
        { components, published: true },
        {},
        this.now(),
      );
    } else {
      await this.create(parent, {
        components,
        auto: true,
        actor: 'system:status-page',
      });
    }
  }

  private async create(
    incident: Incident,
    input: {
      name?: string;
      impact?: PublicImpact;
      components: Array<{ entityRef: string; status?: ComponentStatus }>;
      auto: boolean;
      actor: string;
    },
  ): Promise<PublicRecord | undefined> {
    const status = lifecycleStatusOf(incident);
    const name = input.name || incident.title;
    return this.options.store.create(
      {
        incidentId: incident.id,
        name,
        status,
        lifecycleStatus: status,
        impact: input.impact,
        published: true,
        auto: input.auto,
        startedAt: incident.openedAt,
        monitoringAt: incident.mitigatedAt,
        resolvedAt:
          status === 'resolved'
            ? incident.resolvedAt ?? incident.cancelledAt
            : undefined,
        components: input.components,
      },
      {
        update: { status, body: AUTOMATIC_UPDATES[status] },
        timeline: this.entry(
          incident,
          input.actor,
          `Published on the status page as '${name}'`,
        ),
      },
      this.now(),
    );
  }

  /** The requested components (listed ones only), else those the incident touches. */
  private components(
    requested: PublicRecordInput['components'],
    incident: Incident,
  ): Array<{ entityRef: string; status?: ComponentStatus }> {
    if (!requested) {
      return incident.affectedServices
        .filter(s => this.listed.has(s))
        .map(entityRef => ({ entityRef }));
    }
    return requested.map((c, i) => {
      const entityRef = normalizeEntityRef(
        c.entityRef,
        'component',
        `components[${i}].entityRef`,
      );
      if (!this.listed.has(entityRef)) {
        throw new InputError(
          `components[${i}].entityRef: '${entityRef}' is not a component of the status page (incidents.statusPage.components)`,
        );
      }
      return { entityRef, status: c.status ?? undefined };
    });
  }

  private async authorized(
    idOrRef: string,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<Incident> {
    if (!this.options.config.enabled) {
      throw new ConflictError(
        'The status page is not enabled (incidents.statusPage)',
      );
    }
    return this.options.incidents.authorized(
      idOrRef,
      statusPagePublishPermission,
      credentials,
      what,
    );
  }

  private async mustGetRecord(incident: Incident): Promise<PublicRecord> {
    const record = await this.options.store.getByIncident(incident.id);
    if (!record) {
      throw new ConflictError(
        `${incident.ref} has never been published on the status page`,
      );
    }
    return record;
  }

  private entry(incident: Incident, actor: string, message: string) {
    return {
      incidentId: incident.id,
      actor,
      kind: 'status-update' as TimelineEntry['kind'],
      message,
      auditAction: `${VERB_PREFIX}changed`,
    };
  }
}

/** A status change with the timestamps Statuspage shows. */
function statusPatch(
  record: PublicRecord,
  status: PublicIncidentStatus,
  now: Date,
): PublicRecordPatch {
  return {
    status,
    ...(status === 'monitoring' && !record.monitoringAt
      ? { monitoringAt: now }
      : {}),
    ...(status === 'resolved' ? { resolvedAt: now } : { resolvedAt: null }),
  };
}
