import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AckLinkInspection,
  AcknowledgementSource,
  ActionItem,
  AlertList,
  DefaultApiClient,
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
  pluginId,
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
  TypedResponse,
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
import { IncidentsApi } from './IncidentsApi';
import {
  AddActionItemRequest,
  AddEvidenceRequest,
  AddNoteRequest,
  AddScheduleOverrideRequest,
  AddStatusUpdateRequest,
  EscalationPolicyList,
  HandoffScheduleRequest,
  ListActionItemsQuery,
  ListAlertsQuery,
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

/** The answer's JSON body; a non-2xx answer throws a ResponseError. */
async function body<T>(response: Promise<TypedResponse<T>>): Promise<T> {
  const res = await response;
  if (!res.ok) {
    throw await ResponseError.fromResponse(res as Response);
  }
  return res.json();
}

/** The items of a list answer. */
async function items<T>(
  response: Promise<TypedResponse<{ items: T[] }>>,
): Promise<T[]> {
  return (await body(response)).items;
}

/** The query without empty strings: an empty filter is no filter. */
function withoutEmpty<Q extends object>(query: Q): Q {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== ''),
  ) as Q;
}

/**
 * Talks to the incidents backend over HTTP, through the client generated
 * from its OpenAPI spec.
 * @public
 */
export class IncidentsClient implements IncidentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly api: DefaultApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.api = new DefaultApiClient(options);
  }

  async getHealth(): Promise<HealthStatus> {
    return body(this.api.getHealth());
  }

  async listIncidents(query: ListIncidentsQuery = {}): Promise<IncidentList> {
    return body(
      this.api.listIncidents({
        query: withoutEmpty({ ...query, q: query.q?.trim() }),
      }),
    );
  }

  async openIncident(request: OpenIncidentRequest): Promise<Incident> {
    return body(this.api.openIncident({ body: request }));
  }

  async getIncident(
    id: string,
    options?: { permissions?: boolean },
  ): Promise<IncidentDetail> {
    const query = options?.permissions ? { permissions: true } : undefined;
    return body(this.api.getIncident({ path: { id }, query }));
  }

  async updateIncident(
    id: string,
    patch: UpdateIncidentRequest,
  ): Promise<Incident> {
    return body(this.api.updateIncident({ path: { id }, body: patch }));
  }

  async moveIncident(
    id: string,
    status: IncidentStatus,
    message?: string,
    source?: AcknowledgementSource,
  ): Promise<Incident> {
    return body(
      this.api.moveIncident({
        path: { id },
        body: {
          status,
          ...(message ? { message } : {}),
          ...(source ? { source } : {}),
        },
      }),
    );
  }

  async inspectAckLink(token: string): Promise<AckLinkInspection> {
    return body(this.api.inspectAckLink({ body: { token } }));
  }

  async acknowledgeByLink(token: string): Promise<Incident> {
    return body(this.api.acknowledgeByLink({ body: { token } }));
  }

  async getTimeline(id: string): Promise<TimelineEntry[]> {
    return items(this.api.getTimeline({ path: { id } }));
  }

  async addNote(id: string, note: AddNoteRequest): Promise<TimelineEntry> {
    return body(this.api.addTimelineNote({ path: { id }, body: note }));
  }

  async mergeIncident(id: string, into: string): Promise<Incident> {
    return body(this.api.mergeIncident({ path: { id }, body: { into } }));
  }

  async addStatusUpdate(
    id: string,
    update: AddStatusUpdateRequest,
  ): Promise<StatusUpdate> {
    return body(this.api.addStatusUpdate({ path: { id }, body: update }));
  }

  async addEvidence(
    id: string,
    evidence: AddEvidenceRequest,
  ): Promise<EvidenceLink> {
    return body(this.api.addEvidence({ path: { id }, body: evidence }));
  }

  async addActionItem(
    id: string,
    item: AddActionItemRequest,
  ): Promise<ActionItem> {
    return body(this.api.addActionItem({ path: { id }, body: item }));
  }

  async updateActionItem(
    id: string,
    itemId: string,
    patch: UpdateActionItemRequest,
  ): Promise<ActionItem> {
    return body(
      this.api.updateActionItem({ path: { id, itemId }, body: patch }),
    );
  }

  async getOncallNow(
    options: GetOncallNow['query'] = {},
  ): Promise<OncallNowList> {
    return body(this.api.getOncallNow({ query: options }));
  }

  async listSchedules(): Promise<ScheduleList> {
    return body(this.api.listSchedules());
  }

  async listScheduleSlots(
    scheduleId: string,
    options: ListScheduleSlotsOptions = {},
  ): Promise<OncallSlotList> {
    return body(
      this.api.listScheduleSlots({ path: { scheduleId }, query: options }),
    );
  }

  // The iCalendar feeds are links for the browser, not JSON to fetch.
  async getCalendarUrl(scheduleId: string): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl(pluginId);
    return `${baseUrl}/schedules/${encodeURIComponent(
      scheduleId,
    )}/calendar.ics`;
  }

  async getMyShiftsUrl(): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl(pluginId);
    return `${baseUrl}/oncall/my-shifts.ics`;
  }

  async getCalendarSubscription(
    scheduleId?: string,
  ): Promise<{ url: string; webcal: string }> {
    const { path } = await body(
      this.api.createCalendarLink({ body: scheduleId ? { scheduleId } : {} }),
    );
    const url = `${await this.discoveryApi.getBaseUrl(pluginId)}${path}`;
    return { url, webcal: url.replace(/^https?:\/\//, 'webcal://') };
  }

  async listMySwaps(): Promise<SwapRequestList> {
    return body(this.api.listMySwaps());
  }

  async proposeScheduleSwap(
    scheduleId: string,
    request: ProposeScheduleSwapRequest,
  ): Promise<SwapRequest> {
    return body(
      this.api.proposeScheduleSwap({ path: { scheduleId }, body: request }),
    );
  }

  async decideScheduleSwap(
    scheduleId: string,
    swapId: string,
    decision: 'accept' | 'decline' | 'cancel',
  ): Promise<SwapRequest> {
    const request = { path: { scheduleId, swapId } };
    switch (decision) {
      case 'accept':
        return body(this.api.acceptScheduleSwap(request));
      case 'decline':
        return body(this.api.declineScheduleSwap(request));
      default:
        return body(this.api.cancelScheduleSwap(request));
    }
  }

  async getScheduleTimeline(
    scheduleId: string,
  ): Promise<{ items: ScheduleEvent[] }> {
    return body(this.api.getScheduleTimeline({ path: { scheduleId } }));
  }

  async addScheduleOverride(
    scheduleId: string,
    request: AddScheduleOverrideRequest,
  ): Promise<OncallSlot> {
    return body(
      this.api.addScheduleOverride({ path: { scheduleId }, body: request }),
    );
  }

  async handoffSchedule(
    scheduleId: string,
    request: HandoffScheduleRequest,
  ): Promise<OncallSlot> {
    return body(
      this.api.handoffSchedule({ path: { scheduleId }, body: request }),
    );
  }

  async listEscalationPolicies(
    options: ListEscalationPolicies['query'] = {},
  ): Promise<EscalationPolicyList> {
    return body(this.api.listEscalationPolicies({ query: options }));
  }

  async listIncidentEscalations(id: string): Promise<IncidentEscalationList> {
    return body(this.api.listIncidentEscalations({ path: { id } }));
  }

  async listMyOpenPages(): Promise<MyOpenPageList> {
    return body(this.api.listMyOpenPages());
  }

  async listAlerts(query: ListAlertsQuery = {}): Promise<AlertList> {
    return body(
      this.api.listAlerts({
        query: withoutEmpty({
          ...query,
          unmapped: query.unmapped ? ('true' as const) : undefined,
        }),
      }),
    );
  }

  async getPostmortem(id: string): Promise<Postmortem> {
    return body(this.api.getPostmortem({ path: { id } }));
  }

  async startPostmortem(id: string): Promise<Postmortem> {
    return body(this.api.startPostmortem({ path: { id } }));
  }

  async savePostmortem(
    id: string,
    request: SavePostmortem['body'],
  ): Promise<Postmortem> {
    return body(this.api.savePostmortem({ path: { id }, body: request }));
  }

  async movePostmortem(
    id: string,
    status: PostmortemStatus,
    version?: number,
  ): Promise<Postmortem> {
    return body(
      this.api.movePostmortem({
        path: { id },
        body: version === undefined ? { status } : { status, version },
      }),
    );
  }

  async listPostmortemRevisions(id: string): Promise<PostmortemRevision[]> {
    return items(this.api.listPostmortemRevisions({ path: { id } }));
  }

  async listRelatedPostmortems(id: string): Promise<PostmortemSummary[]> {
    return items(this.api.listRelatedPostmortems({ path: { id } }));
  }

  async listPostmortems(
    query: ListPostmortemsQuery = {},
  ): Promise<PostmortemList> {
    return body(this.api.listPostmortems({ query: withoutEmpty(query) }));
  }

  async listActionItems(
    query: ListActionItemsQuery = {},
  ): Promise<TrackedActionItemList> {
    return body(
      this.api.listActionItems({
        query: withoutEmpty({ ...query, overdue: query.overdue || undefined }),
      }),
    );
  }

  async getIncidentStatusPage(id: string): Promise<IncidentStatusPage> {
    return body(this.api.getIncidentStatusPage({ path: { id } }));
  }

  async publishIncident(
    id: string,
    input: PublicRecordInput = {},
  ): Promise<PublicRecord> {
    return body(this.api.publishIncident({ path: { id }, body: input }));
  }

  async editPublicIncident(
    id: string,
    input: PublicRecordInput,
  ): Promise<PublicRecord> {
    return body(this.api.editPublicIncident({ path: { id }, body: input }));
  }

  async unpublishIncident(id: string): Promise<PublicRecord> {
    return body(this.api.unpublishIncident({ path: { id } }));
  }

  async postPublicUpdate(
    id: string,
    update: { message: string; status?: PublicIncidentStatus },
  ): Promise<PublicRecord> {
    return body(this.api.postPublicUpdate({ path: { id }, body: update }));
  }

  async getStatusPage(): Promise<StatusPageOverview> {
    return body(this.api.getStatusPage());
  }

  async listMaintenances(): Promise<Maintenance[]> {
    return items(this.api.listMaintenances());
  }

  async scheduleMaintenance(
    input: ScheduleMaintenance['body'],
  ): Promise<Maintenance> {
    return body(this.api.scheduleMaintenance({ body: input }));
  }

  async updateMaintenance(
    id: string,
    input: MaintenanceInput,
  ): Promise<Maintenance> {
    return body(
      this.api.updateMaintenance({ path: { maintenanceId: id }, body: input }),
    );
  }

  async getMetricsSummary(query: MetricsQuery): Promise<MetricsSummary> {
    return body(this.api.getMetricsSummary({ query: withoutEmpty(query) }));
  }

  async getMetricsFrequency(
    query: MetricsQuery & { interval?: 'day' | 'week' | 'month' },
  ): Promise<FrequencySeries> {
    return body(this.api.getMetricsFrequency({ query: withoutEmpty(query) }));
  }

  async getMetricsSla(query: MetricsQuery): Promise<SlaReport> {
    return body(this.api.getMetricsSla({ query: withoutEmpty(query) }));
  }

  async getMetricsChangeFailure(
    query: MetricsQuery,
  ): Promise<ChangeFailureReport> {
    return body(
      this.api.getMetricsChangeFailure({ query: withoutEmpty(query) }),
    );
  }

  async getMetricsOncallLoad(
    query: OncallLoadQuery,
  ): Promise<OncallLoadReport> {
    return body(this.api.getMetricsOncallLoad({ query: withoutEmpty(query) }));
  }

  async getMetricsCsv(
    metric: MetricName,
    query: MetricsQuery & OncallLoadQuery & { interval?: string },
  ): Promise<string> {
    const { from, to, severity, entityRef, owner, interval, scheduleId } =
      withoutEmpty(query);
    const common = { from, to, format: 'csv' as const };
    const filters = { ...common, severity, entityRef, owner };
    const calls = {
      summary: () => this.api.getMetricsSummary({ query: filters }),
      frequency: () =>
        this.api.getMetricsFrequency({
          query: { ...filters, interval: interval as 'week' | undefined },
        }),
      sla: () => this.api.getMetricsSla({ query: filters }),
      'change-failure': () =>
        this.api.getMetricsChangeFailure({ query: filters }),
      'oncall-load': () =>
        this.api.getMetricsOncallLoad({ query: { ...common, scheduleId } }),
    };
    const res = await calls[metric]();
    if (!res.ok) {
      throw await ResponseError.fromResponse(res as Response);
    }
    return res.text();
  }

  async getIncidentRunbooks(id: string): Promise<Runbooks> {
    return body(this.api.getIncidentRunbooks({ path: { id } }));
  }

  async getEntityRunbooks(entityRef: string): Promise<Runbooks> {
    return body(this.api.getEntityRunbooks({ query: { entityRef } }));
  }

  async getIncidentBlastRadius(id: string): Promise<BlastRadius> {
    return body(this.api.getIncidentBlastRadius({ path: { id } }));
  }

  async notifyBlastRadiusOwners(id: string): Promise<BlastRadiusNotification> {
    return body(this.api.notifyBlastRadiusOwners({ path: { id } }));
  }
}
