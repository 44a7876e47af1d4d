import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createCardExtension } from '@backstage/plugin-home-react';
import { incidentsApiRef, IncidentsClient } from './api';
import {
  alertsRouteRef,
  statusPageRouteRef,
  insightsRouteRef,
  incidentDetailsRouteRef,
  oncallRouteRef,
  postmortemRouteRef,
  postmortemsRouteRef,
  rootRouteRef,
} from './routes';

/**
 * The Vigil incidents plugin for the legacy frontend system.
 * @public
 */
export const incidentsPlugin = createPlugin({
  id: 'incidents',
  routes: {
    root: rootRouteRef,
    details: incidentDetailsRouteRef,
    alerts: alertsRouteRef,
    statusPage: statusPageRouteRef,
    oncall: oncallRouteRef,
    postmortem: postmortemRouteRef,
    postmortems: postmortemsRouteRef,
    insights: insightsRouteRef,
  },
  apis: [
    createApiFactory({
      api: incidentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IncidentsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The incidents list and war rooms, for the legacy frontend system; mount it
 * at e.g. `/incidents`.
 * @public
 */
export const IncidentsPage = incidentsPlugin.provide(
  createRoutableExtension({
    name: 'IncidentsPage',
    component: () =>
      import('./components/incidents/IncidentsPage').then(m => m.IncidentsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * A card for a component's overview page: its active and recent incidents.
 * @public
 */
export const EntityIncidentsCard = incidentsPlugin.provide(
  createComponentExtension({
    name: 'EntityIncidentsCard',
    component: {
      lazy: () =>
        import('./components/entity/EntityIncidentsCard').then(
          m => m.EntityIncidentsCard,
        ),
    },
  }),
);

/**
 * A card for a component's overview page: its runbooks and runbook
 * automations.
 * @public
 */
export const EntityRunbooksCard = incidentsPlugin.provide(
  createComponentExtension({
    name: 'EntityRunbooksCard',
    component: {
      lazy: () =>
        import('./components/runbooks/EntityRunbooksCard').then(
          m => m.EntityRunbooksCard,
        ),
    },
  }),
);

/**
 * An "Incidents" tab for a component's page: its incidents, filterable.
 * @public
 */
export const EntityIncidentsContent = incidentsPlugin.provide(
  createComponentExtension({
    name: 'EntityIncidentsContent',
    component: {
      lazy: () =>
        import('./components/entity/EntityIncidentsContent').then(
          m => m.EntityIncidentsContent,
        ),
    },
  }),
);

/**
 * The on-call overview for the legacy frontend system: who is on call, the
 * next hand-offs and iCalendar feeds; mount it at e.g. `/oncall`.
 * @public
 */
export const OncallPage = incidentsPlugin.provide(
  createRoutableExtension({
    name: 'OncallPage',
    component: () =>
      import('./components/oncall/OncallPage').then(m => m.OncallPage),
    mountPoint: oncallRouteRef,
  }),
);

/**
 * Response metrics, SLA compliance, change failure and on-call load, as
 * charts with CSV downloads, for the legacy frontend system; mount it at
 * e.g. `/insights`.
 * @public
 */
export const InsightsPage = incidentsPlugin.provide(
  createRoutableExtension({
    name: 'InsightsPage',
    component: () => import('./components/insights').then(m => m.InsightsPage),
    mountPoint: insightsRouteRef,
  }),
);

/**
 * An "Insights" tab for a component's page: its response metrics, SLA
 * compliance and change failure.
 * @public
 */
export const EntityInsightsContent = incidentsPlugin.provide(
  createComponentExtension({
    name: 'EntityInsightsContent',
    component: {
      lazy: () =>
        import('./components/insights').then(m => m.EntityInsightsContent),
    },
  }),
);

/**
 * A card for a component's overview page: who is on call for it now.
 * @public
 */
export const EntityOnCallCard = incidentsPlugin.provide(
  createComponentExtension({
    name: 'EntityOnCallCard',
    component: {
      lazy: () =>
        import('./components/oncall/EntityOnCallCard').then(
          m => m.EntityOnCallCard,
        ),
    },
  }),
);

/**
 * A home page card: the signed-in user's open pages with an Acknowledge
 * button, and who is on call now (their own schedules first).
 * @public
 */
export const HomePageOnCallCard = incidentsPlugin.provide(
  createCardExtension({
    name: 'HomePageOnCallCard',
    title: 'On call',
    description: 'My open pages and who is on call now',
    components: () =>
      import('./components/oncall/OncallHomeCard').then(m => ({
        Content: m.OncallHomeCardContent,
      })),
  }),
);

/**
 * Every postmortem by state, service and date, for the legacy frontend
 * system; mount it at e.g. `/postmortems`.
 * @public
 */
export const PostmortemsPage = incidentsPlugin.provide(
  createRoutableExtension({
    name: 'PostmortemsPage',
    component: () =>
      import('./components/postmortems/PostmortemsPage').then(
        m => m.PostmortemsPage,
      ),
    mountPoint: postmortemsRouteRef,
  }),
);

/**
 * A home page card: the most severe active incidents and "Declare incident".
 * @public
 */
export const HomePageActiveIncidentsCard = incidentsPlugin.provide(
  createCardExtension({
    name: 'HomePageActiveIncidentsCard',
    title: 'Active incidents',
    description: 'The most severe active incidents, and Declare incident',
    components: () =>
      import('./components/incidents/ActiveIncidentsCard').then(m => ({
        Content: m.ActiveIncidentsCardContent,
      })),
  }),
);

/**
 * A banner for a component's page while it has active incidents.
 * @public
 */
export const EntityActiveIncidentBanner = incidentsPlugin.provide(
  createComponentExtension({
    name: 'EntityActiveIncidentBanner',
    component: {
      lazy: () =>
        import('./components/entity/EntityActiveIncidentBanner').then(
          m => m.EntityActiveIncidentBanner,
        ),
    },
  }),
);
