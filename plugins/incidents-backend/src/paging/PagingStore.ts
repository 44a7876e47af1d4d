import {
  IncidentPageRecord,
  MyOpenPage,
  PageDelivery,
  Severity,
} from '@vigil/plugin-incidents-common';
import { Knex } from 'knex';

/** A page to write: one recipient paged by one escalation timer. */
export interface NewPage {
  id: string;
  incidentId: string;
  escalationId: string;
  timerId: string;
  round: number;
  step: number;
  recipient: string;
  /** The target that named the recipient (schedule, user or group). */
  via: string;
  dueAt: Date;
  /** The pagers to deliver it through, one delivery each. */
  pagerIds: string[];
}

/** A message to a channel (not a page), for the outbox. */
export interface NewMessage {
  /** The channel that sends it, e.g. `statuspage:<subscriber>`. */
  channelId: string;
  payload: Record<string, unknown>;
  /** The incident it is about (chat posts), listed in its Paging card. */
  incidentId?: string;
}

/** A channel message about an incident, with its delivery audit. */
export interface ChannelMessageRecord {
  channelId: string;
  /** What it tells (e.g. `opened`, `status`), from its payload. */
  event?: string;
  createdAt: string;
  delivery: PageDelivery;
}

/** A delivery claimed for sending: a page, or a channel message. */
export interface ClaimedDelivery {
  id: string;
  pagerId: string;
  attempts: number;
  /** Set for a channel message. */
  payload?: Record<string, unknown>;
  /** Set for a page. */
  page?: {
    id: string;
    recipient: string;
    step: number;
    round: number;
    dueAt: Date;
  };
  incident?: {
    id: string;
    ref: string;
    title: string;
    severity: Severity;
  };
}

/** A page as acknowledge links see it. */
export interface PageRef {
  id: string;
  incidentId: string;
  recipient: string;
  step: number;
  dueAt: Date;
}

/** How failed deliveries are retried. */
export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Pages and their deliveries: an outbox written with the page (in the
 * caller's transaction), each delivery leased while it is sent, retried with
 * backoff, and every attempt recorded.
 */
export interface PagingStore {
  addPages(tx: Knex.Transaction, pages: NewPage[], now: Date): Promise<void>;
  /** Puts channel messages in the outbox, inside the caller's transaction. */
  addMessages(
    tx: Knex.Transaction,
    messages: NewMessage[],
    now: Date,
  ): Promise<void>;
  /**
   * Claims deliveries that are due (new, due for a retry, or whose lease ran
   * out because the sender died) and leases them for `leaseMs`.
   */
  claimDeliveries(options: {
    now: Date;
    limit: number;
    leaseMs: number;
  }): Promise<ClaimedDelivery[]>;
  /**
   * Records one delivery attempt: sent, or failed and scheduled for a retry
   * with exponential backoff until `maxAttempts`.
   */
  recordAttempt(options: {
    deliveryId: string;
    attempt: number;
    ok: boolean;
    error?: string;
    durationMs: number;
    now: Date;
    retry: RetryPolicy;
  }): Promise<void>;
  /** An incident's pages with their deliveries, by escalation id. */
  pagesOf(incidentId: string): Promise<Map<string, IncidentPageRecord[]>>;
  /** The recipient's latest page on each incident nobody acknowledged yet. */
  openPagesOf(recipient: string, limit?: number): Promise<MyOpenPage[]>;
  /**
   * Pages sent in [from, to), one per interruption: a page within 60 s of
   * the recipient's previous one counts with it.
   */
  interruptions(options: {
    from: Date;
    to: Date;
    /** Only pages of these incidents (a subquery selecting `id`). */
    incidents?: Knex.QueryBuilder;
  }): Promise<Array<{ recipient: string; at: Date; via?: string }>>;
  /** Changes whenever a page is added: a cache key for figures over pages. */
  pagesStamp(): Promise<string>;
  /** Users paged on an incident (for "the paged user may acknowledge"). */
  pagedUsers(incidentId: string): Promise<string[]>;
  /** Channel messages about an incident (chat posts), oldest first. */
  messagesOf(incidentId: string): Promise<ChannelMessageRecord[]>;
  /** One page by id (acknowledge links name it). */
  getPage(pageId: string): Promise<PageRef | undefined>;
}
