/*
 * Least privilege for service principals beyond what Backstage's
 * `backend.auth.externalAccess[].accessRestrictions` can say.
 *
 * Backstage's permissions service answers a service principal without the
 * permission policy: everything is allowed unless the token's access
 * restrictions name permissions (then only those). That covers tokens that
 * call this plugin directly (alert sources, the seeder). It cannot cover a
 * token that another plugin forwards: Backstage refuses to forward a token
 * whose restrictions name permissions ("restricted and cannot be
 * delegated"), and the forwarded call arrives as the forwarding plugin
 * (`plugin:mcp-actions`) with no restrictions at all. `incidents.
 * servicePrincipals` lists, per service subject (a static token's subject,
 * or `plugin:<id>` for a plugin), the only Vigil permissions it may hold;
 * everything else is denied, in the permission decisions themselves.
 */
import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { incidentsPermissions } from '@vigil/plugin-incidents-common';

/** The Vigil permissions one service subject may hold. */
export interface ServicePrincipalAccess {
  /** `credentials.principal.subject`: a static token's subject, `plugin:<id>`. */
  subject: string;
  /** Permission names; every other Vigil permission is denied. */
  permissions: string[];
}

/** Reads `incidents.servicePrincipals`; a bad entry names its key. */
export function readServicePrincipals(
  config: Config,
): ServicePrincipalAccess[] {
  const known = new Set(incidentsPermissions.map(p => p.name));
  const entries = config.getOptionalConfigArray('incidents.servicePrincipals');
  const seen = new Set<string>();
  return (entries ?? []).map((entry, i) => {
    const key = `incidents.servicePrincipals[${i}]`;
    const subject = entry.getString('subject');
    if (seen.has(subject)) {
      throw new Error(`${key}.subject: '${subject}' is listed twice`);
    }
    seen.add(subject);
    const permissions = entry.getStringArray('permissions');
    for (const name of permissions) {
      if (!known.has(name)) {
        throw new Error(
          `${key}.permissions: '${name}' is not a Vigil permission (one of ${[
            ...known,
          ].join(', ')})`,
        );
      }
    }
    return { subject, permissions };
  });
}

/**
 * The permissions service, with each listed service subject denied every
 * permission it is not given. Other callers' decisions are unchanged.
 */
export function restrictServicePrincipals(
  permissions: PermissionsService,
  auth: Pick<AuthService, 'isPrincipal'>,
  access: ServicePrincipalAccess[],
): PermissionsService {
  if (!access.length) {
    return permissions;
  }
  const bySubject = new Map(
    access.map(a => [a.subject, new Set(a.permissions)]),
  );
  const allowedFor = (credentials: BackstageCredentials) =>
    auth.isPrincipal(credentials, 'service')
      ? bySubject.get(credentials.principal.subject)
      : undefined;
  const restrict = <D>(
    requests: Array<{ permission: { name: string } }>,
    credentials: BackstageCredentials,
    decisions: D[],
  ): Array<D | { result: AuthorizeResult.DENY }> => {
    const allowed = allowedFor(credentials);
    return allowed
      ? decisions.map((decision, i) =>
          allowed.has(requests[i].permission.name)
            ? decision
            : { result: AuthorizeResult.DENY },
        )
      : decisions;
  };
  return {
    async authorize(requests, options) {
      const decisions = await permissions.authorize(requests, options);
      return restrict(requests, options.credentials, decisions) as any;
    },
    async authorizeConditional(requests, options) {
      const decisions = await permissions.authorizeConditional(
        requests,
        options,
      );
      return restrict(requests, options.credentials, decisions) as any;
    },
  };
}
