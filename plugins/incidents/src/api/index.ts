export { incidentsApiRef } from './IncidentsApi';
export type { IncidentsApi } from './IncidentsApi';
export { IncidentsClient } from './IncidentsClient';
export type {
  AddActionItemRequest,
  AddEvidenceRequest,
  AddNoteRequest,
  AddStatusUpdateRequest,
  IncidentLinkInput,
  ListIncidentsQuery,
  OpenIncidentRequest,
  SortOrder,
  UpdateActionItemRequest,
  UpdateIncidentRequest,
  UpdateIncidentRolesRequest,
} from './types';
