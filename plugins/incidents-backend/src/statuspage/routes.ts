import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter, userOnly, userOrService } from '../lib/http';
import { MaintenanceService } from './MaintenanceService';
import { StatusPageOverviews } from './overview';
import { StatusPageService } from './StatusPageService';

/**
 * The status page in the portal: an incident's public record, public
 * updates, maintenance windows and the overview. (The public page itself is
 * `publicRoutes.ts`.)
 */
export function registerStatusPageRoutes(
  router: ApiRouter,
  options: {
    service: StatusPageService;
    maintenance: MaintenanceService;
    overviews: StatusPageOverviews;
    httpAuth: HttpAuthService;
  },
) {
  const { service, maintenance, overviews, httpAuth } = options;

  router.get('/status-page', async (req, res) => {
    res.json(await overviews.overview(await userOrService(httpAuth, req)));
  });

  router.get('/status-page/maintenances', async (req, res) => {
    await overviews.assertMayView(await userOrService(httpAuth, req));
    res.json({ items: await maintenance.list() });
  });

  router.post('/status-page/maintenances', async (req, res) => {
    const created = await maintenance.create(
      req.body,
      await userOnly(httpAuth, req),
    );
    res.status(201).json(created);
  });

  router.patch('/status-page/maintenances/:maintenanceId', async (req, res) => {
    res.json(
      await maintenance.update(
        req.params.maintenanceId,
        req.body,
        await userOnly(httpAuth, req),
      ),
    );
  });

  router.get('/incidents/:id/status-page', async (req, res) => {
    const result = await service.forIncident(
      req.params.id,
      await userOrService(httpAuth, req),
    );
    res.json(result);
  });

  router.post('/incidents/:id/status-page', async (req, res) => {
    res.json(
      await service.publish(
        req.params.id,
        req.body ?? {},
        await userOnly(httpAuth, req),
      ),
    );
  });

  router.patch('/incidents/:id/status-page', async (req, res) => {
    res.json(
      await service.edit(
        req.params.id,
        req.body,
        await userOnly(httpAuth, req),
      ),
    );
  });

  router.delete('/incidents/:id/status-page', async (req, res) => {
    res.json(
      await service.unpublish(req.params.id, await userOnly(httpAuth, req)),
    );
  });

  router.post('/incidents/:id/status-page/updates', async (req, res) => {
    const record = await service.postUpdate(
      req.params.id,
      req.body,
      await userOnly(httpAuth, req),
    );
    res.status(201).json(record);
  });
}
