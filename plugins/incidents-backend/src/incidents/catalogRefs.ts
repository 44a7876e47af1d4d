import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Checks that the services and users an incident names exist in the catalog
 * (a 400 names the unknown ones) and finds the groups owning the services.
 */
export class CatalogRefValidator {
  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  /** Throws an InputError naming `field` unless `userRef` is a catalog user. */
  async requireUser(
    userRef: string,
    field: string,
    credentials?: BackstageCredentials,
  ): Promise<void> {
    try {
      await this.validate([], [userRef], credentials);
    } catch (error) {
      if (error instanceof InputError) {
        throw new InputError(`${field}: unknown catalog user ${userRef}`);
      }
      throw error;
    }
  }

  async validate(
    services: string[],
    users: string[],
    /** The caller; undefined for a system actor (looks up as the plugin). */
    credentials?: BackstageCredentials,
  ): Promise<{ ownerGroups: string[] }> {
    const refs = [...new Set([...services, ...users])];
    if (refs.length === 0) {
      return { ownerGroups: [] };
    }
    const { auth, catalog } = this.options;
    // Users look up with their own credentials (they must be able to see the
    // entities); services such as alert sources hold tokens restricted to
    // this plugin, so the plugin looks up on their behalf as itself.
    const lookupCredentials =
      credentials && auth.isPrincipal(credentials, 'user')
        ? credentials
        : await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
      },
      { credentials: lookupCredentials },
    );
    const unknown = refs.filter((_ref, index) => !items[index]);
    if (unknown.length) {
      throw new InputError(
        `Unknown catalog ${
          unknown.length === 1 ? 'entity' : 'entities'
        }: ${unknown.join(', ')}`,
      );
    }
    const ownerGroups = new Set<string>();
    refs.forEach((ref, index) => {
      if (!services.includes(ref)) return;
      for (const relation of items[index]?.relations ?? []) {
        if (relation.type === RELATION_OWNED_BY) {
          ownerGroups.add(relation.targetRef);
        }
      }
    });
    return { ownerGroups: [...ownerGroups] };
  }
}
