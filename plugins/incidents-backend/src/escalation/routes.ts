import { HttpAuthService } from '@backstage/backend-plugin-api';
import { IncidentService } from '../incidents/IncidentService';
import { normalizeEntityRef } from '../service/identity';
import { ApiRouter } from '../service/types';
import { EscalationService } from './EscalationService';

/** Escalation policies, an incident's escalations, and my open pages. */
export function registerEscalationRoutes(
  router: ApiRouter,
  options: {
    service: EscalationService;
    incidents: IncidentService;
    httpAuth: HttpAuthService;
  },
) {
  const { service, incidents, httpAuth } = options;

  router.get('/escalation-policies', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { entityRef } = req.query;
    const items = entityRef
      ? await service.policiesForEntity(
          normalizeEntityRef(entityRef, 'component', 'entityRef'),
        )
      : service.listPolicies();
    res.json({ items, pagingSeverities: service.pagingSeverities() });
  });

  router.get('/incidents/:id/escalations', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Whoever may see the incident may see who was paged for it.
    const incident = await incidents.get(req.params.id, credentials);
    res.json({ items: await service.escalationsOf(incident.id) });
  });

  router.get('/pages/mine', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({
      items: await service.openPagesOf(credentials.principal.userEntityRef),
    });
  });
}
