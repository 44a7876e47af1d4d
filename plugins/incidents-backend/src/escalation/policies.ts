import { AuthService } from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ESCALATION_POLICY,
  EscalationPolicy,
  Severity,
} from '@vigil/plugin-incidents-common';
import { EscalationConfig } from './config';

/**
 * Which escalation policies page an incident: per service, the policy its
 * catalog annotation names (on the component, else on its owner group),
 * else a policy listing the service; with none, the default policy for the
 * severity (`defaultPolicy`, else the first one listing no services).
 */
export class PolicySelector {
  constructor(
    private readonly options: {
      config: Pick<
        EscalationConfig,
        'policies' | 'defaultPolicy' | 'pagingSeverities'
      >;
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  async policiesFor(
    severity: Severity,
    services: string[],
  ): Promise<EscalationPolicy[]> {
    const { config } = this.options;
    const candidates = config.policies.filter(p =>
      p.severities.includes(severity),
    );
    const chosen = new Map<string, EscalationPolicy>();
    const annotated = await this.annotatedPolicies(services);
    for (const service of services) {
      const byAnnotation = candidates.find(
        p => p.id === annotated.get(service),
      );
      const policy =
        byAnnotation ?? candidates.find(p => p.services.includes(service));
      if (policy) {
        chosen.set(policy.id, policy);
      }
    }
    if (chosen.size === 0) {
      const fallback = config.defaultPolicy
        ? candidates.find(p => p.id === config.defaultPolicy)
        : candidates.find(p => p.services.length === 0);
      if (fallback) {
        chosen.set(fallback.id, fallback);
      }
    }
    return [...chosen.values()];
  }

  /** The policies that would page for a component, over paging severities. */
  async policiesForEntity(entityRef: string): Promise<EscalationPolicy[]> {
    const chosen = new Map<string, EscalationPolicy>();
    for (const severity of this.options.config.pagingSeverities) {
      for (const policy of await this.policiesFor(severity, [entityRef])) {
        chosen.set(policy.id, policy);
      }
    }
    return [...chosen.values()];
  }

  /** The policy id each service's annotation (or its owner's) names. */
  private async annotatedPolicies(
    services: string[],
  ): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (services.length === 0) return result;
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: services, fields: ['metadata.annotations', 'relations'] },
      { credentials },
    );
    const owners = new Map<string, string>();
    services.forEach((service, i) => {
      const entity = items[i];
      const own = entity?.metadata?.annotations?.[ANNOTATION_ESCALATION_POLICY];
      if (own) {
        result.set(service, own);
        return;
      }
      const owner = entity?.relations?.find(r => r.type === RELATION_OWNED_BY);
      if (owner) owners.set(service, owner.targetRef);
    });
    const ownerRefs = [...new Set(owners.values())];
    if (ownerRefs.length) {
      const groups = await catalog.getEntitiesByRefs(
        { entityRefs: ownerRefs, fields: ['metadata.annotations'] },
        { credentials },
      );
      for (const [service, owner] of owners) {
        const group = groups.items[ownerRefs.indexOf(owner)];
        const id = group?.metadata?.annotations?.[ANNOTATION_ESCALATION_POLICY];
        if (id) result.set(service, id);
      }
    }
    return result;
  }
}
