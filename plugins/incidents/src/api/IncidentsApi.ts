import { createApiRef } from '@backstage/core-plugin-api';
import {
  AckLinkInspection,
  AcknowledgementSource,
  ActionItem,
  AlertList,
  EvidenceLink,
  GetOncallNow,
  HealthStatus,
  Incident,
  IncidentDetail,
  IncidentEscalationList,
  IncidentList,
  IncidentStatus,
  ListEscalationPolicies,
  MyOpenPageList,
  OncallNowList,
  OncallSlot,
  OncallSlotList,
  Postmortem,
  PostmortemList,
  PostmortemRevision,
  PostmortemStatus,
  PostmortemSummary,
  SavePostmortem,
  ScheduleList,
  StatusUpdate,
  TimelineEntry,
  TrackedActionItemList,
  IncidentStatusPage,
  Maintenance,
  MaintenanceInput,
  PublicIncidentStatus,
  PublicRecord,
  PublicRecordInput,
  ScheduleMaintenance,
  StatusPageOverview,
  ChangeFailureReport,
  FrequencySeries,
  MetricsSummary,
  OncallLoadReport,
  SlaReport,
  BlastRadius,
  BlastRadiusNotification,
  Runbooks,
  ScheduleEvent,
  SwapRequest,
  SwapRequestList,
} from '@vigil/plugin-incidents-common';
import {
  AddActionItemRequest,
  AddEvidenceRequest,
  AddScheduleOverrideRequest,
  AddNoteRequest,
  AddStatusUpdateRequest,
  EscalationPolicyList,
  HandoffScheduleRequest,
  ListAlertsQuery,
  ListActionItemsQuery,
  ListIncidentsQuery,
  ListPostmortemsQuery,
  ListScheduleSlotsOptions,
  OpenIncidentRequest,
  ProposeScheduleSwapRequest,
  UpdateActionItemRequest,
  UpdateIncidentRequest,
  MetricName,
  MetricsQuery,
  OncallLoadQuery,
} from './types';

/**
 * The frontend's view of the incidents backend. Incident ids may also be
 * human references (`INC-42`).
 * @public
 */
export interface IncidentsApi {
  /** The backend's health: reachable, database engine and schema version. */
  getHealth(): Promise<HealthStatus>;
  /** A page of incidents. */
  listIncidents(query?: ListIncidentsQuery): Promise<IncidentList>;
  /** Opens an incident, or returns the unresolved one with the same dedupKey. */
  openIncident(request: OpenIncidentRequest): Promise<Incident>;
  /**
   * One incident with its action items, status updates, evidence and
   * children; with `permissions`, also what the caller may do to it.
   */
  getIncident(
    id: string,
    options?: { permissions?: boolean },
  ): Promise<IncidentDetail>;
  /** Edits fields; only the fields given change. */
  updateIncident(id: string, patch: UpdateIncidentRequest): Promise<Incident>;
  /**
   * Moves the incident through its lifecycle; `source` says where an
   * acknowledgement came from (the page or card that called it).
   */
  moveIncident(
    id: string,
    status: IncidentStatus,
    message?: string,
    source?: AcknowledgementSource,
  ): Promise<Incident>;
  /** The war-room log, oldest first. */
  getTimeline(id: string): Promise<TimelineEntry[]>;
  /** What a page's acknowledge link would acknowledge, for the signed-in user. */
  inspectAckLink(token: string): Promise<AckLinkInspection>;
  /** Acknowledges with a page's link (once; only as the paged user). */
  acknowledgeByLink(token: string): Promise<Incident>;
  /** Adds a note, optionally with links, to the timeline. */
  addNote(id: string, note: AddNoteRequest): Promise<TimelineEntry>;
  /** Merges a duplicate into a parent incident; it becomes a child. */
  mergeIncident(id: string, into: string): Promise<Incident>;
  /** Posts an internal or external status update. */
  addStatusUpdate(
    id: string,
    update: AddStatusUpdateRequest,
  ): Promise<StatusUpdate>;
  /** Attaches an evidence link. */
  addEvidence(id: string, evidence: AddEvidenceRequest): Promise<EvidenceLink>;
  /** Adds a follow-up action item. */
  addActionItem(id: string, item: AddActionItemRequest): Promise<ActionItem>;
  /** Marks an action item done or not done, or edits it. */
  updateActionItem(
    id: string,
    itemId: string,
    patch: UpdateActionItemRequest,
  ): Promise<ActionItem>;
  /**
   * Who is on call now, one row per active schedule; with `entityRef`, only
   * the schedule of that component (its `vigil.dev/oncall-schedule`
   * annotation, else its owner group's).
   */
  getOncallNow(options?: GetOncallNow['query']): Promise<OncallNowList>;
  /** The schedules defined in app-config. */
  listSchedules(): Promise<ScheduleList>;
  /** A schedule's shifts over a time range (default: the next 14 days). */
  listScheduleSlots(
    scheduleId: string,
    options?: ListScheduleSlotsOptions,
  ): Promise<OncallSlotList>;
  /**
   * The absolute URL of a schedule's iCalendar feed. It needs a Backstage
   * token, so fetch it with the fetch API.
   */
  getCalendarUrl(scheduleId: string): Promise<string>;
  /** The absolute URL of the signed-in user's shifts as iCalendar. */
  getMyShiftsUrl(): Promise<string>;
  /**
   * The signed-in user's secret subscription link to a schedule's feed (or
   * their own shifts without `scheduleId`), for calendar apps: the `https`
   * URL and its `webcal` form. The same link each time.
   */
  getCalendarSubscription(
    scheduleId?: string,
  ): Promise<{ url: string; webcal: string }>;
  /** Pending swap requests offered to the signed-in user, and theirs. */
  listMySwaps(): Promise<SwapRequestList>;
  /** Offers a slot of the signed-in user's (or part of it) to another member. */
  proposeScheduleSwap(
    scheduleId: string,
    request: ProposeScheduleSwapRequest,
  ): Promise<SwapRequest>;
  /** Accepts or declines a request made to the user, or cancels their own. */
  decideScheduleSwap(
    scheduleId: string,
    swapId: string,
    decision: 'accept' | 'decline' | 'cancel',
  ): Promise<SwapRequest>;
  /** A schedule's audit list, newest first. */
  getScheduleTimeline(scheduleId: string): Promise<{ items: ScheduleEvent[] }>;
  /**
   * Makes `userRef` cover a schedule from `start` to `end` (needs
   * `incidents.schedule.manage`).
   */
  addScheduleOverride(
    scheduleId: string,
    request: AddScheduleOverrideRequest,
  ): Promise<OncallSlot>;
  /**
   * Hands a schedule to `userRef` now (or at `at`) until the rotation's next
   * boundary (needs `incidents.schedule.manage`).
   */
  handoffSchedule(
    scheduleId: string,
    request: HandoffScheduleRequest,
  ): Promise<OncallSlot>;
  /**
   * The escalation policies; with `entityRef`, the ones that would page for
   * that component.
   */
  listEscalationPolicies(
    options?: ListEscalationPolicies['query'],
  ): Promise<EscalationPolicyList>;
  /** An incident's escalations: policy, timers, pages and their deliveries. */
  listIncidentEscalations(id: string): Promise<IncidentEscalationList>;
  /** The signed-in user's pages on incidents nobody has acknowledged yet. */
  listMyOpenPages(): Promise<MyOpenPageList>;
  /**
   * Recent alerts, newest first, by status, component or incident (a storm
   * parent lists its whole storm); page on with `nextCursor`.
   */
  listAlerts(query?: ListAlertsQuery): Promise<AlertList>;
  /** The incident's postmortem with its body (404 before it is started). */
  getPostmortem(id: string): Promise<Postmortem>;
  /**
   * Starts the postmortem from the template, moving a resolved incident to
   * `postmortem`; answers with the existing one if it was started.
   */
  startPostmortem(id: string): Promise<Postmortem>;
  /** Saves the body over `version`; a stale version is a 409 ConflictError. */
  savePostmortem(
    id: string,
    request: SavePostmortem['body'],
  ): Promise<Postmortem>;
  /** Moves the postmortem: review, published (admins), or back to draft. */
  movePostmortem(
    id: string,
    status: PostmortemStatus,
    version?: number,
  ): Promise<Postmortem>;
  /** Every write of the postmortem, newest first. */
  listPostmortemRevisions(id: string): Promise<PostmortemRevision[]>;
  /** Published postmortems of earlier incidents touching its services. */
  listRelatedPostmortems(id: string): Promise<PostmortemSummary[]>;
  /** Postmortems, most recently changed first. */
  listPostmortems(query?: ListPostmortemsQuery): Promise<PostmortemList>;
  /** Action items across incidents, by owner, service, done or overdue. */
  listActionItems(query?: ListActionItemsQuery): Promise<TrackedActionItemList>;
  /** The incident's public status page record and what the caller may do. */
  getIncidentStatusPage(id: string): Promise<IncidentStatusPage>;
  /** Publishes the incident on the status page (again). */
  publishIncident(id: string, input?: PublicRecordInput): Promise<PublicRecord>;
  /** Edits the public name, impact or components. */
  editPublicIncident(
    id: string,
    input: PublicRecordInput,
  ): Promise<PublicRecord>;
  /** Takes the incident off the status page. */
  unpublishIncident(id: string): Promise<PublicRecord>;
  /** Posts a public update, optionally with a new public status. */
  postPublicUpdate(
    id: string,
    update: { message: string; status?: PublicIncidentStatus },
  ): Promise<PublicRecord>;
  /** The status page with each component's status. */
  getStatusPage(): Promise<StatusPageOverview>;
  /** Maintenance windows not over yet. */
  listMaintenances(): Promise<Maintenance[]>;
  /** Schedules a maintenance window. */
  scheduleMaintenance(input: ScheduleMaintenance['body']): Promise<Maintenance>;
  /** Edits or moves a maintenance window. */
  updateMaintenance(id: string, input: MaintenanceInput): Promise<Maintenance>;
  /** Time to acknowledge, mitigate and resolve, overall and per severity. */
  getMetricsSummary(query: MetricsQuery): Promise<MetricsSummary>;
  /** Incidents opened per day, ISO week or month, per severity. */
  getMetricsFrequency(
    query: MetricsQuery & { interval?: 'day' | 'week' | 'month' },
  ): Promise<FrequencySeries>;
  /** SLA compliance per severity, with the breaches. */
  getMetricsSla(query: MetricsQuery): Promise<SlaReport>;
  /** Change-linked incidents and their recovery time per component. */
  getMetricsChangeFailure(query: MetricsQuery): Promise<ChangeFailureReport>;
  /** Hours on call and pages by person, and each rota's fairness. */
  getMetricsOncallLoad(query: OncallLoadQuery): Promise<OncallLoadReport>;
  /** One metric as CSV (RFC 4180, a header row). */
  getMetricsCsv(
    metric: MetricName,
    query: MetricsQuery & OncallLoadQuery & { interval?: string },
  ): Promise<string>;
  /** Runbooks and automations for the incident's components and alerts. */
  getIncidentRunbooks(id: string): Promise<Runbooks>;
  /** Runbooks and automations of one component. */
  getEntityRunbooks(entityRef: string): Promise<Runbooks>;
  /** What depends on the incident's affected components, by owning team. */
  getIncidentBlastRadius(id: string): Promise<BlastRadius>;
  /** Notifies the groups owning the dependents; recorded on the timeline. */
  notifyBlastRadiusOwners(id: string): Promise<BlastRadiusNotification>;
}

/** @public */
export const incidentsApiRef = createApiRef<IncidentsApi>({
  id: 'plugin.incidents.service',
});
