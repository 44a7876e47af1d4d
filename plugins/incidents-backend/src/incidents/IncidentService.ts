import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  Incident,
  incidentAcknowledgePermission,
  incidentCancelPermission,
  incidentCreatePermission,
  incidentNotePermission,
  incidentReadPermission,
  incidentResolvePermission,
  INCIDENTS_SIGNAL_CHANNEL,
  IncidentSignal,
  IncidentStatus,
  incidentUpdatePermission,
  parseSeverity,
  Severity,
  SEVERITY_INPUTS,
} from '@vigil/plugin-incidents-common';
import {
  IncidentPermissionCriteria,
  IncidentPermissionQuery,
  IncidentWithPages,
} from '@vigil/plugin-incidents-node';
import { Request } from 'express';
import { audited } from '../service/audit';
import { actorOf, normalizeEntityRef } from '../service/identity';
import {
  IncidentChangeResult,
  IncidentStore,
  ListIncidentsQuery,
  NewTimelineEntry,
  OpenIncidentInput,
} from './types';

/** Called after a change to an incident is committed. */
export type IncidentChangeListener = (
  change: IncidentChangeResult,
  actor: string,
) => Promise<void>;

/** The permission that guards moving an incident into each state. */
const MOVE_PERMISSIONS: Record<IncidentStatus, ResourcePermission> = {
  open: incidentUpdatePermission,
  investigating: incidentAcknowledgePermission,
  mitigated: incidentResolvePermission,
  resolved: incidentResolvePermission,
  postmortem: incidentUpdatePermission,
  cancelled: incidentCancelPermission,
};

/**
 * The incidents domain: permission checks, catalog validation and the side
 * effects of every change (audit, events, signals) around the store.
 */
export class IncidentService {
  private readonly authorizeConditions: (
    decision: Parameters<ReturnType<typeof createConditionAuthorizer>>[0],
    incident: Incident,
  ) => boolean;
  private readonly toQueryCriteria: ConditionTransformer<IncidentPermissionQuery>;
  private readonly listeners: IncidentChangeListener[];

  constructor(
    private readonly options: {
      store: IncidentStore;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      /** The incident permission rules, to evaluate conditional decisions. */
      permissionRuleset: PermissionRuleset<Incident, IncidentPermissionQuery>;
      auditor: AuditorService;
      events: EventsService;
      signals: SignalsService;
      logger: LoggerService;
      /**
       * Told of every committed change, after events and signals (e.g.
       * escalation starts paging on open and stops on acknowledge).
       */
      listeners?: IncidentChangeListener[];
      /**
       * The users paged for an incident, for decisions that use the
       * `IS_PAGED` rule (without it, that rule matches nobody).
       */
      pagedUsers?: (incidentId: string) => Promise<string[]>;
    },
  ) {
    this.listeners = [...(options.listeners ?? [])];
    const authorizer = createConditionAuthorizer(options.permissionRuleset);
    this.toQueryCriteria = createConditionTransformer(
      options.permissionRuleset,
    );
    this.authorizeConditions = (decision, incident) =>
      authorizer(decision, incident);
  }

  /** Adds a listener told of every committed change. */
  addListener(listener: IncidentChangeListener) {
    this.listeners.push(listener);
  }

  /**
   * Throws unless the caller may view at least some incidents (for data
   * that belongs to incidents in general, such as alerts).
   */
  async assertMayView(credentials: BackstageCredentials) {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: incidentReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError('You may not view incidents');
    }
    return decision;
  }

  async list(query: ListIncidentsQuery, credentials: BackstageCredentials) {
    return this.options.store.list({
      ...query,
      // A conditional decision becomes a WHERE clause, so pages stay full.
      permissionCriteria: await this.readCriteria(credentials),
    });
  }

  async get(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.options.store.getDetail(idOrRef);
    if (!incident) {
      throw new NotFoundError(`Incident '${idOrRef}' not found`);
    }
    // An incident the caller may not see is "not found", not "forbidden".
    if (
      !(await this.isAllowed(incidentReadPermission, incident, credentials))
    ) {
      throw new NotFoundError(`Incident '${idOrRef}' not found`);
    }
    return incident;
  }

  async getTimeline(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.get(idOrRef, credentials);
    return this.options.store.getTimeline(incident.id);
  }

  async open(
    body: {
      title: string;
      severity: string;
      description?: string;
      affectedServices?: string[];
      environments?: string[];
      commander?: string;
      change?: { url: string; title?: string; source?: string };
      dedupKey?: string;
    },
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-open', request, async () => {
      await this.authorizeBasic(
        incidentCreatePermission,
        credentials,
        'open incidents',
      );
      const severity = requireSeverity(body.severity);
      const services = (body.affectedServices ?? []).map(r =>
        normalizeEntityRef(r, 'component', 'affectedServices'),
      );
      const commander = body.commander
        ? normalizeEntityRef(body.commander, 'user', 'commander')
        : undefined;
      const { ownerGroups } = await this.validateCatalogRefs(
        services,
        commander ? [commander] : [],
        credentials,
      );
      const result = await this.options.store.open(
        {
          title: body.title.trim(),
          severity,
          description: body.description,
          affectedServices: services,
          ownerGroups,
          environments: [...new Set(body.environments ?? [])],
          commander,
          change: body.change,
          dedupKey: body.dedupKey,
        },
        actorOf(credentials),
      );
      if (result.created) {
        await this.publish(result, actorOf(credentials));
      }
      return result;
    });
  }

  async update(
    idOrRef: string,
    body: {
      title?: string;
      description?: string;
      severity?: string;
      affectedServices?: string[];
      environments?: string[];
      roles?: {
        commander?: string;
        commsOwner?: string;
        technicalLead?: string;
        responders?: string[];
      };
      impact?: { affectedUsers?: number; businessImpact?: string };
      rootCause?: {
        hypothesis?: string;
        confirmedCause?: string;
        trigger?: string;
      };
      identified?: boolean;
      change?: { url: string; title?: string; source?: string };
    },
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-update', request, async () => {
      const incident = await this.get(idOrRef, credentials);
      await this.authorizeIncident(
        incidentUpdatePermission,
        incident,
        credentials,
        'edit',
      );
      const severity =
        body.severity !== undefined
          ? requireSeverity(body.severity)
          : undefined;
      const services = body.affectedServices?.map(r =>
        normalizeEntityRef(r, 'component', 'affectedServices'),
      );
      const roles = body.roles
        ? {
            commander: optionalUser(body.roles.commander, 'roles.commander'),
            commsOwner: optionalUser(body.roles.commsOwner, 'roles.commsOwner'),
            technicalLead: optionalUser(
              body.roles.technicalLead,
              'roles.technicalLead',
            ),
            responders: body.roles.responders?.map(r =>
              normalizeEntityRef(r, 'user', 'roles.responders'),
            ),
          }
        : undefined;
      const users = roles
        ? [
            roles.commander,
            roles.commsOwner,
            roles.technicalLead,
            ...(roles.responders ?? []),
          ].filter((u): u is string => Boolean(u))
        : [];
      const { ownerGroups } = await this.validateCatalogRefs(
        services ?? [],
        users,
        credentials,
      );
      const result = await this.options.store.update(
        incident.id,
        {
          ...body,
          title: body.title?.trim(),
          severity,
          affectedServices: services,
          ownerGroups: services ? ownerGroups : undefined,
          roles,
        },
        actorOf(credentials),
      );
      await this.publish(result, actorOf(credentials));
      return result;
    });
  }

  async move(
    idOrRef: string,
    to: IncidentStatus,
    message: string | undefined,
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-move', request, async () => {
      const incident = await this.get(idOrRef, credentials);
      await this.authorizeIncident(
        MOVE_PERMISSIONS[to],
        incident,
        credentials,
        `move to '${to}'`,
      );
      const result = await this.options.store.move({
        id: incident.id,
        from: incident.status,
        to,
        actor: actorOf(credentials),
        message,
      });
      await this.publish(result, actorOf(credentials));
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
      const child = await this.get(idOrRef, credentials);
      const parent = await this.options.store.get(into);
      if (!parent) {
        throw new InputError(`Parent incident '${into}' not found`);
      }
      await this.authorizeIncident(
        incidentUpdatePermission,
        child,
        credentials,
        'merge',
      );
      await this.authorizeIncident(
        incidentUpdatePermission,
        parent,
        credentials,
        'merge into',
      );
      const result = await this.options.store.merge(
        child.id,
        parent.id,
        actorOf(credentials),
      );
      await this.publish(result, actorOf(credentials));
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
      const incident = await this.get(idOrRef, credentials);
      await this.authorizeIncident(
        incidentNotePermission,
        incident,
        credentials,
        'add to',
      );
      const result = await write(incident.id, actorOf(credentials));
      await this.publish(result, actorOf(credentials));
      return result;
    });
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
      const { ownerGroups } = await this.validateCatalogRefs(
        input.affectedServices,
        [],
        await this.options.auth.getOwnServiceCredentials(),
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
  ) {
    return this.audited('incident-move', undefined, async () => {
      const incident = await this.options.store.get(id);
      if (!incident) {
        throw new NotFoundError(`Incident '${id}' not found`);
      }
      const result = await this.options.store.move({
        id: incident.id,
        from: incident.status,
        to,
        actor,
        message,
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

  // ---- internals ----------------------------------------------------------

  private async isAllowed(
    permission: ResourcePermission,
    incident: Incident,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      // The paged users are read only when the decision asks about them.
      const { pagedUsers } = this.options;
      const resource: IncidentWithPages =
        pagedUsers && JSON.stringify(decision.conditions).includes('"IS_PAGED"')
          ? { ...incident, pagedUsers: await pagedUsers(incident.id) }
          : incident;
      return this.authorizeConditions(decision, resource);
    }
    return decision.result === AuthorizeResult.ALLOW;
  }

  /**
   * The caller's read decision as criteria for `whereIncidentAllowed`, for
   * lists of records attached to incidents (postmortems, action items);
   * undefined when every incident is readable. Denied callers get a
   * NotAllowedError.
   */
  async readCriteria(
    credentials: BackstageCredentials,
  ): Promise<IncidentPermissionCriteria | undefined> {
    const decision = await this.assertMayView(credentials);
    return decision.result === AuthorizeResult.CONDITIONAL
      ? this.toQueryCriteria(decision.conditions)
      : undefined;
  }

  /** Throws NotAllowedError unless the caller holds the permission on it. */
  async authorizeIncident(
    permission: ResourcePermission,
    incident: Incident,
    credentials: BackstageCredentials,
    what: string,
  ) {
    if (!(await this.isAllowed(permission, incident, credentials))) {
      throw new NotAllowedError(
        `You may not ${what} ${incident.ref} (${permission.name})`,
      );
    }
  }

  /** Throws NotAllowedError unless the caller holds the basic permission. */
  async authorizeBasic(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    what: string,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not ${what} (${permission.name})`);
    }
  }

  /**
   * Checks that every service and user exists in the catalog (a 400 names
   * the unknown ones) and returns the groups owning the services.
   */
  private async validateCatalogRefs(
    services: string[],
    users: string[],
    credentials: BackstageCredentials,
  ): Promise<{ ownerGroups: string[] }> {
    const refs = [...new Set([...services, ...users])];
    if (refs.length === 0) {
      return { ownerGroups: [] };
    }
    // Users look up with their own credentials (they must be able to see the
    // entities); services such as alert sources hold tokens restricted to
    // this plugin, so the plugin looks up on their behalf as itself.
    const lookupCredentials = this.options.auth.isPrincipal(credentials, 'user')
      ? credentials
      : await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials: lookupCredentials },
    );
    const unknown = refs.filter((_ref, index) => !items[index]);
    if (unknown.length) {
      throw new InputError(
        `Unknown catalog ${
          unknown.length === 1 ? 'entity' : 'entities'
        }: ${unknown.join(', ')}`,
      );
    }
    const ownerGroups = new Set<string>();
    refs.forEach((ref, index) => {
      if (!services.includes(ref)) return;
      for (const relation of items[index]?.relations ?? []) {
        if (relation.type === RELATION_OWNED_BY) {
          ownerGroups.add(relation.targetRef);
        }
      }
    });
    return { ownerGroups: [...ownerGroups] };
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

function optionalUser(ref: string | undefined, field: string) {
  return ref === undefined ? undefined : normalizeEntityRef(ref, 'user', field);
}
