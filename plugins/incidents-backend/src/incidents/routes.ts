import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  IncidentSortField,
  IncidentStatus,
} from '@vigil/plugin-incidents-common';
import { ApiRouter } from '../service/types';
import { normalizeEntityRef } from '../service/identity';
import { IncidentService } from './IncidentService';
import { IncidentStore } from './types';

/** The incident endpoints of the API contract. */
export function registerIncidentRoutes(
  router: ApiRouter,
  options: {
    service: IncidentService;
    store: IncidentStore;
    httpAuth: HttpAuthService;
  },
) {
  const { service, store, httpAuth } = options;
  const credentialsOf = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/incidents', async (req, res) => {
    const q = req.query;
    const result = await service.list(
      {
        status: q.status as IncidentStatus[] | undefined,
        severity: q.severity,
        entityRef: q.entityRef,
        owner: q.owner,
        q: q.q,
        sort: q.sort as IncidentSortField | undefined,
        order: q.order,
        limit: q.limit,
        cursor: q.cursor,
      },
      await credentialsOf(req),
    );
    res.json(result);
  });

  router.post('/incidents', async (req, res) => {
    const result = await service.open(req.body, await credentialsOf(req), req);
    res.status(result.created ? 201 : 200).json(result.incident);
  });

  router.get('/incidents/:id', async (req, res) => {
    res.json(await service.get(req.params.id, await credentialsOf(req)));
  });

  router.patch('/incidents/:id', async (req, res) => {
    const result = await service.update(
      req.params.id,
      req.body,
      await credentialsOf(req),
      req,
    );
    res.json(result.incident);
  });

  router.post('/incidents/:id/status', async (req, res) => {
    const result = await service.move(
      req.params.id,
      req.body.status,
      req.body.message,
      await credentialsOf(req),
      req,
    );
    res.json(result.incident);
  });

  router.get('/incidents/:id/timeline', async (req, res) => {
    const items = await service.getTimeline(
      req.params.id,
      await credentialsOf(req),
    );
    res.json({ items });
  });

  router.post('/incidents/:id/timeline', async (req, res) => {
    const result = await service.contribute(
      req.params.id,
      'incident-note',
      await credentialsOf(req),
      req,
      (id, actor) =>
        store.addTimelineEntry(
          id,
          { kind: 'note', message: req.body.message, links: req.body.links },
          actor,
        ),
    );
    res.status(201).json(result.entry);
  });

  router.post('/incidents/:id/merge', async (req, res) => {
    const result = await service.merge(
      req.params.id,
      req.body.into,
      await credentialsOf(req),
      req,
    );
    res.json(result.incident);
  });

  router.post('/incidents/:id/status-updates', async (req, res) => {
    const result = await service.contribute(
      req.params.id,
      'incident-status-update',
      await credentialsOf(req),
      req,
      (id, actor) => store.addStatusUpdate(id, req.body, actor),
    );
    res.status(201).json(result.statusUpdate);
  });

  router.post('/incidents/:id/evidence', async (req, res) => {
    const result = await service.contribute(
      req.params.id,
      'incident-evidence',
      await credentialsOf(req),
      req,
      (id, actor) => store.addEvidence(id, req.body, actor),
    );
    res.status(201).json(result.evidence);
  });

  router.post('/incidents/:id/action-items', async (req, res) => {
    const owner = actionItemOwner(req.body.owner);
    const result = await service.contribute(
      req.params.id,
      'incident-action-item',
      await credentialsOf(req),
      req,
      (id, actor) => store.addActionItem(id, { ...req.body, owner }, actor),
    );
    res.status(201).json(result.actionItem);
  });

  router.patch('/incidents/:id/action-items/:itemId', async (req, res) => {
    const owner = actionItemOwner(req.body.owner);
    const result = await service.contribute(
      req.params.id,
      'incident-action-item',
      await credentialsOf(req),
      req,
      (id, actor) =>
        store.updateActionItem(
          id,
          req.params.itemId,
          { ...req.body, owner },
          actor,
        ),
    );
    res.json(result.actionItem);
  });
}

/** An action item's owner as a full user ref (`carol` → `user:default/carol`). */
function actionItemOwner(owner: string | undefined) {
  return owner ? normalizeEntityRef(owner, 'user', 'owner') : undefined;
}
