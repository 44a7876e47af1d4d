export { AlertsTable } from './AlertsTable';
export type { AlertsTableProps } from './AlertsTable';
