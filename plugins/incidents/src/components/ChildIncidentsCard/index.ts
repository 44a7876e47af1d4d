export { ChildIncidentsCard } from './ChildIncidentsCard';
