import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter, userOnly, userOrService } from '../lib/http';
import { BlastRadiusService } from './BlastRadiusService';

/** `GET /incidents/{id}/blast-radius` and `POST …/blast-radius/notify`. */
export function registerBlastRadiusRoutes(
  router: ApiRouter,
  options: { service: BlastRadiusService; httpAuth: HttpAuthService },
) {
  const { service, httpAuth } = options;

  router.get('/incidents/:id/blast-radius', async (req, res) => {
    res.json(
      await service.forIncident(
        req.params.id,
        await userOrService(httpAuth, req),
      ),
    );
  });

  router.post('/incidents/:id/blast-radius/notify', async (req, res) => {
    res.json(
      await service.notifyOwners(req.params.id, await userOnly(httpAuth, req)),
    );
  });
}
