import { HttpAuthService } from '@backstage/backend-plugin-api';
import { PostmortemStatus } from '@vigil/plugin-incidents-common';
import { ApiRouter, userOnly, userOrService } from '../lib/http';
import { normalizeEntityRef } from '../lib/identity';
import { PostmortemService } from './PostmortemService';

/**
 * Postmortems, their revisions and related postmortems. Reads take users and services (the search collator);
 * writes are made by people, so they take users only.
 */
export function registerPostmortemRoutes(
  router: ApiRouter,
  options: { service: PostmortemService; httpAuth: HttpAuthService },
) {
  const { service, httpAuth } = options;
  type Req = Parameters<HttpAuthService['credentials']>[0];
  const reader = (req: Req) => userOrService(httpAuth, req);
  const writer = (req: Req) => userOnly(httpAuth, req);

  router.get('/incidents/:id/postmortem', async (req, res) => {
    res.json(await service.get(req.params.id, await reader(req)));
  });

  router.post('/incidents/:id/postmortem', async (req, res) => {
    const { created, postmortem } = await service.start(
      req.params.id,
      await writer(req),
      req,
    );
    res.status(created ? 201 : 200).json(postmortem);
  });

  router.put('/incidents/:id/postmortem', async (req, res) => {
    const { postmortem } = await service.save(
      req.params.id,
      req.body,
      await writer(req),
      req,
    );
    res.json(postmortem);
  });

  router.post('/incidents/:id/postmortem/status', async (req, res) => {
    const { postmortem } = await service.move(
      req.params.id,
      {
        status: req.body.status as PostmortemStatus,
        version: req.body.version,
      },
      await writer(req),
      req,
    );
    res.json(postmortem);
  });

  router.get('/incidents/:id/postmortem/revisions', async (req, res) => {
    const items = await service.revisions(req.params.id, await reader(req));
    res.json({ items });
  });

  router.get('/incidents/:id/related-postmortems', async (req, res) => {
    const items = await service.related(req.params.id, await reader(req));
    res.json({ items });
  });

  router.get('/postmortems', async (req, res) => {
    const q = req.query;
    const result = await service.list(
      {
        status: q.status as PostmortemStatus[] | undefined,
        entityRef: q.entityRef
          ? normalizeEntityRef(q.entityRef, 'component', 'entityRef')
          : undefined,
        includeBody: q.includeBody,
        limit: q.limit ?? 100,
        offset: q.offset ?? 0,
      },
      await reader(req),
    );
    res.json(result);
  });
}
