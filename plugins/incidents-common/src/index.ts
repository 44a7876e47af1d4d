/**
 * Common types and logic for the Vigil incidents plugins: the incident
 * lifecycle, severities, permissions and catalog annotations.
 *
 * @packageDocumentation
 */

export * from './lifecycle';
export * from './severity';
export * from './permissions';
export * from './annotations';
export * from './types';
export * from './escalation';
export * from './postmortem';
export * from './alerts';
