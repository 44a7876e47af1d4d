import { AuthService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_ALERT_SELECTOR } from '@vigil/plugin-incidents-common';

const CACHE_MS = 60_000;

type Selector = { entityRef: string; match: Array<[string, string]> };

/**
 * Parses a `vigil.dev/alert-selector` annotation: comma-separated
 * `label=value` pairs, all of which an alert's labels must have.
 */
export function parseAlertSelector(
  value: string,
): Array<[string, string]> | undefined {
  const pairs = value
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)
    .map(p => {
      const at = p.indexOf('=');
      return at > 0
        ? ([p.slice(0, at).trim(), p.slice(at + 1).trim()] as [string, string])
        : undefined;
    });
  if (pairs.length === 0 || pairs.some(p => !p)) return undefined;
  return pairs as Array<[string, string]>;
}

/**
 * Maps alerts to catalog components: by a label naming the component (or
 * the component the sender named), else by the components' alert-selector
 * annotations. The catalog is read at most once a minute.
 */
export class AlertEntityMapper {
  private cache:
    | { at: number; components: Set<string>; selectors: Selector[] }
    | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      serviceLabel: string;
    },
  ) {}

  /** The component ref an alert maps to, or undefined (kept as unmapped). */
  async map(alert: {
    service?: string;
    labels?: Record<string, string>;
  }): Promise<string | undefined> {
    const { components, selectors } = await this.catalog();
    const named =
      alert.service ?? alert.labels?.[this.options.serviceLabel] ?? undefined;
    if (named) {
      const ref = toComponentRef(named);
      if (ref && components.has(ref)) return ref;
    }
    const labels = alert.labels ?? {};
    for (const selector of selectors) {
      if (selector.match.every(([k, v]) => labels[k] === v)) {
        return selector.entityRef;
      }
    }
    return undefined;
  }

  private async catalog() {
    if (!this.cache || Date.now() - this.cache.at > CACHE_MS) {
      this.loading ??= this.load().finally(() => {
        this.loading = undefined;
      });
      await this.loading;
    }
    return this.cache!;
  }

  private async load() {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntities(
      {
        filter: { kind: 'Component' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const components = new Set<string>();
    const selectors: Selector[] = [];
    for (const entity of items) {
      const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
      components.add(entityRef);
      const annotation =
        entity.metadata.annotations?.[ANNOTATION_ALERT_SELECTOR];
      const match = annotation ? parseAlertSelector(annotation) : undefined;
      if (match) selectors.push({ entityRef, match });
    }
    // More specific selectors win.
    selectors.sort((a, b) => b.match.length - a.match.length);
    this.cache = { at: Date.now(), components, selectors };
  }
}

function toComponentRef(value: string): string | undefined {
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch {
    return undefined;
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'component') return undefined;
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}
