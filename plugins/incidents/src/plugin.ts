import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { incidentsApiRef, IncidentsClient } from './api';
import { incidentDetailsRouteRef, rootRouteRef } from './routes';

/**
 * The Vigil incidents plugin for the legacy frontend system.
 * @public
 */
export const incidentsPlugin = createPlugin({
  id: 'incidents',
  routes: {
    root: rootRouteRef,
    details: incidentDetailsRouteRef,
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
      import('./components/IncidentsPage').then(m => m.IncidentsPage),
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
        import('./components/EntityIncidentsCard').then(
          m => m.EntityIncidentsCard,
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
        import('./components/EntityIncidentsContent').then(
          m => m.EntityIncidentsContent,
        ),
    },
  }),
);
