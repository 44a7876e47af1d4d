export { IncidentDetailPage } from './IncidentDetailPage';
