import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EventParams,
  EventsServiceSubscribeOptions,
} from '@backstage/plugin-events-node';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { IncidentPager } from '@vigil/plugin-incidents-node';
import express from 'express';
import { Knex } from 'knex';
import { AlertsConfig } from '../alerts/config';
import { EscalationConfig } from '../escalation/config';
import { MetricsConfig } from '../insights/config';
import {
  createIncidentsBackend,
  IncidentsBackendDeps,
} from '../IncidentsBackend';
import { OncallNoticeConfig, ScheduleDefinition } from '../oncall/config';
import { PostmortemConfig } from '../postmortems/config';
import { readIncidentsSettings } from '../settings';
import { StatusPageConfig } from '../statuspage/config';
import { ConfiguredRunbook } from '../runbooks/config';
import { ChatConfig } from '../chat/config';
import { testEntities, TestPolicy } from './startIncidentsBackend';

/**
 * The real plugin (the composition root the plugin itself uses) on a bare
 * express app, wrapped so that every response is checked against the
 * OpenAPI spec. Callers authenticate with `mockCredentials.user.header(ref)`;
 * permission decisions come from `policy`; published events, signals and
 * notifications are captured. Scheduled tasks don't run by themselves:
 * tests call them (`escalation.tick()`, `reminders.run()`).
 */
export async function createTestApp(
  knex: Knex,
  options: {
    policy?: TestPolicy;
    catalog?: CatalogService;
    schedules?: ScheduleDefinition[];
    /** Hand-off and shift notices; the defaults otherwise. */
    oncallNotices?: Partial<OncallNoticeConfig>;
    now?: () => Date;
    /** Escalation settings; policies default to none. */
    escalation?: Partial<EscalationConfig>;
    pagers?: IncidentPager[];
    /** Distinguishes replicas in multi-instance tests. */
    instanceId?: string;
    /** Alert intake settings; the defaults otherwise. */
    alerts?: Partial<AlertsConfig>;
    /** Postmortem settings; the defaults otherwise. */
    postmortems?: Partial<PostmortemConfig>;
    /** The status page; off unless given. */
    statusPage?: Partial<StatusPageConfig>;
    /** Response targets, business hours and time zone of the metrics. */
    metrics?: Partial<MetricsConfig>;
    /** `incidents.runbooks`, as read. */
    runbooks?: ConfiguredRunbook[];
    /** Chat channels, severity policy and acknowledge links. */
    chat?: Partial<ChatConfig>;
    /** The frontend's base URL (links in pages). */
    appBaseUrl?: string;
  } = {},
) {
  const { deps, events, signals, notifications, logger, permissionCalls } =
    testDeps(knex, options.policy, options.catalog);
  const defaults = readIncidentsSettings(new ConfigReader({}));
  const backend = await createIncidentsBackend(deps, {
    settings: {
      schedules: options.schedules ?? [],
      oncallNotices: { ...defaults.oncallNotices, ...options.oncallNotices },
      escalation: {
        ...defaults.escalation,
        retry: {
          maxAttempts: 3,
          initialBackoffMs: 10_000,
          maxBackoffMs: 60_000,
        },
        ...options.escalation,
      },
      alerts: { ...defaults.alerts, ...options.alerts },
      postmortems: { ...defaults.postmortems, ...options.postmortems },
      statusPage: {
        ...defaults.statusPage,
        ...(options.statusPage ? { enabled: true } : {}),
        ...options.statusPage,
      },
      metrics: { ...defaults.metrics, ...options.metrics },
      runbooks: options.runbooks ?? [],
      chat: { ...defaults.chat, ...options.chat },
      ...(options.appBaseUrl ? { appBaseUrl: options.appBaseUrl } : {}),
    },
    pagers: options.pagers ?? [],
    notificationsPager: false,
    now: options.now,
    kickOnStart: false,
    instanceId: options.instanceId,
  });
  const app = express()
    .use(backend.router)
    .use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger,
      }).error(),
    );
  const server = await wrapServer(app);
  const { services, stores } = backend;
  return {
    server,
    app,
    store: stores.incidents,
    events,
    signals,
    notifications,
    /** Every call of the permissions service, in order. */
    permissionCalls,
    oncall: services.oncall,
    oncallNotices: services.oncallNotices,
    swaps: services.swaps,
    oncallStore: stores.oncall,
    escalation: services.escalation,
    alerts: services.alerts,
    alertStore: stores.alerts,
    alertRecorder: backend.alertRecorder,
    postmortems: services.postmortems,
    postmortemStore: stores.postmortems,
    reminders: services.reminders,
    statusPage: services.statusPage,
    publicStatusPage: backend.publicStatusPage,
    checkStatusPage: backend.checkStatusPage,
    runbooks: services.runbooks,
    blastRadius: services.blastRadius,
    paging: services.paging,
    pagingStore: stores.paging,
    ackLinks: services.ackLinks,
    chat: services.chat,
    /** Publishes on the events service, as another plugin would. */
    publishEvent: (params: EventParams) => deps.events.publish(params),
    knex,
  };
}

/**
 * Backstage's services for the test app: mocks whose permission decisions
 * come from `policy`, with events, signals and notifications captured.
 */
function testDeps(
  knex: Knex,
  policy: TestPolicy | undefined,
  catalog?: CatalogService,
) {
  const decide: TestPolicy =
    policy ?? (() => ({ result: AuthorizeResult.ALLOW }));
  const events: EventParams[] = [];
  const subscribers: EventsServiceSubscribeOptions[] = [];
  const signals: Array<{ channel: string; message: any }> = [];
  const notifications: NotificationSendOptions[] = [];
  const permissionCalls: PermissionCall[] = [];
  const record = (method: PermissionCall['method'], requests: any[]) =>
    permissionCalls.push({
      method,
      permissions: requests.map(r => r.permission.name),
    });
  const permissions: PermissionsService = {
    authorize: async (requests, { credentials }) => {
      record('authorize', requests);
      return requests.map(r => decide(r.permission, credentials) as any);
    },
    authorizeConditional: async (requests, { credentials }) => {
      record('authorizeConditional', requests);
      return requests.map(r => decide(r.permission, credentials) as any);
    },
  };
  const logger = mockServices.logger.mock();
  const deps: IncidentsBackendDeps = {
    config: new ConfigReader({}),
    logger,
    database: mockServices.database({ knex, migrations: { skip: false } }),
    httpAuth: mockServices.httpAuth(),
    auth: mockServices.auth(),
    permissions,
    auditor: mockServices.auditor.mock({
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    }),
    catalog: catalog ?? catalogServiceMock({ entities: testEntities }),
    // Published events are kept and handed to subscribers, in process.
    events: {
      publish: async params => {
        events.push(params);
        for (const s of subscribers) {
          if (s.topics.includes(params.topic)) await s.onEvent(params);
        }
      },
      subscribe: async subscriber => {
        subscribers.push(subscriber);
      },
    },
    signals: {
      publish: async (signal: any) => {
        signals.push({ channel: signal.channel, message: signal.message });
      },
    },
    notifications: {
      send: async notification => {
        notifications.push(notification);
      },
    },
  };
  return { deps, events, signals, notifications, logger, permissionCalls };
}

/** One call of the permissions service: each is a round trip in a real backend. */
export type PermissionCall = {
  method: 'authorize' | 'authorizeConditional';
  permissions: string[];
};
