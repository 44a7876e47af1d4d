export { IncidentFilters, ServiceFilter } from './IncidentFilters';
export type { IncidentFilterValue } from './IncidentFilters';
