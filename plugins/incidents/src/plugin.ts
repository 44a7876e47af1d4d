import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { incidentsApiRef, IncidentsClient } from './api';
import { rootRouteRef } from './routes';

/**
 * The Vigil incidents plugin for the legacy frontend system.
 * @public
 */
export const incidentsPlugin = createPlugin({
  id: 'incidents',
  routes: {
    root: rootRouteRef,
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
 * The Vigil page, for the legacy frontend system.
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
