/**
 * The Vigil incidents backend plugin.
 *
 * @packageDocumentation
 */

export { incidentsPlugin as default } from './plugin';
