import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ActionItem,
  AlertList,
  EvidenceLink,
  HealthStatus,
  Incident,
  IncidentDetail,
  IncidentEscalation,
  IncidentList,
  IncidentStatus,
  MyOpenPage,
  Postmortem,
  PostmortemRevision,
  PostmortemStatus,
  PostmortemSummary,
  StatusUpdate,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';
import { IncidentsApi } from './IncidentsApi';
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
  OncallNow,
  OncallSlot,
  OpenIncidentRequest,
  Schedule,
  TrackedActionItem,
  UpdateActionItemRequest,
  UpdateIncidentRequest,
} from './types';

type QueryValue = string | number | readonly string[] | undefined;

/** Builds `?a=1&b=x&b=y`: arrays repeat the key (OpenAPI form, explode). */
function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      value.forEach(v => params.append(key, v));
    } else if (value !== undefined && value !== '') {
      params.append(key, String(value));
    }
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

const incidentPath = (id: string, rest = '') =>
  `/incidents/${encodeURIComponent(id)}${rest}`;

const schedulePath = (id: string, rest = '') =>
  `/schedules/${encodeURIComponent(id)}${rest}`;

/**
 * Talks to the incidents backend over HTTP.
 * @public
 */
export class IncidentsClient implements IncidentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<HealthStatus> {
    return this.request<HealthStatus>('/health');
  }

  async listIncidents(query: ListIncidentsQuery = {}): Promise<IncidentList> {
    const qs = toQueryString({
      status: query.status,
      severity: query.severity,
      entityRef: query.entityRef,
      owner: query.owner,
      q: query.q?.trim(),
      sort: query.sort,
      order: query.order,
      limit: query.limit,
      cursor: query.cursor,
    });
    return this.request<IncidentList>(`/incidents${qs}`);
  }

  async openIncident(request: OpenIncidentRequest): Promise<Incident> {
    return this.request<Incident>('/incidents', {
      method: 'POST',
      body: request,
    });
  }

  async getIncident(id: string): Promise<IncidentDetail> {
    return this.request<IncidentDetail>(incidentPath(id));
  }

  async updateIncident(
    id: string,
    patch: UpdateIncidentRequest,
  ): Promise<Incident> {
    return this.request<Incident>(incidentPath(id), {
      method: 'PATCH',
      body: patch,
    });
  }

  async moveIncident(
    id: string,
    status: IncidentStatus,
    message?: string,
  ): Promise<Incident> {
    return this.request<Incident>(incidentPath(id, '/status'), {
      method: 'POST',
      body: message ? { status, message } : { status },
    });
  }

  async getTimeline(id: string): Promise<TimelineEntry[]> {
    const { items } = await this.request<{ items: TimelineEntry[] }>(
      incidentPath(id, '/timeline'),
    );
    return items;
  }

  async addNote(id: string, note: AddNoteRequest): Promise<TimelineEntry> {
    return this.request<TimelineEntry>(incidentPath(id, '/timeline'), {
      method: 'POST',
      body: note,
    });
  }

  async mergeIncident(id: string, into: string): Promise<Incident> {
    return this.request<Incident>(incidentPath(id, '/merge'), {
      method: 'POST',
      body: { into },
    });
  }

  async addStatusUpdate(
    id: string,
    update: AddStatusUpdateRequest,
  ): Promise<StatusUpdate> {
    return this.request<StatusUpdate>(incidentPath(id, '/status-updates'), {
      method: 'POST',
      body: update,
    });
  }

  async addEvidence(
    id: string,
    evidence: AddEvidenceRequest,
  ): Promise<EvidenceLink> {
    return this.request<EvidenceLink>(incidentPath(id, '/evidence'), {
      method: 'POST',
      body: evidence,
    });
  }

  async addActionItem(
    id: string,
    item: AddActionItemRequest,
  ): Promise<ActionItem> {
    return this.request<ActionItem>(incidentPath(id, '/action-items'), {
      method: 'POST',
      body: item,
    });
  }

  async updateActionItem(
    id: string,
    itemId: string,
    patch: UpdateActionItemRequest,
  ): Promise<ActionItem> {
    return this.request<ActionItem>(
      incidentPath(id, `/action-items/${encodeURIComponent(itemId)}`),
      { method: 'PATCH', body: patch },
    );
  }

  async getOncallNow(
    options: { entityRef?: string } = {},
  ): Promise<{ items: OncallNow[] }> {
    const qs = toQueryString({ entityRef: options.entityRef });
    return this.request<{ items: OncallNow[] }>(`/oncall${qs}`);
  }

  async listSchedules(): Promise<{ items: Schedule[] }> {
    return this.request<{ items: Schedule[] }>('/schedules');
  }

  async listScheduleSlots(
    scheduleId: string,
    options: ListScheduleSlotsOptions = {},
  ): Promise<{ items: OncallSlot[] }> {
    const qs = toQueryString({ from: options.from, to: options.to });
    return this.request<{ items: OncallSlot[] }>(
      `${schedulePath(scheduleId, '/slots')}${qs}`,
    );
  }

  async getCalendarUrl(scheduleId: string): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('incidents');
    return `${baseUrl}${schedulePath(scheduleId, '/calendar.ics')}`;
  }

  async getMyShiftsUrl(): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('incidents');
    return `${baseUrl}/oncall/my-shifts.ics`;
  }

  async addScheduleOverride(
    scheduleId: string,
    request: AddScheduleOverrideRequest,
  ): Promise<OncallSlot> {
    return this.request<OncallSlot>(schedulePath(scheduleId, '/overrides'), {
      method: 'POST',
      body: request,
    });
  }

  async handoffSchedule(
    scheduleId: string,
    request: HandoffScheduleRequest,
  ): Promise<OncallSlot> {
    return this.request<OncallSlot>(schedulePath(scheduleId, '/handoff'), {
      method: 'POST',
      body: request,
    });
  }

  async listEscalationPolicies(
    options: { entityRef?: string } = {},
  ): Promise<EscalationPolicyList> {
    const qs = toQueryString({ entityRef: options.entityRef });
    return this.request<EscalationPolicyList>(`/escalation-policies${qs}`);
  }

  async listIncidentEscalations(
    id: string,
  ): Promise<{ items: IncidentEscalation[] }> {
    return this.request<{ items: IncidentEscalation[] }>(
      incidentPath(id, '/escalations'),
    );
  }

  async listMyOpenPages(): Promise<{ items: MyOpenPage[] }> {
    return this.request<{ items: MyOpenPage[] }>('/pages/mine');
  }

  async listAlerts(query: ListAlertsQuery = {}): Promise<AlertList> {
    const qs = toQueryString({
      status: query.status,
      entityRef: query.entityRef,
      incidentId: query.incidentId,
      unmapped: query.unmapped ? 'true' : undefined,
      limit: query.limit,
      cursor: query.cursor,
    });
    return this.request<AlertList>(`/alerts${qs}`);
  }

  async getPostmortem(id: string): Promise<Postmortem> {
    return this.request<Postmortem>(incidentPath(id, '/postmortem'));
  }

  async startPostmortem(id: string): Promise<Postmortem> {
    return this.request<Postmortem>(incidentPath(id, '/postmortem'), {
      method: 'POST',
    });
  }

  async savePostmortem(
    id: string,
    request: { body: string; version: number },
  ): Promise<Postmortem> {
    return this.request<Postmortem>(incidentPath(id, '/postmortem'), {
      method: 'PUT',
      body: request,
    });
  }

  async movePostmortem(
    id: string,
    status: PostmortemStatus,
    version?: number,
  ): Promise<Postmortem> {
    return this.request<Postmortem>(incidentPath(id, '/postmortem/status'), {
      method: 'POST',
      body: version === undefined ? { status } : { status, version },
    });
  }

  async listPostmortemRevisions(id: string): Promise<PostmortemRevision[]> {
    const { items } = await this.request<{ items: PostmortemRevision[] }>(
      incidentPath(id, '/postmortem/revisions'),
    );
    return items;
  }

  async listRelatedPostmortems(id: string): Promise<PostmortemSummary[]> {
    const { items } = await this.request<{ items: PostmortemSummary[] }>(
      incidentPath(id, '/related-postmortems'),
    );
    return items;
  }

  async listPostmortems(
    query: ListPostmortemsQuery = {},
  ): Promise<{ items: PostmortemSummary[]; totalCount: number }> {
    const qs = toQueryString({
      status: query.status,
      entityRef: query.entityRef,
      limit: query.limit,
      offset: query.offset,
    });
    return this.request(`/postmortems${qs}`);
  }

  async listActionItems(
    query: ListActionItemsQuery = {},
  ): Promise<{ items: TrackedActionItem[]; totalCount: number }> {
    const qs = toQueryString({
      owner: query.owner,
      entityRef: query.entityRef,
      done: query.done === undefined ? undefined : String(query.done),
      overdue: query.overdue ? 'true' : undefined,
      limit: query.limit,
    });
    return this.request(`/action-items${qs}`);
  }

  private async request<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('incidents');
    const init: RequestInit = { method: options.method ?? 'GET' };
    if (options.body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(options.body);
    }
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
