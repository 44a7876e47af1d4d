/**
 * The body of the backend's unauthenticated `GET /health`.
 * @public
 */
export interface HealthStatus {
  status: 'ok';
  /** The database engine the backend runs on, e.g. `pg` or `better-sqlite3`. */
  database: string;
  /** The name of the latest applied migration. */
  migration?: string;
  /** The backend's time, ISO 8601 UTC. */
  time: string;
}
