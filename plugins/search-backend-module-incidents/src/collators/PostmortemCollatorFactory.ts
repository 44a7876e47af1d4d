import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import {
  DocumentCollatorFactory,
  IndexableDocument,
} from '@backstage/plugin-search-common';
import {
  DefaultApiClient,
  incidentReadPermission,
  pluginId,
  POSTMORTEM_SEARCH_TYPE,
  PostmortemSummary,
} from '@vigil/plugin-incidents-common';
import { Readable } from 'node:stream';

/**
 * A published postmortem as indexed. `authorization.resourceRef` is the
 * incident's id, so results are filtered by who may read the incident.
 * @public
 */
export interface PostmortemDocument extends IndexableDocument {
  incidentRef: string;
  incidentTitle: string;
  severity: string;
  /** Affected services (entity refs). */
  services: string[];
  publishedAt?: string;
  publishedBy?: string;
}

/** @public */
export interface PostmortemCollatorFactoryOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  /** Postmortems fetched per request; default 100. */
  batchSize?: number;
}

/**
 * Collates published postmortems from the incidents backend
 * (`GET /api/incidents/postmortems?status=published`), as the plugin itself
 * (a service token), page by page.
 * @public
 */
export class PostmortemCollatorFactory implements DocumentCollatorFactory {
  readonly type = POSTMORTEM_SEARCH_TYPE;
  readonly visibilityPermission = incidentReadPermission;

  static fromConfig(
    config: Config,
    options: Omit<PostmortemCollatorFactoryOptions, 'batchSize'>,
  ) {
    return new PostmortemCollatorFactory({
      ...options,
      batchSize: config.getOptionalNumber(
        'search.collators.incidentsPostmortems.batchSize',
      ),
    });
  }

  private readonly batchSize: number;

  constructor(private readonly options: PostmortemCollatorFactoryOptions) {
    this.batchSize = options.batchSize ?? 100;
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  async *execute(): AsyncGenerator<PostmortemDocument> {
    const { auth, discovery } = this.options;
    const api = new DefaultApiClient({ discoveryApi: discovery });
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    for (let offset = 0; ; offset += this.batchSize) {
      const response = await api.listPostmortems(
        {
          query: {
            status: ['published'],
            includeBody: true,
            limit: this.batchSize,
            offset,
          },
        },
        { token },
      );
      if (!response.ok) {
        throw await ResponseError.fromResponse(response as Response);
      }
      const page = await response.json();
      for (const postmortem of page.items) {
        yield toDocument(postmortem);
      }
      if (page.items.length < this.batchSize) {
        return;
      }
    }
  }
}

function toDocument(postmortem: PostmortemSummary): PostmortemDocument {
  const { incident } = postmortem;
  return {
    title: postmortem.title,
    text: markdownToText(postmortem.body ?? ''),
    location: `/incidents/${encodeURIComponent(incident.ref)}/postmortem`,
    authorization: { resourceRef: incident.id },
    incidentRef: incident.ref,
    incidentTitle: incident.title,
    severity: incident.severity,
    services: incident.affectedServices,
    publishedAt: postmortem.publishedAt,
    publishedBy: postmortem.publishedBy,
  };
}

/**
 * Plain text for the index and result snippets: Markdown's markup (heading
 * marks, emphasis, table pipes, link targets, task boxes) removed.
 */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*[-*+]\s+\[[ xX]\]\s+/gm, '')
    .replace(/^\s*\|?\s*-{3,}.*$/gm, '')
    .replace(/\|/g, ' ')
    .replace(/[*_`~]+/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
