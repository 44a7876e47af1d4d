import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter, userOnly } from '../lib/http';
import { AckLinkService } from './AckLinkService';

/** Acknowledge links: what one acknowledges, and acknowledging with it. */
export function registerChatRoutes(
  router: ApiRouter,
  options: { ackLinks: AckLinkService; httpAuth: HttpAuthService },
) {
  const { ackLinks, httpAuth } = options;
  router.post('/ack-links/inspect', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    res.json(await ackLinks.inspect(req.body.token, credentials));
  });
  router.post('/ack-links/acknowledge', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    res.json(await ackLinks.acknowledge(req.body.token, credentials, req));
  });
}
