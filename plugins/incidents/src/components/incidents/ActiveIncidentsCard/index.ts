export { ActiveIncidentsCardContent } from './ActiveIncidentsCard';
