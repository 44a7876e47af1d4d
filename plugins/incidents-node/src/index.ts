/**
 * Extension points and types for backend modules that extend Vigil's
 * incidents plugin with pagers and alert sources.
 *
 * @packageDocumentation
 */

export * from './extensions';
export * from './permissions';
