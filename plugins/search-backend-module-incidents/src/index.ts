/**
 * A search backend module that indexes Vigil's published postmortems.
 *
 * @packageDocumentation
 */

export { searchModuleIncidentsCollator as default } from './module';
export { PostmortemCollatorFactory } from './collators/PostmortemCollatorFactory';
export type {
  PostmortemCollatorFactoryOptions,
  PostmortemDocument,
} from './collators/PostmortemCollatorFactory';
