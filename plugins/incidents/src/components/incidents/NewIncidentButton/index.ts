export { NewIncidentButton } from './NewIncidentButton';
