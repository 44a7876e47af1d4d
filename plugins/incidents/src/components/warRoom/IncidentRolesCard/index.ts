export { IncidentRolesCard } from './IncidentRolesCard';
