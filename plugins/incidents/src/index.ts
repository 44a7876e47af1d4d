/**
 * Vigil's incident-response frontend for Backstage.
 *
 * @packageDocumentation
 */

export { incidentsPlugin, IncidentsPage } from './plugin';
export * from './api';
export { rootRouteRef } from './routes';
