import { Config } from '@backstage/config';
import { Severity } from '@vigil/plugin-incidents-common';
import { parseSeverities } from '../lib/config';
import { normalizeEntityRef } from '../lib/identity';
import { DateTime } from 'luxon';

/** A component shown on the public page. */
export interface PublicComponentDefinition {
  /** The catalog entity (lower case). */
  entityRef: string;
  /** The public name. Default: the entity's title or name. */
  name?: string;
  description?: string;
  /** Components with the same group are shown together under it. */
  group?: string;
}

/** A webhook subscriber of the public page. */
export interface StatusPageSubscriber {
  id: string;
  url: string;
  /** HMAC-SHA256 key, as the paging webhooks. */
  secret: string;
}

/** `incidents.statusPage`. */
export interface StatusPageConfig {
  enabled: boolean;
  /** A stable id for `page.id`. Default: derived from the name. */
  id: string;
  name: string;
  /** The page's public URL (links, feeds, shortlinks). */
  url?: string;
  /** IANA zone the page's days (uptime history) are counted in. */
  timeZone: string;
  /** Incidents of these severities touching a listed component are published at once. */
  autoPublishSeverities: Severity[];
  components: PublicComponentDefinition[];
  subscribers: StatusPageSubscriber[];
}

export const DISABLED_STATUS_PAGE: StatusPageConfig = {
  enabled: false,
  id: 'status',
  name: 'Status',
  timeZone: 'UTC',
  autoPublishSeverities: ['sev1', 'sev2'],
  components: [],
  subscribers: [],
};

/**
 * Reads `incidents.statusPage`. A bad value stops the backend with a
 * message naming the key; that each component exists in the catalog is
 * checked once the backend has started (see StatusPageService).
 */
export function readStatusPageConfig(root: Config): StatusPageConfig {
  const config = root.getOptionalConfig('incidents.statusPage');
  if (!config || config.getOptionalBoolean('enabled') === false) {
    return DISABLED_STATUS_PAGE;
  }
  const key = 'incidents.statusPage';
  const name = config.getOptionalString('name') ?? 'Status';
  const timeZone = config.getOptionalString('timeZone') ?? 'UTC';
  if (!DateTime.now().setZone(timeZone).isValid) {
    throw new Error(`${key}.timeZone: '${timeZone}' is not an IANA time zone`);
  }
  const url = config.getOptionalString('url');
  if (url !== undefined && !/^https?:\/\//.test(url)) {
    throw new Error(`${key}.url must be an http(s) URL`);
  }
  const seen = new Set<string>();
  const components = (config.getOptionalConfigArray('components') ?? []).map(
    (c, i): PublicComponentDefinition => {
      const where = `${key}.components[${i}].entityRef`;
      const entityRef = normalizeEntityRef(
        c.getString('entityRef'),
        'component',
        where,
      );
      if (seen.has(entityRef)) {
        throw new Error(`${where}: '${entityRef}' is listed twice`);
      }
      seen.add(entityRef);
      return {
        entityRef,
        name: c.getOptionalString('name'),
        description: c.getOptionalString('description'),
        group: c.getOptionalString('group'),
      };
    },
  );
  const subscribers = (config.getOptionalConfigArray('subscribers') ?? []).map(
    (c, i): StatusPageSubscriber => {
      const id = c.getString('id');
      const subscriberUrl = c.getString('url');
      if (!/^https?:\/\//.test(subscriberUrl)) {
        throw new Error(
          `${key}.subscribers[${i}] (${id}): url must be http(s)`,
        );
      }
      return { id, url: subscriberUrl, secret: c.getString('secret') };
    },
  );
  return {
    enabled: true,
    id:
      config.getOptionalString('id') ??
      (name
        .toLocaleLowerCase('en-US')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') ||
        'status'),
    name,
    url,
    timeZone,
    autoPublishSeverities: config.has('autoPublishSeverities')
      ? parseSeverities(
          config.getStringArray('autoPublishSeverities'),
          `${key}.autoPublishSeverities`,
        )
      : ['sev1', 'sev2'],
    components,
    subscribers,
  };
}
