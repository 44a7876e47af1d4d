export { IncidentsPage } from './IncidentsPage';
