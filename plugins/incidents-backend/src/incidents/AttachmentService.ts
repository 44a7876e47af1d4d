import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AddActionItem,
  AddEvidence,
  AddStatusUpdate,
  AddTimelineNote,
  UpdateActionItem,
} from '@vigil/plugin-incidents-common';
import { Request } from 'express';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import { normalizeEntityRef } from '../lib/identity';
import { ActionItemQuery, IncidentStore } from './IncidentStore';
import { IncidentService } from './IncidentService';

/**
 * What any member may add to an incident (notes, status updates, evidence,
 * action items: the note permission), and the action items across
 * incidents, which the postmortem reminders track to done.
 */
export class AttachmentService {
  constructor(
    private readonly options: {
      incidents: IncidentService;
      store: IncidentStore;
      authorizer: IncidentAuthorizer;
      now?: () => Date;
    },
  ) {}

  addNote(
    idOrRef: string,
    body: AddTimelineNote['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    return incidents.contribute(
      idOrRef,
      'incident-note',
      credentials,
      request,
      (id, actor) =>
        store.addTimelineEntry(
          id,
          { kind: 'note', message: body.message, links: body.links },
          actor,
        ),
    );
  }

  addStatusUpdate(
    idOrRef: string,
    body: AddStatusUpdate['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    return incidents.contribute(
      idOrRef,
      'incident-status-update',
      credentials,
      request,
      (id, actor) => store.addStatusUpdate(id, body, actor),
    );
  }

  addEvidence(
    idOrRef: string,
    body: AddEvidence['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    return incidents.contribute(
      idOrRef,
      'incident-evidence',
      credentials,
      request,
      (id, actor) => store.addEvidence(id, body, actor),
    );
  }

  addActionItem(
    idOrRef: string,
    body: AddActionItem['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    const owner = actionItemOwner(body.owner);
    return incidents.contribute(
      idOrRef,
      'incident-action-item',
      credentials,
      request,
      (id, actor) => store.addActionItem(id, { ...body, owner }, actor),
    );
  }

  updateActionItem(
    idOrRef: string,
    itemId: string,
    body: UpdateActionItem['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    const owner = actionItemOwner(body.owner);
    return incidents.contribute(
      idOrRef,
      'incident-action-item',
      credentials,
      request,
      (id, actor) =>
        store.updateActionItem(id, itemId, { ...body, owner }, actor),
    );
  }

  /** Action items across incidents the caller may read. */
  async listActionItems(
    query: Omit<ActionItemQuery, 'permissionCriteria' | 'dueBefore'> & {
      overdue?: boolean;
    },
    credentials: BackstageCredentials,
  ) {
    const today = (this.options.now?.() ?? new Date())
      .toISOString()
      .slice(0, 10);
    const { overdue, ...rest } = query;
    const { criteria } = await this.options.authorizer.readFilter(credentials);
    return this.options.store.listActionItems(
      {
        ...rest,
        // Overdue: still open and due before today.
        ...(overdue ? { done: false, dueBefore: today } : {}),
        permissionCriteria: criteria,
      },
      today,
    );
  }
}

/** An action item's owner as a full user ref (`carol` → `user:default/carol`). */
function actionItemOwner(owner: string | undefined) {
  return owner ? normalizeEntityRef(owner, 'user', 'owner') : undefined;
}
