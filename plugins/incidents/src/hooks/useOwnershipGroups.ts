import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';

function isGroupRef(ref: string): boolean {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group';
  } catch {
    return false;
  }
}

/**
 * The signed-in user's ref and the groups they belong to: their "team" for
 * filtering.
 */
export function useOwnershipGroups(): {
  groups: string[];
  userRef?: string;
  loading: boolean;
} {
  const identityApi = useApi(identityApiRef);
  const { value, loading } = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return {
      userRef: identity.userEntityRef,
      groups: identity.ownershipEntityRefs.filter(isGroupRef),
    };
  }, [identityApi]);
  return { groups: value?.groups ?? [], userRef: value?.userRef, loading };
}
