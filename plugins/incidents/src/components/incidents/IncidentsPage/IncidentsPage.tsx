import { Route, Routes } from 'react-router-dom';
import { AlertsPage } from '../../alerts/AlertsPage';
import { StatusPagePage } from '../../statusPage/StatusPagePage';
import { IncidentDetailPage } from '../../warRoom/IncidentDetailPage';
import { IncidentListPage } from '../IncidentListPage';
import { AckLinkPage } from '../AckLinkPage';
import { PostmortemPage } from '../../postmortems/PostmortemPage';

/**
 * The incidents plugin's pages: the list at its root, each incident's war
 * room below it (`/:id`, matching `incidentDetailsRouteRef`) and its
 * postmortem (`/:id/postmortem`, `postmortemRouteRef`).
 */
export const IncidentsPage = () => (
  <Routes>
    <Route path="/" element={<IncidentListPage />} />
    <Route path="/ack" element={<AckLinkPage />} />
    <Route path="/alerts" element={<AlertsPage />} />
    <Route path="/status-page" element={<StatusPagePage />} />
    <Route path="/:id" element={<IncidentDetailPage />} />
    <Route path="/:id/postmortem" element={<PostmortemPage />} />
  </Routes>
);
