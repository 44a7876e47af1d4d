/**
 * Common types and logic for the Vigil incidents plugins: the HTTP API's
 * models and client (generated from the backend's openapi.yaml), the incident
 * lifecycle, severities, permissions and catalog annotations.
 *
 * @packageDocumentation
 */

export * from './schema/openapi/generated';
export * from './lifecycle';
export * from './severity';
export * from './permissions';
export * from './annotations';
export * from './types';
export * from './postmortem';
export * from './alerts';
export * from './acknowledgement';
