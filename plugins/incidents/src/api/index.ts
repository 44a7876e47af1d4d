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
  ListActionItemsQuery,
  ListIncidentsQuery,
  ListPostmortemsQuery,
  ListScheduleSlotsOptions,
  OncallNow,
  OncallSlot,
  OpenIncidentRequest,
  Schedule,
  ScheduleRotation,
  SortOrder,
  TrackedActionItem,
  UpdateActionItemRequest,
  UpdateIncidentRequest,
  UpdateIncidentRolesRequest,
} from './types';
