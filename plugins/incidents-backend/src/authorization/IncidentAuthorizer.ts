/*
 * The one place a permission decision is turned into allow, deny or an SQL
 * filter. Every domain asks here: incidents for each change, postmortems,
 * alerts and escalation for reads of what belongs to incidents, on-call for
 * schedule changes.
 */
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  Incident,
  incidentAcknowledgePermission,
  IncidentActionPermissions,
  incidentCancelPermission,
  incidentNotePermission,
  incidentReadPermission,
  incidentResolvePermission,
  incidentUpdatePermission,
} from '@vigil/plugin-incidents-common';
import {
  IncidentPermissionCriteria,
  IncidentPermissionQuery,
  IncidentWithPages,
  isPaged,
} from '@vigil/plugin-incidents-node';
import { usesRule } from './conditions';

/** What a caller may read of incidents, for list queries. */
export interface ReadFilter {
  /** Set when the decision is conditional: the incidents it allows. */
  criteria?: IncidentPermissionCriteria;
}

/**
 * One read decision of a caller, taken once per request and used both as
 * list criteria and for single incidents (no second permission call).
 */
export interface ReadAccess extends ReadFilter {
  /** The caller may read no incident at all. */
  denied: boolean;
  /** Whether the decision allows reading `incident`. */
  allows(incident: Incident): Promise<boolean>;
}

/** The permission behind each action the war room offers. */
const ACTION_PERMISSIONS: Record<
  keyof IncidentActionPermissions,
  ResourcePermission
> = {
  acknowledge: incidentAcknowledgePermission,
  resolve: incidentResolvePermission,
  cancel: incidentCancelPermission,
  update: incidentUpdatePermission,
  note: incidentNotePermission,
};

/** Decides incident permissions for a caller. */
export class IncidentAuthorizer {
  private readonly applyConditions: ReturnType<
    typeof createConditionAuthorizer<Incident, IncidentPermissionQuery>
  >;
  private readonly toCriteria: ConditionTransformer<IncidentPermissionQuery>;

  constructor(
    private readonly options: {
      permissions: PermissionsService;
      /** The incident permission rules, to evaluate conditional decisions. */
      ruleset: PermissionRuleset<Incident, IncidentPermissionQuery>;
      /**
       * The users paged for an incident, for decisions that use the
       * `IS_PAGED` rule (without it, that rule matches nobody).
       */
      pagedUsers?: (incidentId: string) => Promise<string[]>;
    },
  ) {
    this.applyConditions = createConditionAuthorizer(options.ruleset);
    this.toCriteria = createConditionTransformer(options.ruleset);
  }

  /** Throws NotAllowedError unless the caller holds the basic permission. */
  async authorizeBasic(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not ${what} (${permission.name})`);
    }
  }

  /** Whether the caller holds each permission on the incident, in one call. */
  async decide(
    permissions: ResourcePermission[],
    incident: Incident,
    credentials: BackstageCredentials,
  ): Promise<boolean[]> {
    const decisions = await this.options.permissions.authorizeConditional(
      permissions.map(permission => ({ permission })),
      { credentials },
    );
    return this.apply(decisions, incident);
  }

  /** Applies decisions taken earlier to one incident. */
  private async apply(
    decisions: PolicyDecision[],
    incident: Incident,
  ): Promise<boolean[]> {
    let resource: IncidentWithPages = incident;
    const { pagedUsers } = this.options;
    // The paged users are read only when a decision asks about them.
    if (
      pagedUsers &&
      decisions.some(
        d => isConditional(d) && usesRule(d.conditions, isPaged.name),
      )
    ) {
      resource = { ...incident, pagedUsers: await pagedUsers(incident.id) };
    }
    return decisions.map(decision =>
      isConditional(decision)
        ? this.applyConditions(decision, resource)
        : decision.result === AuthorizeResult.ALLOW,
    );
  }

  /**
   * Whether the caller may read the incident and, if so, what it may do to
   * it (the war room's buttons): all in one permission call.
   */
  async readWithActions(
    incident: Incident,
    credentials: BackstageCredentials,
  ): Promise<IncidentActionPermissions | undefined> {
    const actions = Object.entries(ACTION_PERMISSIONS);
    const decisions = await this.options.permissions.authorizeConditional(
      [incidentReadPermission, ...actions.map(([, p]) => p)].map(
        permission => ({ permission }),
      ),
      { credentials },
    );
    if (decisions[0].result === AuthorizeResult.DENY) {
      throw viewDenied();
    }
    const [readable, ...allowed] = await this.apply(decisions, incident);
    if (!readable) return undefined;
    return Object.fromEntries(
      actions.map(([action], i) => [action, allowed[i]]),
    ) as IncidentActionPermissions;
  }

  async isAllowed(
    permission: ResourcePermission,
    incident: Incident,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [allowed] = await this.decide([permission], incident, credentials);
    return allowed;
  }

  /** Throws NotAllowedError unless the caller holds the permission on it. */
  async authorizeIncident(
    permission: ResourcePermission,
    incident: Incident,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    if (!(await this.isAllowed(permission, incident, credentials))) {
      throw notAllowed(permission, incident, what);
    }
  }

  /**
   * What the caller may read of incidents: everything (no criteria), or the
   * incidents a conditional decision allows, as criteria that list queries
   * turn into a WHERE clause (`whereIncidentAllowed`) so pages stay full.
   * A denied caller gets a NotAllowedError.
   */
  async readFilter(credentials: BackstageCredentials): Promise<ReadFilter> {
    const { denied, criteria } = await this.readAccess(credentials);
    if (denied) {
      throw viewDenied();
    }
    return criteria ? { criteria } : {};
  }

  /**
   * Throws NotAllowedError unless the caller may read at least some
   * incidents: the bar for what belongs to incident response without
   * belonging to one incident (who is on call, schedules, escalation
   * policies, a component's runbooks). `what` completes "You may not ...".
   */
  async authorizeViewer(
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    const { denied } = await this.readAccess(credentials);
    if (denied) {
      throw new NotAllowedError(
        `You may not ${what} (${incidentReadPermission.name})`,
      );
    }
  }

  /** The caller's read decision, in one permission call (see {@link ReadAccess}). */
  async readAccess(credentials: BackstageCredentials): Promise<ReadAccess> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: incidentReadPermission }],
      { credentials },
    );
    return {
      denied: decision.result === AuthorizeResult.DENY,
      criteria: isConditional(decision)
        ? this.toCriteria(decision.conditions)
        : undefined,
      allows: async incident => (await this.apply([decision], incident))[0],
    };
  }
}

/**
 * The error for a caller who may read no incident at all: a 403 whether or
 * not the incident asked for exists (an incident hidden by a conditional
 * decision is "not found" instead).
 */
export function viewDenied(): NotAllowedError {
  return new NotAllowedError('You may not view incidents');
}

/** The error for a refused permission on an incident. */
export function notAllowed(
  permission: ResourcePermission,
  incident: Pick<Incident, 'ref'>,
  what: string,
): NotAllowedError {
  return new NotAllowedError(
    `You may not ${what} ${incident.ref} (${permission.name})`,
  );
}

function isConditional(
  decision: PolicyDecision,
): decision is Extract<
  PolicyDecision,
  { result: AuthorizeResult.CONDITIONAL }
> {
  return decision.result === AuthorizeResult.CONDITIONAL;
}
