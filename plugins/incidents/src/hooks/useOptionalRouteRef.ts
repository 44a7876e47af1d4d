import { RouteRef, useRouteRef } from '@backstage/core-plugin-api';

/**
 * A route's link, or undefined when the app does not mount the route (a
 * legacy app without the on-call page, say), instead of throwing.
 * @internal
 */
export function useOptionalRouteRef(
  routeRef: RouteRef,
): (() => string) | undefined {
  try {
    // useRouteRef throws after its hooks ran, so the hook order holds.
    return useRouteRef(routeRef);
  } catch {
    return undefined;
  }
}
