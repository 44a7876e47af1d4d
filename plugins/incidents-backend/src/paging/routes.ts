import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter, userOnly } from '../lib/http';
import { PagingService } from './PagingService';

/** The signed-in user's open pages. */
export function registerPagingRoutes(
  router: ApiRouter,
  options: { service: PagingService; httpAuth: HttpAuthService },
) {
  const { service, httpAuth } = options;

  router.get('/pages/mine', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    res.json({
      items: await service.openPagesOf(credentials.principal.userEntityRef),
    });
  });
}
