import {
  EscalationPolicy,
  Incident,
  IncidentDetail,
  IncidentEscalation,
  Maintenance,
  Postmortem,
  PublicRecord,
  TimelineEntry,
} from '@vigil/plugin-incidents-common';
import { OncallSlot, Schedule } from '../api';

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

export function makeSchedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 'sre',
    name: 'SRE primary',
    timeZone: 'Europe/Berlin',
    rotation: { type: 'weekly', handoffTime: '09:00' },
    members: ['user:default/alice', 'user:default/bob'],
    active: true,
    ...overrides,
  };
}

export function makeSlot(overrides: Partial<OncallSlot> = {}): OncallSlot {
  return {
    id: 'slot-1',
    scheduleId: 'sre',
    userRef: 'user:default/alice',
    start: '2026-11-23T08:00:00.000Z',
    end: '2026-11-30T08:00:00.000Z',
    isOverride: false,
    ...overrides,
  };
}

export function makePolicy(
  overrides: Partial<EscalationPolicy> = {},
): EscalationPolicy {
  return {
    id: 'payments',
    name: 'Payments escalation',
    severities: ['sev1', 'sev2'],
    services: ['component:default/payments-api'],
    repeat: 0,
    steps: [
      { targets: [{ schedule: 'payments-primary' }], delayMinutes: 5 },
      {
        targets: [
          { user: 'user:default/carol' },
          { group: 'group:default/sre' },
        ],
        delayMinutes: 10,
      },
    ],
    ...overrides,
  };
}

export function makeEscalation(
  overrides: Partial<IncidentEscalation> = {},
): IncidentEscalation {
  return {
    id: 'esc-1',
    incidentId: 'id-1',
    policy: makePolicy(),
    status: 'active',
    startedAt: '2026-11-22T05:00:00.000Z',
    timers: [],
    pages: [],
    ...overrides,
  };
}

export function makePostmortem(
  overrides: Partial<Postmortem> = {},
): Postmortem {
  return {
    id: 'pm-1',
    incident: {
      id: 'id-1',
      ref: 'INC-1',
      title: 'Checkout is down',
      severity: 'sev1',
      status: 'postmortem',
      affectedServices: ['component:default/payments-api'],
      openedAt: '2026-11-22T05:00:00.000Z',
      resolvedAt: '2026-11-22T07:00:00.000Z',
    },
    title: 'Postmortem: INC-1 Checkout is down',
    status: 'draft',
    version: 1,
    revision: 1,
    body: '# Postmortem: INC-1 Checkout is down\n\n## Summary\n\nIt broke.\n\n## Root cause\n\nAn expired certificate.\n',
    createdBy: 'user:default/guest',
    createdAt: '2026-11-22T08:00:00.000Z',
    updatedBy: 'user:default/guest',
    updatedAt: '2026-11-22T08:00:00.000Z',
    ...overrides,
  };
}

export function makePublicRecord(
  overrides: Partial<PublicRecord> = {},
): PublicRecord {
  return {
    id: 'pr-1',
    incidentId: 'id-1',
    name: 'Checkout errors',
    status: 'investigating',
    lifecycleStatus: 'investigating',
    published: true,
    auto: true,
    startedAt: '2026-11-22T05:00:00.000Z',
    createdAt: '2026-11-22T05:00:00.000Z',
    updatedAt: '2026-11-22T05:00:00.000Z',
    components: [{ entityRef: 'component:default/payments-api' }],
    updates: [
      {
        id: 'u-1',
        status: 'investigating',
        body: 'We are investigating this issue.',
        createdAt: '2026-11-22T05:00:00.000Z',
      },
    ],
    ...overrides,
  };
}

export function makeMaintenance(
  overrides: Partial<Maintenance> = {},
): Maintenance {
  return {
    id: 'm-1',
    name: 'Database upgrade',
    status: 'scheduled',
    scheduledFor: '2026-11-23T05:00:00.000Z',
    scheduledUntil: '2026-11-23T07:00:00.000Z',
    createdBy: 'user:default/alice',
    createdAt: '2026-11-22T05:00:00.000Z',
    updatedAt: '2026-11-22T05:00:00.000Z',
    components: ['component:default/payments-api'],
    updates: [],
    ...overrides,
  };
}
