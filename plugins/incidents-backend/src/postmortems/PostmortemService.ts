import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Incident,
  Runbook,
  incidentUpdatePermission,
  Postmortem,
  PostmortemStatus,
  postmortemPublishPermission,
  STATUS_VERBS,
} from '@vigil/plugin-incidents-common';
import { Request } from 'express';
import { IncidentAuthorizer } from '../authorization/IncidentAuthorizer';
import {
  IncidentChangeResult,
  IncidentReader,
} from '../incidents/IncidentStore';
import { IncidentService } from '../incidents/IncidentService';
import { audited } from '../lib/audit';
import { actorOf } from '../lib/identity';
import { PostmortemConfig } from './config';
import {
  assertEditable,
  MOVE_VERBS,
  planPostmortemMove,
  staleVersion,
} from './flow';
import { PostmortemListQuery, PostmortemStore } from './PostmortemStore';
import { renderTemplate } from './template';

/**
 * Postmortems: started from the configured template when an incident moves
 * to `postmortem`, edited with a version check, reviewed, and published by
 * admins. Reading needs the incident's read permission; editing, review and
 * new revisions its update permission; publishing the publish permission.
 */
export class PostmortemService {
  constructor(
    private readonly options: {
      store: PostmortemStore;
      incidents: IncidentService;
      incidentReader: IncidentReader & {
        getTimeline(id: string): ReturnType<IncidentService['getTimeline']>;
      };
      authorizer: IncidentAuthorizer;
      auditor: AuditorService;
      logger: LoggerService;
      config: PostmortemConfig;
      /** The incident's runbooks, for the `runbooks` placeholder. */
      runbooks?: (incident: Incident) => Promise<Runbook[]>;
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
    return this.mustGet(incident);
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
        await this.options.authorizer.authorizeIncident(
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
      const incident = await this.options.incidents.authorized(
        idOrRef,
        incidentUpdatePermission,
        credentials,
        'edit the postmortem of',
      );
      const current = await this.mustGet(incident);
      assertEditable(current);
      const { store } = this.options;
      if (
        !(await store.save(current, input, actorOf(credentials), this.now()))
      ) {
        throw staleVersion(
          incident.ref,
          input.version,
          await this.mustGet(incident),
        );
      }
      return { postmortem: await this.mustGet(incident) };
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
    const publishing = input.status === 'published';
    return this.audited(
      `incident-postmortem-${publishing ? 'publish' : 'move'}`,
      request,
      async () => {
        const { incidents, authorizer, store, incidentReader } = this.options;
        const incident = await incidents.get(idOrRef, credentials);
        if (publishing) {
          await authorizer.authorizeBasic(
            postmortemPublishPermission,
            credentials,
            'publish postmortems',
          );
        } else {
          await authorizer.authorizeIncident(
            incidentUpdatePermission,
            incident,
            credentials,
            input.status === 'review'
              ? 'send to review the postmortem of'
              : 'reopen the postmortem of',
          );
        }
        const actor = actorOf(credentials);
        const current = await this.mustGet(incident);
        const move = planPostmortemMove(current, input.status, input.version);
        const entry = await store.move(current, move, actor, this.now());
        if (!entry) {
          throw staleVersion(
            incident.ref,
            move.from.version,
            await this.mustGet(incident),
          );
        }
        const fresh = (await incidentReader.get(incident.id)) ?? incident;
        await incidents.publish(
          { incident: fresh, verb: MOVE_VERBS[input.status], entry },
          actor,
        );
        return { postmortem: await this.mustGet(incident) };
      },
    );
  }

  async revisions(idOrRef: string, credentials: BackstageCredentials) {
    const postmortem = await this.get(idOrRef, credentials);
    return this.options.store.revisions(postmortem.id);
  }

  /** Published postmortems of earlier incidents touching its services. */
  async related(idOrRef: string, credentials: BackstageCredentials) {
    // One read decision for the incident and the postmortems listed.
    const access = await this.options.authorizer.readAccess(credentials);
    const incident = await this.options.incidents.getReadable(idOrRef, access);
    return this.options.store.related({
      incident,
      limit: 20,
      permissionCriteria: access.criteria,
    });
  }

  async list(
    query: Omit<PostmortemListQuery, 'permissionCriteria'>,
    credentials: BackstageCredentials,
  ) {
    const { criteria } = await this.options.authorizer.readFilter(credentials);
    return this.options.store.list({ ...query, permissionCriteria: criteria });
  }

  // ---- internals --------------------------------------------------------

  private async mustGet(
    incident: Pick<Incident, 'id' | 'ref'>,
  ): Promise<Postmortem> {
    const postmortem = await this.options.store.get(incident.id);
    if (!postmortem) {
      throw new NotFoundError(
        `${incident.ref} has no postmortem yet; it starts when the resolved incident moves to 'postmortem'`,
      );
    }
    return postmortem;
  }

  private async ensureStarted(incident: Incident, actor: string) {
    const { incidentReader, store, config } = this.options;
    const existing = await store.get(incident.id);
    if (existing) {
      return { created: false, postmortem: existing };
    }
    const detail = await incidentReader.getDetail(incident.id);
    if (!detail) {
      throw new NotFoundError(`Incident '${incident.id}' not found`);
    }
    const timeline = await incidentReader.getTimeline(incident.id);
    const { title, body } = renderTemplate(config.template, {
      incident: detail,
      timeline,
      actionItems: detail.actionItems,
      runbooks: await this.runbooksOf(detail),
    });
    return store.start(
      { incidentId: incident.id, title, body },
      actor,
      this.now(),
    );
  }

  // Runbooks are a courtesy: the postmortem starts without them.
  private async runbooksOf(incident: Incident): Promise<Runbook[]> {
    try {
      return (await this.options.runbooks?.(incident)) ?? [];
    } catch (error) {
      this.options.logger.warn(
        `Could not read the runbooks of ${incident.ref}: ${error}`,
      );
      return [];
    }
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
