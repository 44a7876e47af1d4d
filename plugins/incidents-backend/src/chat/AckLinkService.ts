import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AcknowledgementSource,
  Incident,
} from '@vigil/plugin-incidents-common';
import { Request } from 'express';
import { IncidentService } from '../incidents/IncidentService';
import { IncidentReader } from '../incidents/IncidentStore';
import { PageRef, PagingStore } from '../paging/PagingStore';
import { AckLinkStore } from './AckLinkStore';
import {
  AckTokenClaims,
  AckTokenError,
  ackTokenId,
  signAckToken,
  verifyAckToken,
} from './ackTokens';

/** What the confirmation page shows before the user acknowledges. */
export interface AckLinkInspection {
  pageId: string;
  recipient: string;
  step: number;
  expiresAt: string;
  incident: Pick<Incident, 'id' | 'ref' | 'title' | 'severity' | 'status'> & {
    responder?: string;
  };
  /** Whether acknowledging would work now. */
  canAcknowledge: boolean;
  /** Why not, when it would not. */
  reason?: string;
}

/**
 * One-click acknowledge links: a signed, expiring token bound to a page and
 * the paged user (see ackTokens.ts), accepted once. The portal's
 * confirmation page acknowledges with the signed-in user's own credentials
 * (the usual permission checks apply) and only when that user is the one
 * the page was sent to; Slack's button does the same for the Slack user
 * mapped to the paged user (see SlackInteractions).
 */
export class AckLinkService {
  constructor(
    private readonly options: {
      store: AckLinkStore;
      pages: Pick<PagingStore, 'getPage'>;
      incidents: IncidentService;
      reader: IncidentReader;
      secret?: string;
      ttlMs: number;
      appBaseUrl: string;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  get enabled(): boolean {
    return Boolean(this.options.secret);
  }

  /** The token of a page: the same for every delivery of it. */
  tokenFor(page: Pick<PageRef, 'id' | 'recipient' | 'dueAt'>) {
    if (!this.options.secret) return undefined;
    return signAckToken(this.options.secret, {
      pageId: page.id,
      userRef: page.recipient,
      expiresAt: new Date(page.dueAt.getTime() + this.options.ttlMs),
    });
  }

  /** The portal's confirmation page for a page, or undefined when off. */
  linkFor(page: Pick<PageRef, 'id' | 'recipient' | 'dueAt'>) {
    const token = this.tokenFor(page);
    return token
      ? `${this.options.appBaseUrl}/incidents/ack?token=${token}`
      : undefined;
  }

  /** What the token would acknowledge, for the signed-in user. */
  async inspect(
    token: string,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<AckLinkInspection> {
    const { claims, page, incident } = await this.resolve(
      token,
      credentials.principal.userEntityRef,
    );
    const refusal = await this.refusal(token, incident);
    return {
      pageId: page.id,
      recipient: page.recipient,
      step: page.step,
      expiresAt: claims.expiresAt.toISOString(),
      incident: {
        id: incident.id,
        ref: incident.ref,
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
        responder: incident.responder,
      },
      canAcknowledge: !refusal,
      reason: refusal?.message,
    };
  }

  /** Acknowledges with the signed-in user's credentials (source `link`). */
  async acknowledge(
    token: string,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
    request?: Request,
  ): Promise<Incident> {
    const { claims, incident } = await this.resolve(
      token,
      credentials.principal.userEntityRef,
    );
    const refusal = await this.refusal(token, incident);
    if (refusal) throw refusal;
    const result = await this.options.incidents.move(
      incident.id,
      'investigating',
      undefined,
      credentials,
      request,
      { source: 'link', within: tx => this.recordUse(tx, token, claims) },
    );
    return result.incident;
  }

  /**
   * Acknowledges as `userRef`, who was mapped from a chat user (source
   * `slack`): allowed only for the user the page was sent to. See the
   * README ("Chat and acknowledge links") for why this is the check.
   */
  async acknowledgeAs(
    token: string,
    userRef: string,
    source: AcknowledgementSource,
  ): Promise<Incident> {
    const { claims, incident } = await this.resolve(token, userRef);
    const refusal = await this.refusal(token, incident);
    if (refusal) throw refusal;
    const result = await this.options.incidents.moveAsSystem(
      incident.id,
      'investigating',
      undefined,
      userRef,
      { source, within: tx => this.recordUse(tx, token, claims) },
    );
    return result.incident;
  }

  /** Verifies the token and that `userRef` is the one it was sent to. */
  private async resolve(token: string, userRef: string) {
    if (!this.options.secret) {
      throw new NotFoundError('Acknowledge links are not configured');
    }
    let claims: AckTokenClaims;
    try {
      claims = verifyAckToken(this.options.secret, token, this.now());
    } catch (e) {
      if (e instanceof AckTokenError) {
        throw new InputError(`token: ${e.message}`);
      }
      throw e;
    }
    const page = await this.options.pages.getPage(claims.pageId);
    if (!page || page.recipient !== claims.userRef) {
      throw new InputError('token: This acknowledge link names no page');
    }
    if (claims.userRef.toLocaleLowerCase() !== userRef.toLocaleLowerCase()) {
      throw new NotAllowedError(
        `This acknowledge link was sent to ${claims.userRef}; you are ${userRef}. Acknowledge from the incident page instead.`,
      );
    }
    const incident = await this.options.reader.get(page.incidentId);
    if (!incident) {
      throw new NotFoundError(`Incident of page ${page.id} not found`);
    }
    return { claims, page, incident };
  }

  /** Why acknowledging would fail now (used token, already acknowledged). */
  private async refusal(
    token: string,
    incident: Incident,
  ): Promise<Error | undefined> {
    const use = await this.options.store.findUse(ackTokenId(token));
    if (use) {
      return new ConflictError(
        `This acknowledge link was already used at ${use.usedAt.toISOString()}`,
      );
    }
    if (incident.status !== 'open') {
      return new ConflictError(
        incident.acknowledgedAt
          ? `${incident.ref} was already acknowledged${
              incident.responder ? ` by ${incident.responder}` : ''
            } at ${incident.acknowledgedAt}`
          : `${incident.ref} is ${incident.status}; there is nothing to acknowledge`,
      );
    }
    return undefined;
  }

  private recordUse(tx: any, token: string, claims: AckTokenClaims) {
    return this.options.store.recordUse(tx, {
      tokenId: ackTokenId(token),
      pageId: claims.pageId,
      userRef: claims.userRef,
      usedAt: this.now(),
      expiresAt: claims.expiresAt,
    });
  }
}
