import { createApiRef } from '@backstage/core-plugin-api';
import { HealthStatus } from '@vigil/plugin-incidents-common';

/**
 * The frontend's view of the incidents backend.
 * @public
 */
export interface IncidentsApi {
  /** The backend's health: reachable, database engine and schema version. */
  getHealth(): Promise<HealthStatus>;
}

/** @public */
export const incidentsApiRef = createApiRef<IncidentsApi>({
  id: 'plugin.incidents.service',
});
