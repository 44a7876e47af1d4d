import { Config } from '@backstage/config';
import { normalizeEntityRef } from '../lib/identity';

/** A runbook from `incidents.runbooks`, for components or alert names. */
export interface ConfiguredRunbook {
  title: string;
  url: string;
  /** Component refs, normalized (`component:default/name`). */
  components: string[];
  /** Alert names (Alertmanager's `alertname`, else the alert's title). */
  alerts: string[];
}

/** Whether `value` is an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Reads `incidents.runbooks`; a bad entry stops the backend naming its key
 * (`incidents.runbooks[2].url: …`).
 */
export function readRunbooksConfig(root: Config): ConfiguredRunbook[] {
  const entries = root.getOptionalConfigArray('incidents.runbooks') ?? [];
  return entries.map((entry, index) => {
    const key = `incidents.runbooks[${index}]`;
    const url = entry.getString('url');
    if (!isHttpUrl(url)) {
      throw new Error(`${key}.url: '${url}' is not an http(s) URL`);
    }
    const components = (entry.getOptionalStringArray('components') ?? []).map(
      ref => {
        try {
          return normalizeEntityRef(ref, 'component', `${key}.components`);
        } catch (error) {
          throw new Error(String((error as Error).message));
        }
      },
    );
    const alerts = entry.getOptionalStringArray('alerts') ?? [];
    if (components.length === 0 && alerts.length === 0) {
      throw new Error(`${key}: name at least one of components or alerts`);
    }
    return {
      title: entry.getOptionalString('title') ?? url,
      url,
      components,
      alerts,
    };
  });
}
