import { useCallback } from 'react';
import { useRouteRef } from '@backstage/core-plugin-api';
import { postmortemRouteRef } from '../routes';

/**
 * Links to an incident's postmortem, or undefined when the incidents page
 * isn't mounted in the app.
 */
export function usePostmortemLink(): (idOrRef: string) => string | undefined {
  let route: ((params: { id: string }) => string) | undefined;
  try {
    // useRouteRef throws only after its own hooks ran, so catching keeps the
    // hook order stable.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    route = useRouteRef(postmortemRouteRef);
  } catch {
    route = undefined;
  }
  return useCallback((idOrRef: string) => route?.({ id: idOrRef }), [route]);
}
