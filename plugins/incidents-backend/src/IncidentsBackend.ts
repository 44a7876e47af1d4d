/*
 * The composition root: builds every store, service, task and listener of
 * the plugin from Backstage's services, and the router over them. The
 * plugin (`plugin.ts`), the test app and every bench call it, so what they
 * run is what users get.
 */
import {
  AuditorService,
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Router } from 'express';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { Incident } from '@vigil/plugin-incidents-common';
import {
  IncidentPager,
  incidentPermissionResourceRef,
  incidentPermissionRules,
  IncidentPermissionQuery,
} from '@vigil/plugin-incidents-node';
import { AlertEntityMapper } from './alerts/AlertEntityMapper';
import { AlertRecorder } from './alerts/AlertRecorder';
import { AlertService } from './alerts/AlertService';
import { DatabaseAlertStore } from './alerts/DatabaseAlertStore';
import { AlertIncidentActions } from './alerts/incidentActions';
import { StormService } from './alerts/StormService';
import { IncidentAuthorizer } from './authorization/IncidentAuthorizer';
import { registerIncidentPermissions } from './authorization/resources';
import { DatabaseEscalationStore } from './escalation/DatabaseEscalationStore';
import { EscalationService } from './escalation/EscalationService';
import { PolicySelector } from './escalation/policies';
import { RecipientResolver } from './escalation/recipients';
import { AttachmentService } from './incidents/AttachmentService';
import { CatalogRefValidator } from './incidents/catalogRefs';
import { DatabaseIncidentStore } from './incidents/DatabaseIncidentStore';
import { IncidentService } from './incidents/IncidentService';
import { TaskDefinition } from './lib/tasks';
import { DatabaseOncallStore } from './oncall/DatabaseOncallStore';
import { OncallService } from './oncall/OncallService';
import { DatabasePagingStore } from './paging/DatabasePagingStore';
import { NotificationsPager, WebhookPager } from './paging/pagers';
import { PagingService } from './paging/PagingService';
import { DatabasePostmortemStore } from './postmortems/DatabasePostmortemStore';
import { PostmortemService } from './postmortems/PostmortemService';
import { PostmortemReminders } from './postmortems/reminders';
import { createRouter } from './router';
import { IncidentsSettings, readIncidentsSettings } from './settings';

/** The Backstage services Vigil runs on. */
export interface IncidentsBackendDeps {
  config: Config;
  logger: LoggerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  /** Registers Vigil's permissions and rules; without it (benches, tests) the rules are used directly. */
  permissionsRegistry?: PermissionsRegistryService;
  auditor: AuditorService;
  catalog: CatalogService;
  events: EventsService;
  signals: SignalsService;
  notifications: NotificationService;
}

/** What tests and replicas may change. */
export interface IncidentsBackendOptions {
  /** Settings instead of (or over) those read from config. */
  settings?: Partial<IncidentsSettings>;
  /** Pagers beside notifications and webhooks (the extension point). */
  pagers?: IncidentPager[];
  /** Replace the notifications pager (tests capture pages). */
  notificationsPager?: IncidentPager | false;
  /** The clock; tests move it. */
  now?: () => Date;
  /** Distinguishes replicas in multi-instance tests. */
  instanceId?: string;
  /** Run the timer task right after paging starts (off in clock tests). */
  kickOnStart?: boolean;
}

/** The plugin's services, by domain. */
export interface IncidentsServices {
  incidents: IncidentService;
  attachments: AttachmentService;
  oncall: OncallService;
  escalation: EscalationService;
  paging: PagingService;
  alerts: AlertService;
  postmortems: PostmortemService;
  reminders: PostmortemReminders;
}

/** The assembled plugin. */
export interface IncidentsBackend {
  router: Router;
  services: IncidentsServices;
  stores: {
    incidents: DatabaseIncidentStore;
    alerts: DatabaseAlertStore;
    postmortems: DatabasePostmortemStore;
    oncall: DatabaseOncallStore;
    escalation: DatabaseEscalationStore;
  };
  /** Records alerts without following up (tests stage interrupted deliveries). */
  alertRecorder: AlertRecorder;
  settings: IncidentsSettings;
  /** Every scheduled task, each owned by its service. */
  tasks: TaskDefinition[];
}

/** Builds the plugin. See the module comment. */
export async function createIncidentsBackend(
  deps: IncidentsBackendDeps,
  options: IncidentsBackendOptions = {},
): Promise<IncidentsBackend> {
  const settings = {
    ...readIncidentsSettings(deps.config),
    ...options.settings,
  };
  const { database, logger, catalog, auth, auditor, signals } = deps;
  const { now } = options;
  const knex = await database.getClient();

  // ---- stores -------------------------------------------------------------
  const incidentStore = await DatabaseIncidentStore.create({ database });
  const { timeline } = incidentStore;
  const pageStore = await DatabasePagingStore.create({
    database,
    incidents: incidentStore,
  });
  const escalationStore = await DatabaseEscalationStore.create({
    database,
    incidents: incidentStore,
  });
  const alertStore = await DatabaseAlertStore.create({ database });
  const postmortemStore = await DatabasePostmortemStore.create({
    database,
    incidents: incidentStore,
    timeline,
  });
  const oncallStore = await DatabaseOncallStore.create({ database });

  // ---- authorization ------------------------------------------------------
  const pagedUsers = (id: string) => pageStore.pagedUsers(id);
  if (deps.permissionsRegistry) {
    registerIncidentPermissions(deps.permissionsRegistry, {
      getIncident: ref => incidentStore.get(ref),
      pagedUsers,
    });
  }
  const authorizer = new IncidentAuthorizer({
    permissions: deps.permissions,
    ruleset: deps.permissionsRegistry
      ? deps.permissionsRegistry.getPermissionRuleset(
          incidentPermissionResourceRef,
        )
      : rulesetOf(),
    pagedUsers,
  });

  // ---- services -----------------------------------------------------------
  const incidents = new IncidentService({
    ...deps,
    store: incidentStore,
    authorizer,
    catalogRefs: new CatalogRefValidator({ catalog, auth }),
  });
  const attachments = new AttachmentService({
    incidents,
    store: incidentStore,
    authorizer,
    now,
  });
  const oncall = new OncallService({
    store: oncallStore,
    schedules: settings.schedules,
    horizonWeeks: settings.horizonWeeks,
    catalog,
    auth,
    authorizer,
    logger,
    now,
  });
  const { escalation: escalationConfig } = settings;
  const paging = new PagingService({
    store: pageStore,
    pagers: [
      ...(options.notificationsPager === false
        ? []
        : [
            options.notificationsPager ??
              new NotificationsPager(deps.notifications),
          ]),
      ...escalationConfig.webhooks.map(w => new WebhookPager(w)),
      ...(options.pagers ?? []),
    ],
    retry: escalationConfig.retry,
    logger,
    appBaseUrl: settings.appBaseUrl,
    now,
  });
  const escalation = new EscalationService({
    db: knex,
    store: escalationStore,
    pages: pageStore,
    paging,
    incidents: incidentStore,
    timeline,
    config: escalationConfig,
    policies: new PolicySelector({ config: escalationConfig, catalog, auth }),
    recipients: new RecipientResolver({
      onCallUsers: (ids, at) => oncall.onCallUsers(ids, at),
      catalog,
      auth,
    }),
    logger,
    signals,
    now,
    kickOnStart: options.kickOnStart,
    instanceId: options.instanceId,
  });
  const postmortems = new PostmortemService({
    store: postmortemStore,
    incidents,
    incidentReader: incidentStore,
    authorizer,
    auditor,
    logger,
    config: settings.postmortems,
    now,
  });
  const reminders = new PostmortemReminders({
    store: postmortemStore,
    actionItems: incidentStore,
    notifications: deps.notifications,
    logger,
    config: settings.postmortems,
    appBaseUrl: settings.appBaseUrl,
    now,
  });
  const actions = new AlertIncidentActions(incidents, incidentStore);
  const storms = new StormService({
    store: alertStore,
    incidents,
    reader: incidentStore,
    actions,
    config: settings.alerts.storm,
    logger,
    now,
  });
  const alertRecorder = new AlertRecorder({
    knex,
    store: alertStore,
    incidents: incidentStore,
  });
  const alerts = new AlertService({
    store: alertStore,
    recorder: alertRecorder,
    storms,
    actions,
    incidents,
    authorizer,
    mapper: new AlertEntityMapper({
      catalog,
      auth,
      serviceLabel: settings.alerts.serviceLabel,
    }),
    config: settings.alerts,
    logger,
    now,
  });

  // ---- listeners: after each committed change, escalation starts and
  // stops paging, postmortems start with their move, storms follow their
  // parent.
  incidents.addListener((change, actor) =>
    escalation.onIncidentChange(change, actor),
  );
  incidents.addListener((change, actor) =>
    postmortems.onIncidentChange(change, actor),
  );
  incidents.addListener(change => storms.onIncidentChange(change));

  await oncall.syncFromConfig();

  const services: IncidentsServices = {
    incidents,
    attachments,
    oncall,
    escalation,
    paging,
    alerts,
    postmortems,
    reminders,
  };
  return {
    router: await createRouter({ knex, httpAuth: deps.httpAuth, services }),
    services,
    stores: {
      incidents: incidentStore,
      alerts: alertStore,
      postmortems: postmortemStore,
      oncall: oncallStore,
      escalation: escalationStore,
    },
    alertRecorder,
    settings,
    tasks: [...oncall.tasks(), ...escalation.tasks(), ...reminders.tasks()],
  };
}

/** The incident rules as a ruleset, where no permissions registry is. */
function rulesetOf(): PermissionRuleset<Incident, IncidentPermissionQuery> {
  const rules = Object.values(incidentPermissionRules);
  return {
    getRuleByName: (name: string) => {
      const rule = rules.find(r => r.name === name);
      if (!rule) {
        throw new Error(`Unknown incident permission rule '${name}'`);
      }
      return rule as any;
    },
  } as PermissionRuleset<Incident, IncidentPermissionQuery>;
}
