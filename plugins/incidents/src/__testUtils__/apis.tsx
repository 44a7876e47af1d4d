import { ReactNode } from 'react';
import { RenderResult } from '@testing-library/react';
import {
  alertApiRef,
  identityApiRef,
  IdentityApi,
} from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { Entity } from '@backstage/catalog-model';
import { IncidentSignal } from '@vigil/plugin-incidents-common';
import { IncidentsApi, incidentsApiRef } from '../api';
import { rootRouteRef } from '../routes';
import {
  makeDetail,
  makeEntry,
  makeMaintenance,
  makePostmortem,
  makePublicRecord,
  makeSlot,
} from './fixtures';
import {
  makeChangeFailure,
  makeFrequency,
  makeOncallLoad,
  makeSla,
  makeSummary,
} from './metrics';
import { makeBlastRadius, makeRunbooks } from './toolbox';

/** An IncidentsApi whose every method is a jest mock with a harmless default. */
export function createFakeIncidentsApi(
  overrides: Partial<IncidentsApi> = {},
): jest.Mocked<IncidentsApi> {
  return {
    getHealth: jest.fn(async () => ({
      status: 'ok' as const,
      database: 'better-sqlite3',
      migration: '20261122000000_init.js',
      time: '2026-11-22T05:00:00.000Z',
    })),
    listIncidents: jest.fn(async () => ({ items: [], totalCount: 0 })),
    openIncident: jest.fn(async req => ({
      ...makeDetail({ id: 'id-new', ref: 'INC-9' }),
      title: req.title,
    })),
    getIncident: jest.fn(async () => makeDetail()),
    updateIncident: jest.fn(async () => makeDetail()),
    moveIncident: jest.fn(async (_id, status) => makeDetail({ status })),
    getTimeline: jest.fn(async () => [makeEntry()]),
    inspectAckLink: jest.fn(async () => ({
      pageId: 'page-1',
      recipient: 'user:default/guest',
      step: 1,
      expiresAt: '2026-11-22T09:00:00.000Z',
      canAcknowledge: true,
      incident: {
        id: 'id-1',
        ref: 'INC-1',
        title: 'Checkout failing',
        severity: 'sev1' as const,
        status: 'open' as const,
      },
    })),
    acknowledgeByLink: jest.fn(async () =>
      makeDetail({ status: 'investigating', acknowledgedVia: 'link' }),
    ),
    addNote: jest.fn(async (_id, note) =>
      makeEntry({ id: 'note', kind: 'note', message: note.message }),
    ),
    mergeIncident: jest.fn(async () => makeDetail()),
    addStatusUpdate: jest.fn(async (id, update) => ({
      id: 'su',
      incidentId: id,
      author: 'user:default/guest',
      createdAt: '2026-11-22T05:00:00.000Z',
      ...update,
    })),
    addEvidence: jest.fn(async (id, evidence) => ({
      id: 'ev',
      incidentId: id,
      addedBy: 'user:default/guest',
      createdAt: '2026-11-22T05:00:00.000Z',
      ...evidence,
    })),
    addActionItem: jest.fn(async (id, item) => ({
      id: 'ai',
      incidentId: id,
      done: false,
      createdAt: '2026-11-22T05:00:00.000Z',
      ...item,
    })),
    updateActionItem: jest.fn(async (id, itemId, patch) => ({
      id: itemId,
      incidentId: id,
      title: 'item',
      done: false,
      createdAt: '2026-11-22T05:00:00.000Z',
      ...patch,
    })),
    getOncallNow: jest.fn(async () => ({ items: [] })),
    listSchedules: jest.fn(async () => ({ items: [] })),
    listScheduleSlots: jest.fn(async () => ({ items: [] })),
    getCalendarUrl: jest.fn(
      async (id: string) =>
        `http://localhost/api/incidents/schedules/${id}/calendar.ics`,
    ),
    getMyShiftsUrl: jest.fn(
      async () => 'http://localhost/api/incidents/oncall/my-shifts.ics',
    ),
    getCalendarSubscription: jest.fn(async (scheduleId?: string) => ({
      url: `http://localhost/api/incidents/oncall/feeds/token-${
        scheduleId ?? 'mine'
      }`,
      webcal: `webcal://localhost/api/incidents/oncall/feeds/token-${
        scheduleId ?? 'mine'
      }`,
    })),
    listMySwaps: jest.fn(async () => ({ items: [] })),
    proposeScheduleSwap: jest.fn(async (scheduleId, request) => ({
      id: 'swap-1',
      scheduleId,
      requester: 'user:default/guest',
      target: request.targetRef,
      start: request.start,
      end: request.end,
      status: 'pending' as const,
      createdAt: '2026-11-22T05:00:00.000Z',
    })),
    decideScheduleSwap: jest.fn(async (scheduleId, swapId, decision) => ({
      id: swapId,
      scheduleId,
      requester: 'user:default/bob',
      target: 'user:default/guest',
      start: '2026-11-23T08:00:00.000Z',
      end: '2026-11-24T08:00:00.000Z',
      status: (
        {
          accept: 'accepted',
          decline: 'declined',
          cancel: 'cancelled',
        } as const
      )[decision],
      createdAt: '2026-11-22T05:00:00.000Z',
    })),
    getScheduleTimeline: jest.fn(async () => ({ items: [] })),
    addScheduleOverride: jest.fn(async (scheduleId, request) =>
      makeSlot({
        id: 'override',
        scheduleId,
        userRef: request.userRef,
        start: request.start,
        end: request.end,
        isOverride: true,
        reason: request.reason,
      }),
    ),
    handoffSchedule: jest.fn(async (scheduleId, request) =>
      makeSlot({
        id: 'handoff',
        scheduleId,
        userRef: request.userRef,
        isOverride: true,
      }),
    ),
    listEscalationPolicies: jest.fn(async () => ({
      items: [],
      pagingSeverities: ['sev1' as const, 'sev2' as const],
    })),
    listIncidentEscalations: jest.fn(async () => ({ items: [] })),
    listMyOpenPages: jest.fn(async () => ({ items: [] })),
    listAlerts: jest.fn(async () => ({ items: [] })),
    getPostmortem: jest.fn(async () => makePostmortem()),
    startPostmortem: jest.fn(async () => makePostmortem()),
    savePostmortem: jest.fn(async (_id, request) =>
      makePostmortem({ body: request.body, version: request.version + 1 }),
    ),
    movePostmortem: jest.fn(async (_id, status) =>
      makePostmortem({ status, version: 2 }),
    ),
    listPostmortemRevisions: jest.fn(async () => []),
    listRelatedPostmortems: jest.fn(async () => []),
    listPostmortems: jest.fn(async () => ({ items: [], totalCount: 0 })),
    listActionItems: jest.fn(async () => ({ items: [], totalCount: 0 })),
    getIncidentStatusPage: jest.fn(async () => ({
      enabled: false,
      mayPublish: false,
      components: [],
    })),
    publishIncident: jest.fn(async () => makePublicRecord()),
    editPublicIncident: jest.fn(async () => makePublicRecord()),
    unpublishIncident: jest.fn(async () =>
      makePublicRecord({ published: false }),
    ),
    postPublicUpdate: jest.fn(async () => makePublicRecord()),
    getStatusPage: jest.fn(async () => ({
      enabled: false,
      name: 'Status',
      pageUrl: 'http://localhost:7007/api/incidents/public/status',
      indicator: 'none' as const,
      description: 'The status page is not enabled',
      components: [],
    })),
    listMaintenances: jest.fn(async () => []),
    scheduleMaintenance: jest.fn(async () => makeMaintenance()),
    updateMaintenance: jest.fn(async () => makeMaintenance()),
    getMetricsSummary: jest.fn(async () => makeSummary()),
    getMetricsFrequency: jest.fn(async () => makeFrequency()),
    getMetricsSla: jest.fn(async () => makeSla()),
    getMetricsChangeFailure: jest.fn(async () => makeChangeFailure()),
    getMetricsOncallLoad: jest.fn(async () => makeOncallLoad()),
    getMetricsCsv: jest.fn(async () => 'severity,incidents\r\nall,3\r\n'),
    getIncidentRunbooks: jest.fn(async () => makeRunbooks()),
    getEntityRunbooks: jest.fn(async () => makeRunbooks()),
    getIncidentBlastRadius: jest.fn(async () => makeBlastRadius()),
    notifyBlastRadiusOwners: jest.fn(async () => ({
      notified: ['group:default/team-web', 'group:default/team-mobile'],
      entry: makeEntry({ id: 'notified', kind: 'note' }),
    })),
    ...overrides,
  } as jest.Mocked<IncidentsApi>;
}

/**
 * A permission api that allows only the named permissions, e.g.
 * `['incidents.incident.acknowledge']`; everything when `allowed` is 'all'.
 */
export function fakePermissionApi(allowed: string[] | 'all' = 'all') {
  return {
    authorize: jest.fn(async (request: { permission: { name: string } }) => ({
      result:
        allowed === 'all' || allowed.includes(request.permission.name)
          ? 'ALLOW'
          : 'DENY',
    })),
  } as any;
}

/** A signal api that lets a test push messages to subscribers. */
export function fakeSignalApi() {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  return {
    subscribe: jest.fn((channel: string, onMessage: (m: any) => void) => {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage);
      subscribers.set(channel, set);
      return { unsubscribe: () => set.delete(onMessage) };
    }),
    publish(channel: string, message: IncidentSignal) {
      subscribers.get(channel)?.forEach(fn => fn({ ...message }));
    },
  };
}

export function fakeAlertApi() {
  return { post: jest.fn(), alert$: jest.fn() } as any;
}

export const componentEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', title: 'Payments API' },
    spec: { type: 'service' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', title: 'Checkout' },
    spec: { type: 'website' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice' },
    spec: { profile: { displayName: 'Alice Okafor' }, memberOf: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'carol' },
    spec: { profile: { displayName: 'Carol Nguyen' }, memberOf: [] },
  },
];

export interface FakeApis {
  incidentsApi: jest.Mocked<IncidentsApi>;
  permissionApi: ReturnType<typeof fakePermissionApi>;
  signalApi: ReturnType<typeof fakeSignalApi>;
  alertApi: ReturnType<typeof fakeAlertApi>;
  identityApi: IdentityApi;
}

/** Every API the plugin's components use, with overridable fakes. */
export function createTestApis(overrides: Partial<FakeApis> = {}): FakeApis {
  return {
    incidentsApi: overrides.incidentsApi ?? createFakeIncidentsApi(),
    permissionApi: overrides.permissionApi ?? fakePermissionApi(),
    signalApi: overrides.signalApi ?? fakeSignalApi(),
    alertApi: overrides.alertApi ?? fakeAlertApi(),
    identityApi:
      overrides.identityApi ??
      mockApis.identity({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: ['user:default/guest', 'group:default/sre'],
      }),
  };
}

export function TestApis(props: { apis: FakeApis; children: ReactNode }) {
  const { apis, children } = props;
  return (
    <TestApiProvider
      apis={[
        [incidentsApiRef, apis.incidentsApi],
        [permissionApiRef, apis.permissionApi],
        [signalApiRef, apis.signalApi],
        [alertApiRef, apis.alertApi],
        [identityApiRef, apis.identityApi],
        [catalogApiRef, catalogApiMock({ entities: componentEntities })],
      ]}
    >
      {children}
    </TestApiProvider>
  );
}

/** Routes the plugin's links resolve against in tests. */
export const mountedRoutes = {
  '/incidents': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

/** Renders inside a test app with every plugin API faked; returns the fakes. */
export async function renderWithApis(
  ui: ReactNode,
  options: { apis?: Partial<FakeApis>; routeEntries?: string[] } = {},
): Promise<RenderResult & { apis: FakeApis }> {
  const apis = createTestApis(options.apis);
  const result = await renderInTestApp(<TestApis apis={apis}>{ui}</TestApis>, {
    mountedRoutes,
    routeEntries: options.routeEntries,
  });
  return { ...result, apis };
}
