/*
 * The demo portal's permission policy: Vigil's permission table from the
 * design, everything else allowed.
 *
 * | what                      | who                                          |
 * | ------------------------- | -------------------------------------------- |
 * | view, open, add notes     | every member                                 |
 * | acknowledge               | a user paged for the incident, the owning    |
 * |                           | team of an affected service (the team on     |
 * |                           | call), the commander, or an admin            |
 * | mitigate, resolve         | the responder, the commander, or an admin    |
 * | edit, merge, postmortem   | the responder, the commander, or an admin    |
 * | cancel                    | admins                                       |
 * | status page: publish,     | the commander, the comms owner, or an admin  |
 * | public updates            |                                              |
 * | swap requests             | every member (the backend lets members give  |
 * |                           | only their own slots, answer only requests   |
 * |                           | made to them)                                |
 * | edit rotas, publish,      | admins                                       |
 * | maintenance               |                                              |
 *
 * Admins are members of the groups in `incidents.adminGroups`.
 *
 * Service principals (static tokens, other plugins) never reach a policy:
 * Backstage's permissions service decides for them from their
 * `backend.auth.externalAccess[].accessRestrictions` (the demo restricts
 * the Alertmanager token to `incidents.alert.create`), and the incidents
 * plugin applies `incidents.servicePrincipals` (see app-config.yaml).
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  incidentAcknowledgePermission,
  incidentCreatePermission,
  incidentNotePermission,
  incidentReadPermission,
  incidentResolvePermission,
  incidentUpdatePermission,
  oncallSwapPermission,
  statusPagePublishPermission,
} from '@vigil/plugin-incidents-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Vigil's permission table; allows everything outside Vigil. */
export class VigilDemoPolicy implements PermissionPolicy {
  private readonly adminGroups: Set<string>;

  constructor(adminGroups: string[]) {
    this.adminGroups = new Set(adminGroups.map(g => g.toLocaleLowerCase()));
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('incidents.')) {
      return ALLOW;
    }
    if (!user) {
      return DENY;
    }
    const claims = [
      ...new Set(
        [user.info.userEntityRef, ...user.info.ownershipEntityRefs].map(c =>
          c.toLocaleLowerCase(),
        ),
      ),
    ];
    if (claims.some(c => this.adminGroups.has(c))) {
      return ALLOW;
    }
    if (
      isPermission(permission, incidentReadPermission) ||
      isPermission(permission, incidentCreatePermission) ||
      isPermission(permission, incidentNotePermission) ||
      isPermission(permission, oncallSwapPermission)
    ) {
      return ALLOW;
    }
    if (isPermission(permission, incidentAcknowledgePermission)) {
      // The paged on-call user, the owning team (who is on call for its
      // services) or the commander.
      return createIncidentConditionalDecision(permission, {
        anyOf: [
          incidentConditions.isPaged({ claims }),
          incidentConditions.isOwnedBy({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    }
    if (
      isPermission(permission, incidentResolvePermission) ||
      isPermission(permission, incidentUpdatePermission)
    ) {
      return createIncidentConditionalDecision(permission, {
        anyOf: [
          incidentConditions.isResponder({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    }
    if (isPermission(permission, statusPagePublishPermission)) {
      // What customers read: the commander or the comms owner.
      return createIncidentConditionalDecision(permission, {
        anyOf: [
          incidentConditions.isCommander({ claims }),
          incidentConditions.isCommsOwner({ claims }),
        ],
      });
    }
    // cancel, rota changes, postmortem publishing, maintenance: admins only
    return DENY;
  }
}

/** Installs {@link VigilDemoPolicy} with the admin groups from app-config. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'vigil-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ policy, config }) {
        policy.setPolicy(
          new VigilDemoPolicy(
            config.getOptionalStringArray('incidents.adminGroups') ?? [],
          ),
        );
      },
    });
  },
});
