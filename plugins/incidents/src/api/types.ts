// The request and answer shapes of the incidents API are the OpenAPI spec's,
// generated into @vigil/plugin-incidents-common. These are the names the
// frontend has always exported for them.
import type {
  AddActionItem,
  AddEvidence,
  AddScheduleOverride,
  AddStatusUpdate,
  AddTimelineNote,
  AlertListQuery,
  GetMetricsOncallLoad,
  GetMetricsSummary,
  HandoffSchedule,
  IncidentListQuery,
  Link,
  ListActionItems,
  ListPostmortems,
  ListScheduleSlots,
  OpenIncident,
  ProposeScheduleSwap,
  UpdateActionItem,
  UpdateIncident,
} from '@vigil/plugin-incidents-common';

export type {
  EscalationPolicyList,
  OncallNow,
  OncallSlot,
  Schedule,
  ScheduleEvent,
  ScheduleRotation,
  SwapRequest,
  SwapRequestList,
  TrackedActionItem,
} from '@vigil/plugin-incidents-common';

/**
 * Filters, sorting and paging for `GET /incidents`.
 * @public
 */
export type ListIncidentsQuery = IncidentListQuery;

/**
 * Sort direction of the incident list.
 * @public
 */
export type SortOrder = NonNullable<ListIncidentsQuery['order']>;

/**
 * Filters and cursor paging for `GET /alerts`.
 * @public
 */
export type ListAlertsQuery = AlertListQuery;

/**
 * A link attached to a note.
 * @public
 */
export type IncidentLinkInput = Link;

/**
 * The body of `POST /incidents`.
 * @public
 */
export type OpenIncidentRequest = OpenIncident['body'];

/**
 * The body of `PATCH /incidents/{id}`; only the fields given change.
 * @public
 */
export type UpdateIncidentRequest = UpdateIncident['body'];

/**
 * Role changes in `PATCH /incidents/{id}`; roles not given stay as they are.
 * @public
 */
export type UpdateIncidentRolesRequest = NonNullable<
  UpdateIncidentRequest['roles']
>;

/**
 * The body of `POST /incidents/{id}/timeline`.
 * @public
 */
export type AddNoteRequest = AddTimelineNote['body'];

/**
 * The body of `POST /incidents/{id}/status-updates`.
 * @public
 */
export type AddStatusUpdateRequest = AddStatusUpdate['body'];

/**
 * The body of `POST /incidents/{id}/evidence`.
 * @public
 */
export type AddEvidenceRequest = AddEvidence['body'];

/**
 * The body of `POST /incidents/{id}/action-items`.
 * @public
 */
export type AddActionItemRequest = AddActionItem['body'];

/**
 * The body of `PATCH /incidents/{id}/action-items/{itemId}`.
 * @public
 */
export type UpdateActionItemRequest = UpdateActionItem['body'];

/**
 * The time range of `GET /schedules/{scheduleId}/slots`; the backend
 * defaults to the next 14 days.
 * @public
 */
export type ListScheduleSlotsOptions = NonNullable<ListScheduleSlots['query']>;

/**
 * The body of `POST /schedules/{scheduleId}/overrides`: who covers the
 * schedule from `start` to `end` instead of the rotation.
 * @public
 */
export type AddScheduleOverrideRequest = AddScheduleOverride['body'];

/**
 * The body of `POST /schedules/{scheduleId}/swaps`: the slot (or part of it)
 * offered, and to whom.
 * @public
 */
export type ProposeScheduleSwapRequest = ProposeScheduleSwap['body'];

/**
 * The body of `POST /schedules/{scheduleId}/handoff`: hands the schedule to
 * `userRef` now, or at `at`, until the rotation's next boundary.
 * @public
 */
export type HandoffScheduleRequest = HandoffSchedule['body'];

/**
 * Filters and paging of `GET /postmortems`.
 * @public
 */
export type ListPostmortemsQuery = NonNullable<ListPostmortems['query']>;

/**
 * Filters of `GET /action-items`.
 * @public
 */
export type ListActionItemsQuery = NonNullable<ListActionItems['query']>;

/**
 * The filters of the metrics endpoints: a time range (by `openedAt`),
 * severities, a component and owner groups.
 * @public
 */
export type MetricsQuery = Omit<
  NonNullable<GetMetricsSummary['query']>,
  'format'
>;

/**
 * The filters of the on-call load: a time range and a schedule.
 * @public
 */
export type OncallLoadQuery = Omit<
  NonNullable<GetMetricsOncallLoad['query']>,
  'format'
>;

/**
 * A metric that also answers as CSV.
 * @public
 */
export type MetricName =
  | 'summary'
  | 'frequency'
  | 'sla'
  | 'change-failure'
  | 'oncall-load';
