import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter, userOrService } from '../lib/http';
import { RunbookService } from './RunbookService';

/** `GET /incidents/{id}/runbooks` and `GET /runbooks?entityRef=`. */
export function registerRunbookRoutes(
  router: ApiRouter,
  options: { service: RunbookService; httpAuth: HttpAuthService },
) {
  const { service, httpAuth } = options;

  router.get('/incidents/:id/runbooks', async (req, res) => {
    res.json(
      await service.forIncident(
        req.params.id,
        await userOrService(httpAuth, req),
      ),
    );
  });

  router.get('/runbooks', async (req, res) => {
    res.json(
      await service.forEntity(
        req.query.entityRef,
        await userOrService(httpAuth, req),
      ),
    );
  });
}
