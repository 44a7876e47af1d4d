export { IncidentRowActions } from './IncidentRowActions';
