/*
 * The public documents, cached so a crowd never reaches the database once
 * per request.
 *
 * Guarantees:
 * - Each document is built once per page state: the snapshot is kept with
 *   the page version it was built at (`statuspage_state.version`, raised by
 *   every public change on any replica) and rebuilt when the version moved,
 *   when a maintenance window starts or ends, or after a minute (uptime
 *   counts by the clock).
 * - The version is read at most once per `recheckMs` (default 1 s) per
 *   replica, by one request while the others wait for it, so a public change
 *   is visible everywhere within about a second.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import { IncidentReader } from '../incidents/IncidentStore';
import { StatusPageConfig } from './config';
import { buildSnapshot, PageSnapshot } from './publicView';
import { renderBadge } from './render/badge';
import { buildFeed } from './render/feeds';
import { renderPage } from './render/html';
import { StatusPageStore } from './StatusPageStore';

/** The documents the public endpoints serve. */
export type PublicDocument =
  | 'summary'
  | 'status'
  | 'components'
  | 'incidents'
  | 'unresolved'
  | 'maintenances'
  | 'upcoming'
  | 'active'
  | 'uptime'
  | 'html'
  | 'atom'
  | 'rss'
  | 'badge';

/** A rendered document. */
export interface Rendered {
  body: Buffer;
  etag: string;
  contentType: string;
}

const DAY_MS = 86_400_000;
const MAX_AGE_MS = 60_000;

type Cached = {
  version: number;
  builtAt: number;
  validUntil: number;
  snapshot: PageSnapshot;
  documents: Map<PublicDocument, Rendered>;
};

/** Builds, caches and serves the public documents. */
export class PublicStatusPage {
  private cached: Cached | undefined;
  private checkedAt = 0;
  /** Raised by `invalidate`: a refresh that began before it proves nothing. */
  private epoch = 0;
  private pending: Promise<Cached> | undefined;

  constructor(
    private readonly options: {
      store: StatusPageStore;
      reader: IncidentReader;
      config: StatusPageConfig;
      /** Public names of the listed components. */
      names: () => Promise<Map<string, string>>;
      /** Where the public endpoints are served (`…/api/incidents/public`). */
      baseUrl: string;
      logger: LoggerService;
      now?: () => Date;
      recheckMs?: number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** The page's URL: configured, else the HTML page of this backend. */
  get pageUrl() {
    return this.options.config.url ?? `${this.options.baseUrl}/status`;
  }

  /** The current snapshot (for the portal's admin view, too). */
  async snapshot(): Promise<PageSnapshot> {
    return (await this.current()).snapshot;
  }

  async render(document: PublicDocument): Promise<Rendered> {
    const cached = await this.current();
    let rendered = cached.documents.get(document);
    if (!rendered) {
      rendered = this.renderDocument(document, cached);
      cached.documents.set(document, rendered);
    }
    return rendered;
  }

  /** Forgets the snapshot (a change made by this replica). */
  invalidate() {
    this.epoch += 1;
    this.checkedAt = 0;
    if (this.cached) this.cached.validUntil = 0;
  }

  private async current(): Promise<Cached> {
    const now = this.now().getTime();
    const { cached } = this;
    if (
      cached &&
      now - this.checkedAt < (this.options.recheckMs ?? 1000) &&
      now < cached.validUntil
    ) {
      return cached;
    }
    // One request checks (and rebuilds); the others wait for it.
    if (!this.pending) {
      this.pending = this.refresh().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async refresh(): Promise<Cached> {
    const epoch = this.epoch;
    const version = await this.options.store.version();
    const now = this.now();
    const { cached } = this;
    if (
      cached &&
      cached.version === version &&
      now.getTime() < cached.validUntil &&
      now.getTime() - cached.builtAt < MAX_AGE_MS
    ) {
      if (epoch === this.epoch) this.checkedAt = now.getTime();
      return cached;
    }
    const snapshot = await this.build(now);
    const fresh = epoch === this.epoch;
    if (fresh) this.checkedAt = now.getTime();
    this.cached = {
      version,
      builtAt: now.getTime(),
      // Built from a state older than a local change: serve it once, rebuild next.
      validUntil: fresh
        ? Math.min(snapshot.validUntil, now.getTime() + MAX_AGE_MS)
        : 0,
      snapshot,
      documents: new Map(),
    };
    return this.cached;
  }

  private async build(now: Date): Promise<PageSnapshot> {
    const { store, reader, config } = this.options;
    const since = new Date(now.getTime() - 90 * DAY_MS);
    const [records, maintenances, names] = await Promise.all([
      store.listPublished({ since, limit: 500 }),
      store.listMaintenance({ endsAfter: since, limit: 200 }),
      this.options.names(),
    ]);
    const facts = await reader.summaries(records.map(r => r.incidentId));
    return buildSnapshot({
      config,
      names,
      incidents: records.flatMap(record => {
        const incident = facts.get(record.incidentId);
        return incident ? [{ record, incident }] : [];
      }),
      maintenances,
      pageUrl: this.pageUrl,
      now,
    });
  }

  private renderDocument(document: PublicDocument, cached: Cached): Rendered {
    const s = cached.snapshot;
    const json = (value: unknown) => ({
      body: Buffer.from(JSON.stringify(value)),
      contentType: 'application/json; charset=utf-8',
    });
    const { page } = s;
    const made = (() => {
      switch (document) {
        case 'summary':
          return json({
            page,
            components: s.components,
            incidents: s.unresolved,
            scheduled_maintenances: [...s.active, ...s.upcoming],
            status: s.status,
          });
        case 'status':
          return json({ page, status: s.status });
        case 'components':
          return json({ page, components: s.components });
        case 'incidents':
          return json({ page, incidents: s.incidents });
        case 'unresolved':
          return json({ page, incidents: s.unresolved });
        case 'maintenances':
          return json({ page, scheduled_maintenances: s.maintenances });
        case 'upcoming':
          return json({ page, scheduled_maintenances: s.upcoming });
        case 'active':
          return json({ page, scheduled_maintenances: s.active });
        case 'uptime':
          return json({ page, components: s.uptime });
        case 'html':
          return {
            body: Buffer.from(renderPage(s, new Date(cached.builtAt))),
            contentType: 'text/html; charset=utf-8',
          };
        case 'atom':
          return {
            body: Buffer.from(buildFeed(s, this.options.baseUrl).atom1()),
            contentType: 'application/atom+xml; charset=utf-8',
          };
        case 'rss':
          return {
            body: Buffer.from(buildFeed(s, this.options.baseUrl).rss2()),
            contentType: 'application/rss+xml; charset=utf-8',
          };
        default:
          return {
            body: Buffer.from(renderBadge(s)),
            contentType: 'image/svg+xml',
          };
      }
    })();
    const digest = createHash('sha1').update(made.body).digest('base64url');
    return { ...made, etag: `"${cached.version}-${digest.slice(0, 16)}"` };
  }
}
