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
 * Recent alerts with their component and incident, below the incidents list
 * (`/incidents/alerts`); filters are query parameters (`?status=firing`,
 * `?entityRef=component:default/payments-api`, `?unmapped=true`).
 * @public
 */
export const alertsRouteRef = createSubRouteRef({
  id: 'incidents/alerts',
  parent: rootRouteRef,
  path: '/alerts',
});

/**
 * Who is on call and the upcoming hand-offs, mounted at `/oncall` by default.
 * @public
 */
export const oncallRouteRef = createRouteRef({
  id: 'incidents-oncall',
});

/**
 * One incident's postmortem editor, below the incidents list
 * (`/incidents/INC-42/postmortem`).
 * @public
 */
export const postmortemRouteRef = createSubRouteRef({
  id: 'incidents/postmortem',
  parent: rootRouteRef,
  path: '/:id/postmortem',
});

/**
 * Every postmortem by state, service and date, mounted at `/postmortems` by
 * default.
 * @public
 */
export const postmortemsRouteRef = createRouteRef({
  id: 'incidents-postmortems',
});

/**
 * The public status page as the portal shows it: components, maintenance,
 * a link to the public page (`/incidents/status-page`).
 * @public
 */
export const statusPageRouteRef = createSubRouteRef({
  id: 'incidents/status-page',
  parent: rootRouteRef,
  path: '/status-page',
});

/**
 * Response metrics, SLA compliance, change failure and on-call load, mounted
 * at `/insights` by default; filters are query parameters (`?days=30`,
 * `?severity=sev1`, `?entityRef=…`, `?owner=…`, `?team=mine`).
 * @public
 */
export const insightsRouteRef = createRouteRef({
  id: 'incidents-insights',
});
