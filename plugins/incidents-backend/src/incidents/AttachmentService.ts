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
import { requireCalendarDate, requireHttpUrl, requireText } from '../lib/input';
import { CatalogRefValidator } from './catalogRefs';
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
      catalogRefs: CatalogRefValidator;
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
    const message = requireText(body.message, 'message');
    const links = body.links?.map((link, i) => ({
      ...link,
      url: requireHttpUrl(link.url, `links[${i}].url`),
    }));
    return incidents.contribute(
      idOrRef,
      'incident-note',
      credentials,
      request,
      (id, actor) =>
        store.addTimelineEntry(id, { kind: 'note', message, links }, actor),
    );
  }

  addStatusUpdate(
    idOrRef: string,
    body: AddStatusUpdate['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    const update = { ...body, message: requireText(body.message, 'message') };
    return incidents.contribute(
      idOrRef,
      'incident-status-update',
      credentials,
      request,
      (id, actor) => store.addStatusUpdate(id, update, actor),
    );
  }

  addEvidence(
    idOrRef: string,
    body: AddEvidence['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    requireHttpUrl(body.url, 'url');
    return incidents.contribute(
      idOrRef,
      'incident-evidence',
      credentials,
      request,
      (id, actor) => store.addEvidence(id, body, actor),
    );
  }

  async addActionItem(
    idOrRef: string,
    body: AddActionItem['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    const item = await this.checkActionItem(body, credentials);
    return incidents.contribute(
      idOrRef,
      'incident-action-item',
      credentials,
      request,
      (id, actor) =>
        store.addActionItem(id, { ...item, title: item.title! }, actor),
    );
  }

  async updateActionItem(
    idOrRef: string,
    itemId: string,
    body: UpdateActionItem['body'],
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    const { incidents, store } = this.options;
    const item = await this.checkActionItem(body, credentials);
    return incidents.contribute(
      idOrRef,
      'incident-action-item',
      credentials,
      request,
      (id, actor) => store.updateActionItem(id, itemId, item, actor),
    );
  }

  /**
   * An action item's fields checked: a title that is not blank, a due date
   * that exists, an http(s) link, an owner who is a user in the catalog
   * (as a full ref: `carol` → `user:default/carol`).
   */
  private async checkActionItem<T extends UpdateActionItem['body']>(
    body: T,
    credentials: BackstageCredentials,
  ): Promise<T> {
    const owner = body.owner
      ? normalizeEntityRef(body.owner, 'user', 'owner')
      : undefined;
    const item = {
      ...body,
      owner,
      title:
        body.title === undefined ? undefined : requireText(body.title, 'title'),
      dueDate: body.dueDate && requireCalendarDate(body.dueDate, 'dueDate'),
      link: body.link && requireHttpUrl(body.link, 'link'),
    };
    if (owner) {
      await this.options.catalogRefs.requireUser(owner, 'owner', credentials);
    }
    return item;
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
