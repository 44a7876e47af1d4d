import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The incidents list, mounted at `/incidents` by default.
 * @public
 */
export const rootRouteRef = createRouteRef({
  id: 'incidents',
});

/**
 * One incident's war room; `id` is the incident id or its reference (`INC-42`).
 * @public
 */
export const incidentDetailsRouteRef = createSubRouteRef({
  id: 'incidents/details',
  parent: rootRouteRef,
  path: '/:id',
});

/**
 * Who is on call and the upcoming hand-offs, mounted at `/oncall` by default.
 * @public
 */
export const oncallRouteRef = createRouteRef({
  id: 'incidents-oncall',
});
