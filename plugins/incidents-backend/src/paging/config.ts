import { Config, readDurationFromConfig } from '@backstage/config';
import { Severity } from '@vigil/plugin-incidents-common';
import { durationMs, parseSeverities } from '../lib/config';
import { RetryPolicy } from './PagingStore';

/** An outbound paging webhook. */
export interface WebhookDefinition {
  id: string;
  url: string;
  /** HMAC-SHA256 key for the `x-vigil-signature` header. */
  secret: string;
  /** Only pages of these severities; default all. */
  severities?: Severity[];
}

/**
 * Reads `incidents.paging`: outbound webhooks and the retry policy of
 * deliveries. A bad definition stops the backend with a message naming it.
 */
export function readPagingConfig(config: Config): {
  webhooks: WebhookDefinition[];
  retry: RetryPolicy;
} {
  const webhooks = (
    config.getOptionalConfigArray('incidents.paging.webhooks') ?? []
  ).map((c, i): WebhookDefinition => {
    const id = c.getString('id');
    const url = c.getString('url');
    const where = `incidents.paging.webhooks[${i}] (${id})`;
    if (!/^https?:\/\//.test(url)) {
      throw new Error(`${where}: url must be http(s)`);
    }
    return {
      id,
      url,
      secret: c.getString('secret'),
      severities: c.has('severities')
        ? parseSeverities(c.getStringArray('severities'), `${where}.severities`)
        : undefined,
    };
  });
  const retry = config.getOptionalConfig('incidents.paging.retry');
  const ms = (key: string, fallback: number) =>
    retry?.has(key)
      ? durationMs(readDurationFromConfig(retry, { key }))
      : fallback;
  return {
    webhooks,
    retry: {
      maxAttempts: retry?.getOptionalNumber('maxAttempts') ?? 5,
      initialBackoffMs: ms('initialBackoff', 10_000),
      maxBackoffMs: ms('maxBackoff', 600_000),
    },
  };
}
