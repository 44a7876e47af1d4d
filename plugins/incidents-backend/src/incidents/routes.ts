import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  IncidentSortField,
  IncidentStatus,
} from '@vigil/plugin-incidents-common';
import { ApiRouter, userOrService } from '../lib/http';
import { normalizeEntityRef } from '../lib/identity';
import { AttachmentService } from './AttachmentService';
import { IncidentService } from './IncidentService';

/** The incident endpoints: the incident, its timeline and attachments. */
export function registerIncidentRoutes(
  router: ApiRouter,
  options: {
    incidents: IncidentService;
    attachments: AttachmentService;
    httpAuth: HttpAuthService;
  },
) {
  registerLifecycleRoutes(router, options);
  registerAttachmentRoutes(router, options);
}

/** The incident itself: list, open, read, edit, move, merge, timeline. */
function registerLifecycleRoutes(
  router: ApiRouter,
  options: {
    incidents: IncidentService;
    attachments: AttachmentService;
    httpAuth: HttpAuthService;
  },
) {
  const { incidents, httpAuth } = options;
  const caller = (req: Parameters<typeof userOrService>[1]) =>
    userOrService(httpAuth, req);

  router.get('/incidents', async (req, res) => {
    const q = req.query;
    const result = await incidents.list(
      {
        status: q.status as IncidentStatus[] | undefined,
        severity: q.severity,
        entityRef: q.entityRef
          ? normalizeEntityRef(q.entityRef, 'component', 'entityRef')
          : undefined,
        owner: q.owner?.map(o => normalizeEntityRef(o, 'group', 'owner')),
        participant: q.participant
          ? normalizeEntityRef(q.participant, 'user', 'participant')
          : undefined,
        q: q.q,
        sort: q.sort as IncidentSortField | undefined,
        order: q.order,
        limit: q.limit,
        cursor: q.cursor,
      },
      await caller(req),
    );
    res.json(result);
  });

  router.post('/incidents', async (req, res) => {
    const result = await incidents.open(req.body, await caller(req), req);
    res.status(result.created ? 201 : 200).json(result.incident);
  });

  router.get('/incidents/:id', async (req, res) => {
    const credentials = await caller(req);
    res.json(
      req.query.permissions
        ? await incidents.getWithPermissions(req.params.id, credentials)
        : await incidents.get(req.params.id, credentials),
    );
  });

  router.patch('/incidents/:id', async (req, res) => {
    const { id } = req.params;
    const result = await incidents.update(id, req.body, await caller(req), req);
    res.json(result.incident);
  });

  router.post('/incidents/:id/status', async (req, res) => {
    const { status, message, source } = req.body;
    const result = await incidents.move(
      req.params.id,
      status,
      message,
      await caller(req),
      req,
      { source },
    );
    res.json(result.incident);
  });

  router.get('/incidents/:id/timeline', async (req, res) => {
    const { id } = req.params;
    res.json({ items: await incidents.getTimeline(id, await caller(req)) });
  });

  router.post('/incidents/:id/merge', async (req, res) => {
    const { id } = req.params;
    const result = await incidents.merge(
      id,
      req.body.into,
      await caller(req),
      req,
    );
    res.json(result.incident);
  });
}

/** What members add to incidents, and action items across incidents. */
function registerAttachmentRoutes(
  router: ApiRouter,
  options: { attachments: AttachmentService; httpAuth: HttpAuthService },
) {
  const { attachments, httpAuth } = options;
  const caller = (req: Parameters<typeof userOrService>[1]) =>
    userOrService(httpAuth, req);

  router.post('/incidents/:id/timeline', async (req, res) => {
    const { id } = req.params;
    const result = await attachments.addNote(
      id,
      req.body,
      await caller(req),
      req,
    );
    res.status(201).json(result.entry);
  });

  router.post('/incidents/:id/status-updates', async (req, res) => {
    const { id } = req.params;
    const result = await attachments.addStatusUpdate(
      id,
      req.body,
      await caller(req),
      req,
    );
    res.status(201).json(result.statusUpdate);
  });

  router.post('/incidents/:id/evidence', async (req, res) => {
    const { id } = req.params;
    const result = await attachments.addEvidence(
      id,
      req.body,
      await caller(req),
      req,
    );
    res.status(201).json(result.evidence);
  });

  router.post('/incidents/:id/action-items', async (req, res) => {
    const { id } = req.params;
    const result = await attachments.addActionItem(
      id,
      req.body,
      await caller(req),
      req,
    );
    res.status(201).json(result.actionItem);
  });

  router.patch('/incidents/:id/action-items/:itemId', async (req, res) => {
    const { id, itemId } = req.params;
    const result = await attachments.updateActionItem(
      id,
      itemId,
      req.body,
      await caller(req),
      req,
    );
    res.json(result.actionItem);
  });

  router.get('/action-items', async (req, res) => {
    const q = req.query;
    const result = await attachments.listActionItems(
      {
        owner: q.owner
          ? normalizeEntityRef(q.owner, 'user', 'owner')
          : undefined,
        entityRef: q.entityRef
          ? normalizeEntityRef(q.entityRef, 'component', 'entityRef')
          : undefined,
        done: q.done,
        overdue: q.overdue,
        limit: q.limit ?? 100,
      },
      await caller(req),
    );
    res.json(result);
  });
}
