import { useCallback, useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';

/**
 * The catalog's components (or entities of another kind, e.g. groups) as
 * entity refs, with their display titles, for pickers.
 */
export function useCatalogComponents(
  kind: 'Component' | 'Group' = 'Component',
) {
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    const titles = new Map<string, string>();
    for (const entity of items) {
      titles.set(
        stringifyEntityRef(entity),
        entity.metadata.title ?? entity.metadata.name,
      );
    }
    return titles;
  }, [catalogApi, kind]);

  const titles = useMemo(() => value ?? new Map<string, string>(), [value]);
  const refs = useMemo(
    () =>
      Array.from(titles.keys()).sort((a, b) =>
        titles.get(a)!.localeCompare(titles.get(b)!),
      ),
    [titles],
  );
  const titleOf = useCallback(
    (ref: string) => {
      const known = titles.get(ref);
      if (known) {
        return known;
      }
      try {
        return humanizeEntityRef(parseEntityRef(ref), {
          defaultKind: kind.toLocaleLowerCase('en-US'),
        });
      } catch {
        return ref;
      }
    },
    [titles, kind],
  );
  return { refs, titleOf, loading, error };
}
