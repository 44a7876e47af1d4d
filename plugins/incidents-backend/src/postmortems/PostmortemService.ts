import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  incidentUpdatePermission,
  PostmortemStatus,
  postmortemPublishPermission,
  STATUS_VERBS,
} from '@vigil/plugin-incidents-common';
import { Request } from 'express';
import { IncidentService } from '../incidents/IncidentService';
import { IncidentChangeResult, IncidentStore } from '../incidents/types';
import { audited } from '../service/audit';
import { actorOf } from '../service/identity';
import { PostmortemConfig } from './config';
import {
  ActionItemQuery,
  DatabasePostmortemStore,
  PostmortemListQuery,
} from './DatabasePostmortemStore';
import { renderTemplate } from './template';

/** The verbs of postmortem moves, for events and signals. */
const MOVE_VERBS: Record<PostmortemStatus, string> = {
  review: 'postmortem_in_review',
  draft: 'postmortem_draft',
  published: 'postmortem_published',
};

/**
 * Postmortems: started from the configured template when an incident moves
 * to `postmortem`, edited with a version check, reviewed, and published by
 * admins. Reading needs the incident's read permission; editing, review and
 * new revisions its update permission; publishing the publish permission.
 */
export class PostmortemService {
  constructor(
    private readonly options: {
      store: DatabasePostmortemStore;
      incidents: IncidentService;
      incidentStore: IncidentStore;
      auditor: AuditorService;
      logger: LoggerService;
      config: PostmortemConfig;
      /** The clock; tests move it. */
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Told of every committed incident change: moving a resolved incident to
   * `postmortem` starts its postmortem. A failure is logged; starting again
   * (`POST /incidents/{id}/postmortem`) creates it.
   */
  async onIncidentChange(change: IncidentChangeResult, actor: string) {
    if (change.verb !== STATUS_VERBS.postmortem) {
      return;
    }
    try {
      await this.ensureStarted(change.incident, actor);
    } catch (error) {
      this.options.logger.warn(
        `Could not start the postmortem of ${change.incident.ref}: ${error}`,
      );
    }
  }

  async get(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.options.incidents.get(idOrRef, credentials);
    const postmortem = await this.options.store.get(incident.id);
    if (!postmortem) {
      throw new NotFoundError(
        `${incident.ref} has no postmortem yet; it starts when the resolved incident moves to 'postmortem'`,
      );
    }
    return postmortem;
  }

  /**
   * Starts the postmortem: moves a resolved incident to `postmortem` (which
   * creates it), or creates a missing one for an incident already there.
   */
  async start(
    idOrRef: string,
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-postmortem-start', request, async () => {
      const { incidents } = this.options;
      let incident: Incident = await incidents.get(idOrRef, credentials);
      const moving = incident.status === 'resolved';
      if (moving) {
        // The move's own permission check applies; the listener starts it.
        incident = (
          await incidents.move(
            incident.id,
            'postmortem',
            undefined,
            credentials,
            request,
          )
        ).incident;
      } else if (incident.status === 'postmortem') {
        await incidents.authorizeIncident(
          incidentUpdatePermission,
          incident,
          credentials,
          'start the postmortem of',
        );
      } else {
        throw new ConflictError(
          `${incident.ref} is '${incident.status}'; its postmortem starts once it is resolved`,
        );
      }
      const result = await this.ensureStarted(incident, actorOf(credentials));
      // The move's listener usually created it already.
      return { ...result, created: result.created || moving };
    });
  }

  async save(
    idOrRef: string,
    input: { body: string; version: number },
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited('incident-postmortem-save', request, async () => {
      const incident = await this.options.incidents.get(idOrRef, credentials);
      await this.options.incidents.authorizeIncident(
        incidentUpdatePermission,
        incident,
        credentials,
        'edit the postmortem of',
      );
      const postmortem = await this.options.store.save(
        incident.id,
        input,
        actorOf(credentials),
        this.now(),
      );
      return { postmortem };
    });
  }

  /**
   * Moves the postmortem along `draft → review → published` (or back to
   * draft). Publishing needs the publish permission (admins); the rest the
   * incident's update permission.
   */
  async move(
    idOrRef: string,
    input: { status: PostmortemStatus; version?: number },
    credentials: BackstageCredentials,
    request?: Request,
  ) {
    return this.audited(
      `incident-postmortem-${
        input.status === 'published' ? 'publish' : 'move'
      }`,
      request,
      async () => {
        const { incidents, store, incidentStore } = this.options;
        const incident = await incidents.get(idOrRef, credentials);
        if (input.status === 'published') {
          await incidents.authorizeBasic(
            postmortemPublishPermission,
            credentials,
            'publish postmortems',
          );
        } else {
          await incidents.authorizeIncident(
            incidentUpdatePermission,
            incident,
            credentials,
            input.status === 'review'
              ? 'send to review the postmortem of'
              : 'reopen the postmortem of',
          );
        }
        const actor = actorOf(credentials);
        const { postmortem, entry } = await store.move(
          incident.id,
          { to: input.status, version: input.version },
          actor,
          this.now(),
        );
        const fresh = (await incidentStore.get(incident.id)) ?? incident;
        await incidents.publish(
          { incident: fresh, verb: MOVE_VERBS[input.status], entry },
          actor,
        );
        return { postmortem };
      },
    );
  }

  async revisions(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.options.incidents.get(idOrRef, credentials);
    return this.options.store.revisions(incident.id);
  }

  /** Published postmortems of earlier incidents touching its services. */
  async related(idOrRef: string, credentials: BackstageCredentials) {
    const incident = await this.options.incidents.get(idOrRef, credentials);
    return this.options.store.related(
      incident,
      20,
      await this.options.incidents.readCriteria(credentials),
    );
  }

  async list(
    query: Omit<PostmortemListQuery, 'permissionCriteria'>,
    credentials: BackstageCredentials,
  ) {
    return this.options.store.list({
      ...query,
      permissionCriteria: await this.options.incidents.readCriteria(
        credentials,
      ),
    });
  }

  async listActionItems(
    query: Omit<ActionItemQuery, 'permissionCriteria' | 'dueBefore'> & {
      overdue?: boolean;
    },
    credentials: BackstageCredentials,
  ) {
    const today = this.now().toISOString().slice(0, 10);
    const { overdue, ...rest } = query;
    return this.options.store.listActionItems(
      {
        ...rest,
        // Overdue: still open and due before today.
        ...(overdue ? { done: false, dueBefore: today } : {}),
        permissionCriteria: await this.options.incidents.readCriteria(
          credentials,
        ),
      },
      today,
    );
  }

  // ---- internals --------------------------------------------------------

  private async ensureStarted(incident: Incident, actor: string) {
    const { incidentStore, store, config } = this.options;
    const existing = await store.get(incident.id);
    if (existing) {
      return { created: false, postmortem: existing };
    }
    const detail = await incidentStore.getDetail(incident.id);
    if (!detail) {
      throw new NotFoundError(`Incident '${incident.id}' not found`);
    }
    const timeline = await incidentStore.getTimeline(incident.id);
    const { title, body } = renderTemplate(config.template, {
      incident: detail,
      timeline,
      actionItems: detail.actionItems,
    });
    return store.start(
      { incidentId: incident.id, title, body },
      actor,
      this.now(),
    );
  }

  private audited<T extends { postmortem: { id: string } }>(
    eventId: string,
    request: Request | undefined,
    action: () => Promise<T>,
  ): Promise<T> {
    return audited(
      this.options.auditor,
      { eventId, request },
      action,
      result => ({ postmortemId: result.postmortem.id }),
    );
  }
}
