/**
 * Vigil's incident-response frontend for Backstage.
 *
 * @packageDocumentation
 */

export {
  incidentsPlugin,
  IncidentsPage,
  EntityIncidentsCard,
  EntityRunbooksCard,
  EntityIncidentsContent,
  OncallPage,
  EntityOnCallCard,
  HomePageOnCallCard,
  HomePageActiveIncidentsCard,
  EntityActiveIncidentBanner,
  PostmortemsPage,
  InsightsPage,
  EntityInsightsContent,
} from './plugin';
export type { EntityIncidentsCardProps } from './components/entity/EntityIncidentsCard';
export * from './api';
export {
  rootRouteRef,
  incidentDetailsRouteRef,
  alertsRouteRef,
  oncallRouteRef,
  postmortemRouteRef,
  postmortemsRouteRef,
  insightsRouteRef,
} from './routes';
export { useIncidentSignals } from './hooks';
export { KeyboardShortcuts } from './components/shortcuts/KeyboardShortcuts';
export { IncidentsTable } from './components/incidents/IncidentsTable';
export type { IncidentsTableProps } from './components/incidents/IncidentsTable';
export { NewIncidentButton } from './components/incidents/NewIncidentButton';
export { NewIncidentDialog } from './components/incidents/NewIncidentDialog';
export type { NewIncidentDialogProps } from './components/incidents/NewIncidentDialog';
export { SeverityChip } from './components/incidents/SeverityChip';
export { IncidentStatusLabel } from './components/incidents/IncidentStatusLabel';
