export { EntityActiveIncidentBanner } from './EntityActiveIncidentBanner';
