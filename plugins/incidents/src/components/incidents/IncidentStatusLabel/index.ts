export { IncidentStatusLabel } from './IncidentStatusLabel';
