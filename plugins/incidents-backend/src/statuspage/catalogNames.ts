import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { StatusPageConfig } from './config';

/** How long names read from the catalog are kept. */
const NAMES_TTL_MS = 10 * 60_000;

/**
 * The public names of the listed components (the configured name, else the
 * entity's title, else its name), and the check that every listed
 * component exists in the catalog.
 */
export class StatusPageCatalog {
  private names: { at: number; value: Map<string, string> } | undefined;

  constructor(
    private readonly options: {
      config: StatusPageConfig;
      catalog: CatalogService;
      auth: AuthService;
      now?: () => Date;
    },
  ) {}

  /** Listed components the catalog doesn't know, with their config keys. */
  async unknownComponents(): Promise<string[]> {
    const entities = await this.entities();
    return this.options.config.components.flatMap((c, i) =>
      entities[i]
        ? []
        : [`incidents.statusPage.components[${i}].entityRef: '${c.entityRef}'`],
    );
  }

  /**
   * Fails, naming the keys, unless every listed component is in the
   * catalog; retried while the catalog is still ingesting after startup.
   */
  async assertComponentsExist(options: { attempts: number; delayMs: number }) {
    let unknown: string[] = [];
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      unknown = await this.unknownComponents().catch(error => [
        `the catalog could not be asked (${error})`,
      ]);
      if (unknown.length === 0) return;
      if (attempt < options.attempts) {
        await new Promise(resolve => setTimeout(resolve, options.delayMs));
      }
    }
    throw new Error(
      `The status page lists components the catalog does not have: ${unknown.join(
        '; ',
      )}`,
    );
  }

  /** The public name of each listed component. */
  async publicNames(): Promise<Map<string, string>> {
    const now = (this.options.now?.() ?? new Date()).getTime();
    if (this.names && now - this.names.at < NAMES_TTL_MS) {
      return this.names.value;
    }
    const entities = await this.entities().catch(() => []);
    const value = new Map(
      this.options.config.components.map((c, i) => [
        c.entityRef,
        c.name ??
          entities[i]?.metadata.title ??
          entities[i]?.metadata.name ??
          parseEntityRef(c.entityRef).name,
      ]),
    );
    this.names = { at: now, value };
    return value;
  }

  private async entities() {
    const refs = this.options.config.components.map(c => c.entityRef);
    if (refs.length === 0) return [];
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name', 'metadata.title'] },
      { credentials },
    );
    return items;
  }
}
