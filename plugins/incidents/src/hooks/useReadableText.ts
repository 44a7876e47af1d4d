import { useEffect, useMemo, useState } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';

/**
 * Full catalog entity refs inside free text (`component:default/storefront`,
 * `user:default/dave`); bare kinds without a namespace (`system:...` actors)
 * are not entities.
 */
export const ENTITY_REF_PATTERN =
  /\b(?:user|group|component|api|resource|system|domain):[\w.-]+\/[\w.-]+/gi;

/** The refs in a text, each once. */
export function refsIn(text: string): string[] {
  return [...new Set(text.match(ENTITY_REF_PATTERN) ?? [])];
}

/** Until the catalog answers (or without it): the entity's name. */
function fallbackName(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/**
 * The display names of the refs in a text, from the catalog's entity
 * presentation API (when the app has one), e.g. `Storefront` for
 * `component:default/storefront`; until known, the name (`storefront`).
 */
export function useRefNames(text: string): Record<string, string> {
  const apis = useApiHolder();
  const key = refsIn(text).join(' ');
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    const presentation = apis.get(entityPresentationApiRef);
    let cancelled = false;
    const refs = key ? key.split(' ') : [];
    Promise.all(
      refs.map(async ref => {
        const known = presentation
          ? (await presentation.forEntity(ref).promise).primaryTitle
          : undefined;
        return [ref, known ?? fallbackName(ref)] as const;
      }),
    ).then(
      entries => !cancelled && setNames(Object.fromEntries(entries)),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [apis, key]);
  return useMemo(
    () =>
      Object.fromEntries(
        (key ? key.split(' ') : []).map(ref => [
          ref,
          names[ref] ?? fallbackName(ref),
        ]),
      ),
    [key, names],
  );
}

/**
 * A text with its entity refs replaced by display names, for titles such as
 * "Alert storm: 6 alerts on component:default/storefront".
 */
export function useReadableText(text: string): string {
  const names = useRefNames(text);
  return text.replace(ENTITY_REF_PATTERN, ref => names[ref] ?? ref);
}
