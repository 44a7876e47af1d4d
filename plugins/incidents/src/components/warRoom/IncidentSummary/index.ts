export { IncidentSummary } from './IncidentSummary';
