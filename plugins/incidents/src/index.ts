/**
 * Vigil's incident-response frontend for Backstage.
 *
 * @packageDocumentation
 */

export {
  incidentsPlugin,
  IncidentsPage,
  EntityIncidentsCard,
  EntityIncidentsContent,
  OncallPage,
  EntityOnCallCard,
  HomePageOnCallCard,
  PostmortemsPage,
} from './plugin';
export type { EntityIncidentsCardProps } from './components/EntityIncidentsCard';
export * from './api';
export {
  rootRouteRef,
  incidentDetailsRouteRef,
  alertsRouteRef,
  oncallRouteRef,
  postmortemRouteRef,
  postmortemsRouteRef,
} from './routes';
export { useIncidentSignals } from './hooks';
export { IncidentsTable } from './components/IncidentsTable';
export type { IncidentsTableProps } from './components/IncidentsTable';
export { NewIncidentButton } from './components/NewIncidentButton';
export { NewIncidentDialog } from './components/NewIncidentDialog';
export type { NewIncidentDialogProps } from './components/NewIncidentDialog';
export { SeverityChip } from './components/SeverityChip';
export { IncidentStatusLabel } from './components/IncidentStatusLabel';
