import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  AcknowledgementSource,
  Incident,
  incidentCreatePermission,
  incidentNotePermission,
  incidentReadPermission,
  INCIDENTS_SIGNAL_CHANNEL,
  IncidentSignal,
  IncidentStatus,
  incidentUpdatePermission,
  parseSeverity,
  Severity,
  SEVERITY_INPUTS,
  OpenIncident,
  UpdateIncident,
} from '@vigil/plugin-incidents-common';
import { Request } from 'express';
import { Knex } from 'knex';
import {
  IncidentAuthorizer,
  ReadAccess,
  notAllowed,
  viewDenied,
} from '../authorization/IncidentAuthorizer';
import { audited } from '../lib/audit';
import { actorOf, normalizeEntityRef } from '../lib/identity';
import { requireHttpUrl, requireText } from '../lib/input';
import { CatalogRefValidator } from './catalogRefs';
import {
  IncidentChangeResult,
  IncidentStore,
  ListIncidentsQuery,
  NewTimelineEntry,
  OpenIncidentInput,
} from './IncidentStore';
import { MOVE_PERMISSIONS, planMove } from './lifecycle';

/** Called after a change to an incident is committed. */
export type IncidentChangeListener = (
  change: IncidentChangeResult,
  actor: string,
) => Promise<void>;

/** How a move came about, and what else it writes with it. */
export interface MoveOptions {
  /** Where an acknowledgement came from; `api` when not given. */
  source?: AcknowledgementSource;
  /** Runs in the move's transaction (see IncidentMove.within). */
  within?: (tx: Knex.Transaction) => Promise<void>;
}

/** The body of `POST /incidents`. */
export type OpenIncidentBody = OpenIncident['body'];

/** The body of `PATCH /incidents/{id}`. */
export type UpdateIncidentBody = UpdateIncident['body'];

/**
 * The incidents domain: permission checks, catalog validation, the lifecycle
 * rules and the side effects of every change (audit, events, signals,
 * listeners) around the store.
 */
export class IncidentService {
  private readonly listeners: IncidentChangeListener[] = [];

  constructor(
    private readonly options: {
      store: IncidentStore;
      authorizer: IncidentAuthorizer;
      catalogRefs: CatalogRefValidator;
      auditor: AuditorService;
      events: EventsService;
      signals: SignalsService;
      logger: LoggerService;
    },
  ) {}

  /**
   * Adds a listener told of every committed change, after events and
   * signals (e.g. escalation starts paging on open and stops on acknowledge).
   */
  addListener(listener: IncidentChangeListener) {
    this.listeners.push(listener);
  }

  async list(query: ListIncidentsQuery, credentials: BackstageCredentials) {
    const { criteria } = await this.options.authorizer.readFilter(credentials);
    // A conditional decision becomes a WHERE clause, so pages stay full.
    return this.options.store.list({ ...query, permissionCriteria: criteria });
  }

  /** One incident with its detail records; "not found" if not readable. */
  async get(idOrRef: string, credentials: BackstageCredentials) {
    // A caller who may read no incident is refused before the lookup (so
    // the answer says nothing about which incidents exist); an incident a
    // conditional decision hides is "not found", not "forbidden".
    const access = await this.options.authorizer.readAccess(credentials);
    if (access.denied) {
      throw viewDenied();
    }
    const incident = await this.options.store.getDetail(idOrRef);
    if (!incident || !(await access.allows(incident))) {
      throw new NotFoundError(`Incident '${idOrRef}' not found`);
    }
    return incident;
  }

  /**
   * The answer for an incident the caller cannot have: "not found", or a
   * 403 when the caller may read no incident at all (a service token
   * restricted to other permissions), whether or not this one exists.
   */
  private async notFound(idOrRef: string, credentials: BackstageCredentials) {
    if ((await this.options.authorizer.readAccess(credentials)).denied) {
      return viewDenied();
    }
    return new NotFoundError(`Incident '${idOrRef}' not found`);
  }

  /** See {@link IncidentAuthorizer.authorizeViewer}. */
  authorizeViewer(credentials: BackstageCredentials, what: string) {
    return this.options.authorizer.authorizeViewer(credentials, what);
  }

  /**
   * The war room's incident: its detail records and what the caller may do
   * to it, decided in one permission call; "not found" if not readable.
   */
  async getWithPermissions(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.options.store.getDetail(idOrRef);
    if (!incident) {
      throw await this.notFound(idOrRef, credentials);
    }
    // An outright DENY of reading is a 403 (readWithActions throws it).
    const permissions = await this.options.authorizer.readWithActions(
      incident,
      credentials,
    );
    if (!permissions) {
      throw new NotFoundError(`Incident '${idOrRef}' not found`);
    }
    return { ...incident, permissions };
  }

  /**
   * One incident with its detail records, read with a read decision the
   * request already took; "not found" if that decision does not allow it.
   */
  async getReadable(idOrRef: string, access: ReadAccess) {
    if (access.denied) {
      throw viewDenied();
    }
    const incident = await this.options.store.getDetail(idOrRef);
    if (!incident || !(await access.allows(incident))) {
      throw new NotFoundError(`Incident '${idOrRef}' not found`);
    }
    return incident;
  }

  async getTimeline(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.get(idOrRef, credentials);
    return this.options.store.getTimeline(incident.id);
  }

  async open(
    body: OpenIncidentBody,
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-open', request, async () => {
      await this.options.authorizer.authorizeBasic(
        incidentCreatePermission,
        credentials,
        'open incidents',
      );
      const severity = requireSeverity(body.severity);
      const title = requireText(body.title, 'title');
      if (body.change) requireHttpUrl(body.change.url, 'change.url');
      const services = (body.affectedServices ?? []).map(r =>
        normalizeEntityRef(r, 'component', 'affectedServices'),
      );
      const commander = body.commander
        ? normalizeEntityRef(body.commander, 'user', 'commander')
        : undefined;
      const { ownerGroups } = await this.options.catalogRefs.validate(
        services,
        commander ? [commander] : [],
        credentials,
      );
      const actor = actorOf(credentials);
      const result = await this.options.store.open(
        {
          title,
          severity,
          description: body.description,
          affectedServices: services,
          ownerGroups,
          environments: [...new Set(body.environments ?? [])],
          commander,
          change: body.change,
          dedupKey: body.dedupKey,
        },
        actor,
      );
      if (result.created) {
        await this.publish(result, actor);
      }
      return result;
    });
  }

  async update(
    idOrRef: string,
    body: UpdateIncidentBody,
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-update', request, async () => {
      const incident = await this.authorized(
        idOrRef,
        incidentUpdatePermission,
        credentials,
        'edit',
      );
      const severity =
        body.severity !== undefined
          ? requireSeverity(body.severity)
          : undefined;
      const title =
        body.title !== undefined ? requireText(body.title, 'title') : undefined;
      if (body.change) requireHttpUrl(body.change.url, 'change.url');
      const services = body.affectedServices?.map(r =>
        normalizeEntityRef(r, 'component', 'affectedServices'),
      );
      const roles = body.roles ? normalizeRoles(body.roles) : undefined;
      const users = roles
        ? [
            roles.commander,
            roles.commsOwner,
            roles.technicalLead,
            ...(roles.responders ?? []),
          ].filter((u): u is string => Boolean(u))
        : [];
      const { ownerGroups } = await this.options.catalogRefs.validate(
        services ?? [],
        users,
        credentials,
      );
      const actor = actorOf(credentials);
      const result = await this.options.store.update(
        incident.id,
        {
          ...body,
          title,
          severity,
          affectedServices: services,
          ownerGroups: services ? ownerGroups : undefined,
          roles,
        },
        actor,
      );
      await this.publish(result, actor);
      return result;
    });
  }

  async move(
    idOrRef: string,
    to: IncidentStatus,
    message: string | undefined,
    credentials: BackstageCredentials,
    request?: Request,
    options: MoveOptions = {},
  ) {
    return this.audited('incident-move', request, async () => {
      const incident = await this.authorized(
        idOrRef,
        MOVE_PERMISSIONS[to],
        credentials,
        `move to '${to}'`,
      );
      const actor = actorOf(credentials);
      const result = await this.options.store.move({
        ...planMove(incident, to, actor, message, options.source),
        within: options.within,
      });
      await this.publish(result, actor);
      return result;
    });
  }

  async merge(
    idOrRef: string,
    into: string,
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-merge', request, async () => {
      const child = await this.authorized(
        idOrRef,
        incidentUpdatePermission,
        credentials,
        'merge',
      );
      const parent = await this.options.store.get(into);
      if (!parent) {
        throw new InputError(`Parent incident '${into}' not found`);
      }
      await this.options.authorizer.authorizeIncident(
        incidentUpdatePermission,
        parent,
        credentials,
        'merge into',
      );
      const actor = actorOf(credentials);
      const result = await this.options.store.merge(child.id, parent.id, actor);
      await this.publish(result, actor);
      return result;
    });
  }

  /**
   * Runs one of the "any member may add" changes (notes, status updates,
   * evidence, action items) under the note permission.
   */
  async contribute<T extends IncidentChangeResult>(
    idOrRef: string,
    eventId: string,
    credentials: BackstageCredentials,
    request: Request | undefined,
    write: (incidentId: string, actor: string) => Promise<T>,
  ): Promise<T> {
    return this.audited(eventId, request, async () => {
      const incident = await this.authorized(
        idOrRef,
        incidentNotePermission,
        credentials,
        'add to',
      );
      const actor = actorOf(credentials);
      const result = await write(incident.id, actor);
      await this.publish(result, actor);
      return result;
    });
  }

  /**
   * The incident, if the caller may read it and holds `permission` on it:
   * both decided in one permission call. Unreadable is "not found".
   */
  async authorized(
    idOrRef: string,
    permission: Parameters<IncidentAuthorizer['decide']>[0][number],
    credentials: BackstageCredentials,
    what: string,
  ): Promise<Incident> {
    const incident = await this.options.store.getDetail(idOrRef);
    if (!incident) {
      throw await this.notFound(idOrRef, credentials);
    }
    const [readable, allowed] = await this.options.authorizer.decide(
      [incidentReadPermission, permission],
      incident,
      credentials,
    );
    if (!readable) {
      throw await this.notFound(idOrRef, credentials);
    }
    if (!allowed) {
      throw notAllowed(permission, incident, what);
    }
    return incident;
  }

  // ---- system actors -------------------------------------------------------
  // Changes made by a named system actor (an alert source, the storm
  // detector) that was authenticated and authorized where it came in: no
  // user permission checks, but the same validation, audit, events, signals
  // and listeners as a person's change.

  async openAsSystem(
    input: Omit<OpenIncidentInput, 'ownerGroups'>,
    actor: string,
  ) {
    return this.audited('incident-open', undefined, async () => {
      const { ownerGroups } = await this.options.catalogRefs.validate(
        input.affectedServices,
        [],
      );
      const result = await this.options.store.open(
        { ...input, ownerGroups },
        actor,
      );
      if (result.created) {
        await this.publish(result, actor);
      }
      return result;
    });
  }

  async moveAsSystem(
    id: string,
    to: IncidentStatus,
    message: string | undefined,
    actor: string,
    options: MoveOptions = {},
  ) {
    return this.audited('incident-move', undefined, async () => {
      const incident = await this.options.store.get(id);
      if (!incident) {
        throw new NotFoundError(`Incident '${id}' not found`);
      }
      const result = await this.options.store.move({
        ...planMove(incident, to, actor, message, options.source),
        within: options.within,
      });
      await this.publish(result, actor);
      return result;
    });
  }

  async mergeAsSystem(childId: string, parentId: string, actor: string) {
    return this.audited('incident-merge', undefined, async () => {
      const result = await this.options.store.merge(childId, parentId, actor);
      await this.publish(result, actor);
      return result;
    });
  }

  async noteAsSystem(id: string, entry: NewTimelineEntry, actor: string) {
    return this.audited('incident-note', undefined, async () => {
      const result = await this.options.store.addTimelineEntry(
        id,
        entry,
        actor,
      );
      await this.publish(result, actor);
      return result;
    });
  }

  /**
   * Tells the rest of Backstage after the change is committed. A failure here
   * is logged, not thrown: the change itself already happened.
   */
  async publish(change: IncidentChangeResult, actor: string) {
    const { incident, verb, entry } = change;
    const type = `incident.${verb}`;
    try {
      await this.options.events.publish({
        topic: 'incidents',
        eventPayload: { type, actor, incident, timelineEntry: entry },
      });
      const message: IncidentSignal = {
        type,
        incidentId: incident.id,
        ref: incident.ref,
        title: incident.title,
        status: incident.status,
        severity: incident.severity,
        actor,
      };
      await this.options.signals.publish({
        recipients: { type: 'broadcast' },
        channel: INCIDENTS_SIGNAL_CHANNEL,
        message: { ...message },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not publish ${type} for ${incident.ref}: ${error}`,
      );
    }
    for (const listener of this.listeners) {
      await listener(change, actor);
    }
  }

  private audited<T extends IncidentChangeResult>(
    eventId: string,
    request: Request | undefined,
    action: () => Promise<T>,
  ): Promise<T> {
    return audited(this.options.auditor, { eventId, request }, action, r => ({
      incidentId: r.incident.id,
      incidentRef: r.incident.ref,
      verb: r.verb,
    }));
  }
}

function requireSeverity(input: string): Severity {
  const severity = parseSeverity(input);
  if (!severity) {
    throw new InputError(
      `Unknown severity '${input}'; use one of ${SEVERITY_INPUTS.join(', ')}`,
    );
  }
  return severity;
}

function normalizeRoles(roles: NonNullable<UpdateIncidentBody['roles']>) {
  const user = (ref: string | undefined, field: string) =>
    ref === undefined ? undefined : normalizeEntityRef(ref, 'user', field);
  return {
    commander: user(roles.commander, 'roles.commander'),
    commsOwner: user(roles.commsOwner, 'roles.commsOwner'),
    technicalLead: user(roles.technicalLead, 'roles.technicalLead'),
    responders: roles.responders?.map(r =>
      normalizeEntityRef(r, 'user', 'roles.responders'),
    ),
  };
}
