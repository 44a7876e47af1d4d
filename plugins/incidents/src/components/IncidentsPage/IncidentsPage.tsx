import { Route, Routes } from 'react-router-dom';
import { AlertsPage } from '../AlertsPage';
import { IncidentDetailPage } from '../IncidentDetailPage';
import { IncidentListPage } from '../IncidentListPage';

/**
 * The incidents plugin's pages: the list at its root and each incident's war
 * room below it (`/:id`, matching `incidentDetailsRouteRef`).
 */
export const IncidentsPage = () => (
  <Routes>
    <Route path="/" element={<IncidentListPage />} />
    <Route path="/alerts" element={<AlertsPage />} />
    <Route path="/:id" element={<IncidentDetailPage />} />
  </Routes>
);
