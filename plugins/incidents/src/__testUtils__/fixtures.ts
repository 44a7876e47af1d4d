import {
  Incident,
  IncidentDetail,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'id-1',
    ref: 'INC-1',
    title: 'Checkout is down',
    severity: 'sev1',
    status: 'open',
    affectedServices: ['component:default/payments-api'],
    environments: ['production'],
    roles: { responders: [] },
    ownerGroups: ['group:default/payments'],
    impact: {},
    rootCause: {},
    childCount: 0,
    openedAt: '2026-11-22T05:00:00.000Z',
    updatedAt: '2026-11-22T05:00:00.000Z',
    openedBy: 'user:default/alice',
    ...overrides,
  };
}

export function makeDetail(
  overrides: Partial<IncidentDetail> = {},
): IncidentDetail {
  return {
    ...makeIncident(overrides),
    actionItems: [],
    statusUpdates: [],
    evidence: [],
    children: [],
    ...overrides,
  };
}

export function makeEntry(
  overrides: Partial<TimelineEntry> = {},
): TimelineEntry {
  return {
    id: 'entry-1',
    incidentId: 'id-1',
    kind: 'opened',
    actor: 'user:default/alice',
    message: 'Opened the incident',
    createdAt: '2026-11-22T05:00:00.000Z',
    ...overrides,
  };
}
