import { HttpAuthService } from '@backstage/backend-plugin-api';
import { IncidentService } from '../incidents/IncidentService';
import { ApiRouter, userOrService } from '../lib/http';
import { normalizeEntityRef } from '../lib/identity';
import { EscalationService } from './EscalationService';
import { PagingService } from '../paging/PagingService';

/** Escalation policies and an incident's escalations. */
export function registerEscalationRoutes(
  router: ApiRouter,
  options: {
    service: EscalationService;
    incidents: IncidentService;
    paging: Pick<PagingService, 'messagesOf'>;
    httpAuth: HttpAuthService;
  },
) {
  const { service, incidents, paging, httpAuth } = options;

  router.get('/escalation-policies', async (req, res) => {
    await incidents.authorizeViewer(
      await userOrService(httpAuth, req),
      'view escalation policies',
    );
    const { entityRef } = req.query;
    const items = entityRef
      ? await service.policiesForEntity(
          normalizeEntityRef(entityRef, 'component', 'entityRef'),
        )
      : service.listPolicies();
    res.json({ items, pagingSeverities: service.pagingSeverities() });
  });

  router.get('/incidents/:id/escalations', async (req, res) => {
    const credentials = await userOrService(httpAuth, req);
    // Whoever may see the incident may see who was paged for it.
    const incident = await incidents.get(req.params.id, credentials);
    res.json({
      items: await service.escalationsOf(incident.id),
      chatPosts: await paging.messagesOf(incident.id),
    });
  });
}
