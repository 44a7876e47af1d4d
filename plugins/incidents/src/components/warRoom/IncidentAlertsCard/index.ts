export { IncidentAlertsCard, AlertRows } from './IncidentAlertsCard';
