import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams } from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { incidentPermissionRules } from '@vigil/plugin-incidents-node';
import express from 'express';
import { Knex } from 'knex';
import { DatabaseIncidentStore } from '../incidents/DatabaseIncidentStore';
import { IncidentService } from '../incidents/IncidentService';
import { createRouter } from '../service/router';
import { ScheduleDefinition } from '../oncall/config';
import { DatabaseOncallStore } from '../oncall/DatabaseOncallStore';
import { OncallService } from '../oncall/OncallService';
import { testEntities, TestPolicy } from './startIncidentsBackend';
import { IncidentPager } from '@vigil/plugin-incidents-node';
import { EscalationConfig } from '../escalation/config';
import { DatabaseEscalationStore } from '../escalation/DatabaseEscalationStore';
import { EscalationService } from '../escalation/EscalationService';
import { AlertEntityMapper } from '../alerts/AlertEntityMapper';
import { AlertService } from '../alerts/AlertService';
import { AlertsConfig } from '../alerts/config';
import { DatabaseAlertStore } from '../alerts/DatabaseAlertStore';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  DEFAULT_POSTMORTEM_CONFIG,
  PostmortemConfig,
} from '../postmortems/config';
import { DatabasePostmortemStore } from '../postmortems/DatabasePostmortemStore';
import { PostmortemService } from '../postmortems/PostmortemService';
import { PostmortemReminders } from '../postmortems/reminders';

/**
 * The real router, store and service on a bare express app, wrapped so that
 * every response is checked against the OpenAPI spec. Callers authenticate
 * with `mockCredentials.user.header(ref)`; permission decisions come from
 * `policy`; published events and signals are captured.
 */
export async function createTestApp(
  knex: Knex,
  options: {
    policy?: TestPolicy;
    catalog?: CatalogService;
    schedules?: ScheduleDefinition[];
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
  } = {},
) {
  const policy: TestPolicy =
    options.policy ?? (() => ({ result: AuthorizeResult.ALLOW }));
  const events: EventParams[] = [];
  const signals: Array<{ channel: string; message: any }> = [];
  const database = mockServices.database({ knex, migrations: { skip: false } });
  const store = await DatabaseIncidentStore.create({ database });
  const rules = Object.values(incidentPermissionRules);
  const permissions: PermissionsService = {
    authorize: async (requests, { credentials }) =>
      requests.map(r => policy(r.permission, credentials) as any),
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(r => policy(r.permission, credentials) as any),
  };
  const logger = mockServices.logger.mock();
  const catalog =
    options.catalog ?? catalogServiceMock({ entities: testEntities });
  const oncall = new OncallService({
    store: await DatabaseOncallStore.create({ database }),
    schedules: options.schedules ?? [],
    horizonWeeks: 8,
    catalog,
    auth: mockServices.auth(),
    permissions,
    logger,
    now: options.now,
  });
  await oncall.syncFromConfig();
  const escalationStore = await DatabaseEscalationStore.create({ database });
  const escalation = new EscalationService({
    store: escalationStore,
    config: {
      interval: { seconds: 2 },
      pagingSeverities: ['sev1', 'sev2'],
      policies: [],
      webhooks: [],
      retry: { maxAttempts: 3, initialBackoffMs: 10_000, maxBackoffMs: 60_000 },
      ...options.escalation,
    },
    pagers: options.pagers ?? [],
    onCallUsers: (ids, at) => oncall.onCallUsers(ids, at),
    catalog,
    auth: mockServices.auth(),
    logger,
    signals: {
      publish: async (signal: any) => {
        signals.push({ channel: signal.channel, message: signal.message });
      },
    },
    appBaseUrl: 'http://localhost:3000',
    now: options.now,
    kickOnStart: false,
    instanceId: options.instanceId,
  });
  const auditor = mockServices.auditor.mock({
    createEvent: async () => ({
      success: async () => {},
      fail: async () => {},
    }),
  });
  const service = new IncidentService({
    store,
    catalog,
    auth: mockServices.auth(),
    permissions,
    permissionRuleset: {
      getRuleByName: name => {
        const rule = rules.find(r => r.name === name);
        if (!rule) throw new Error(`no rule ${name}`);
        return rule as any;
      },
    },
    pagedUsers: id => escalationStore.pagedUsers(id),
    auditor,
    events: {
      publish: async params => {
        events.push(params);
      },
      subscribe: async () => {},
    },
    signals: {
      publish: async (signal: any) => {
        signals.push({ channel: signal.channel, message: signal.message });
      },
    },
    logger,
  });
  const postmortemConfig = {
    ...DEFAULT_POSTMORTEM_CONFIG,
    ...options.postmortems,
  };
  const postmortemStore = await DatabasePostmortemStore.create({ database });
  const postmortems = new PostmortemService({
    store: postmortemStore,
    incidents: service,
    incidentStore: store,
    auditor,
    logger,
    config: postmortemConfig,
    now: options.now,
  });
  const notifications: NotificationSendOptions[] = [];
  const reminders = new PostmortemReminders({
    store: postmortemStore,
    notifications: {
      send: async notification => {
        notifications.push(notification);
      },
    },
    logger,
    config: postmortemConfig,
    appBaseUrl: 'http://localhost:3000',
    now: options.now,
  });
  const alertStore = await DatabaseAlertStore.create({ database });
  const alerts = new AlertService({
    store: alertStore,
    incidents: service,
    incidentStore: store,
    mapper: new AlertEntityMapper({
      catalog,
      auth: mockServices.auth(),
      serviceLabel: options.alerts?.serviceLabel ?? 'service',
    }),
    config: {
      serviceLabel: 'service',
      tagLabels: [],
      defaultSeverity: 'sev3',
      openSeverities: ['sev1', 'sev2'],
      autoResolve: true,
      storm: { enabled: true, windowMs: 60_000, threshold: 5 },
      eventsV2RoutingKeys: [],
      ...options.alerts,
    },
    logger,
    now: options.now,
  });
  service.addListener((change, actor) =>
    escalation.onIncidentChange(change, actor),
  );
  service.addListener((change, actor) =>
    postmortems.onIncidentChange(change, actor),
  );
  service.addListener(change => alerts.onIncidentChange(change));
  const router = await createRouter({
    knex,
    httpAuth: mockServices.httpAuth(),
    incidents: { service, store },
    oncall,
    escalation,
    postmortems,
    alerts: { service: alerts, store: alertStore },
  });
  const app = express()
    .use(router)
    .use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger,
      }).error(),
    );
  const server = await wrapServer(app);
  return {
    server,
    app,
    store,
    events,
    signals,
    oncall,
    escalation,
    alerts,
    alertStore,
    postmortems,
    postmortemStore,
    reminders,
    notifications,
  };
}
