export { MergeIncidentButton } from './MergeIncidentButton';
