import { useCallback, useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';

/**
 * The catalog's users as entity refs with their display names (profile
 * display name, else title, else name), for user pickers.
 */
export function useCatalogUsers() {
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'User' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return new Map(
      items.map(entity => [
        stringifyEntityRef(entity),
        ((entity.spec?.profile as { displayName?: string } | undefined)
          ?.displayName ??
          entity.metadata.title ??
          entity.metadata.name) as string,
      ]),
    );
  }, [catalogApi]);

  const names = useMemo(() => value ?? new Map<string, string>(), [value]);
  const refs = useMemo(
    () =>
      [...names.keys()].sort((a, b) =>
        names.get(a)!.localeCompare(names.get(b)!),
      ),
    [names],
  );
  const nameOf = useCallback(
    (ref: string) => {
      const known = names.get(ref);
      if (known) {
        return known;
      }
      try {
        return parseEntityRef(ref).name;
      } catch {
        return ref;
      }
    },
    [names],
  );
  return { refs, nameOf, loading, error };
}
