export { incidentsApiRef } from './IncidentsApi';
export type { IncidentsApi } from './IncidentsApi';
export { IncidentsClient } from './IncidentsClient';
export type {
  AddActionItemRequest,
  AddEvidenceRequest,
  AddNoteRequest,
  AddScheduleOverrideRequest,
  AddStatusUpdateRequest,
  EscalationPolicyList,
  HandoffScheduleRequest,
  IncidentLinkInput,
  ListAlertsQuery,
  ListIncidentsQuery,
  ListScheduleSlotsOptions,
  OncallNow,
  OncallSlot,
  OpenIncidentRequest,
  Schedule,
  ScheduleRotation,
  SortOrder,
  UpdateActionItemRequest,
  UpdateIncidentRequest,
  UpdateIncidentRolesRequest,
} from './types';
