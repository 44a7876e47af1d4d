/*
 * The Vigil demo backend: a Backstage backend with the incidents plugin and
 * the core plugins it works with (catalog, scaffolder, search,
 * notifications, signals, permissions) and the MCP actions backend.
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: the demo signs in as guest
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// an admin sign-in for the end-to-end tests, off unless configured
backend.add(import('./modules/demoAdminSignIn'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder, with Vigil's actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@vigil/plugin-scaffolder-backend-module-incidents'));

// permissions
backend.add(import('@backstage/plugin-permission-backend'));
// Vigil's permission table (see src/modules/permissionPolicy.ts)
backend.add(import('./modules/permissionPolicy'));

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@vigil/plugin-search-backend-module-incidents'));

// events (domain events such as incident.opened), notifications and signals:
// paging and live updates
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// Vigil
backend.add(import('@vigil/plugin-incidents-backend'));

// agents: the actions of the plugins in backend.actions.pluginSources (Vigil's)
// as MCP tools at /api/mcp-actions/v1
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
