/**
 * Scaffolder actions for Vigil: open incidents from templates and CI.
 *
 * @packageDocumentation
 */

export { scaffolderModuleIncidents as default } from './module';
export { createOpenIncidentAction } from './actions/createOpenIncidentAction';
export { createAddTimelineNoteAction } from './actions/createAddTimelineNoteAction';
