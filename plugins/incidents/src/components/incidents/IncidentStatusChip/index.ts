export { IncidentStatusChip } from './IncidentStatusChip';
