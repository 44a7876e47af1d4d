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
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Config } from '@backstage/config';
import { Router } from 'express';
import { Knex } from 'knex';
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
import { registerIncidentsActions } from './actions';
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
import { OncallNotices } from './oncall/OncallNotices';
import { OncallService } from './oncall/OncallService';
import { SwapService } from './oncall/SwapService';
import { DatabasePagingStore } from './paging/DatabasePagingStore';
import { NotificationsPager, WebhookPager } from './paging/pagers';
import { OutboxChannel, PagingService } from './paging/PagingService';
import { DatabasePostmortemStore } from './postmortems/DatabasePostmortemStore';
import { PostmortemService } from './postmortems/PostmortemService';
import { PostmortemReminders } from './postmortems/reminders';
import { DatabaseInsightsStore } from './insights/DatabaseInsightsStore';
import { InsightsService } from './insights/InsightsService';
import { OncallLoadService } from './insights/OncallLoadService';
import { createRouter } from './router';
import { AckLinkService } from './chat/AckLinkService';
import { DatabaseAckLinkStore } from './chat/DatabaseAckLinkStore';
import { ChatService } from './chat/ChatService';
import { ChatOutboxChannel, ChatPager } from './chat/ChatChannels';
import { SlackInteractions } from './chat/SlackInteractions';
import { createSlackRouter } from './chat/slackRoutes';
import { StatusPageCatalog } from './statuspage/catalogNames';
import { DatabaseStatusPageStore } from './statuspage/DatabaseStatusPageStore';
import { MaintenanceService } from './statuspage/MaintenanceService';
import { StatusPageOverviews } from './statuspage/overview';
import { PublicStatusPage } from './statuspage/PublicStatusPage';
import { StatusPageService } from './statuspage/StatusPageService';
import {
  StatusPageWebhookChannel,
  subscriberChannel,
} from './statuspage/subscribers';
import { IncidentsSettings, readIncidentsSettings } from './settings';
import { restrictServicePrincipals } from './authorization/servicePrincipals';
import { RunbookService } from './runbooks/RunbookService';
import { BlastRadiusService } from './blastRadius/BlastRadiusService';

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
  /** Offers Vigil's actions to agents (MCP); without it (benches, the test app) there are none. */
  actionsRegistry?: ActionsRegistryService;
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
  oncallNotices: OncallNotices;
  swaps: SwapService;
  escalation: EscalationService;
  paging: PagingService;
  ackLinks: AckLinkService;
  chat: ChatService;
  alerts: AlertService;
  postmortems: PostmortemService;
  reminders: PostmortemReminders;
  statusPage: StatusPageService;
  maintenance: MaintenanceService;
  statusPageOverviews: StatusPageOverviews;
  insights: InsightsService;
  oncallLoad: OncallLoadService;
  runbooks: RunbookService;
  blastRadius: BlastRadiusService;
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
    paging: DatabasePagingStore;
    statusPage: DatabaseStatusPageStore;
  };
  /** The public status page (documents and cache), when enabled. */
  publicStatusPage: PublicStatusPage;
  /**
   * Checks, once the backend has started, that the status page's components
   * exist in the catalog; fails naming the keys.
   */
  checkStatusPage: (retry?: {
    attempts: number;
    delayMs: number;
  }) => Promise<void>;
  /** Records alerts without following up (tests stage interrupted deliveries). */
  alertRecorder: AlertRecorder;
  settings: IncidentsSettings;
  /** Every scheduled task, each owned by its service. */
  tasks: TaskDefinition[];
}

type Stores = IncidentsBackend['stores'];

/** What every domain builder gets. */
interface Context {
  deps: IncidentsBackendDeps;
  options: IncidentsBackendOptions;
  settings: IncidentsSettings;
  stores: Stores;
  authorizer: IncidentAuthorizer;
  knex: Knex;
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
  const knex = await deps.database.getClient();
  const stores = await createStores(deps.database, settings);
  const authorizer = createAuthorizer(deps, stores, settings);
  const ctx: Context = { deps, options, settings, stores, authorizer, knex };

  const { incidents, attachments, oncall } = createIncidents(ctx);
  const oncallNotices = new OncallNotices({
    ...deps,
    oncall,
    store: stores.oncall,
    config: settings.oncallNotices,
    appBaseUrl: settings.appBaseUrl,
    now: options.now,
  });
  const swaps = new SwapService({
    ...deps,
    store: stores.oncall,
    oncall,
    authorizer,
    appBaseUrl: settings.appBaseUrl,
  });
  const status = createStatusPage(ctx, incidents, attachments);
  const ackLinks = createAckLinks(ctx, incidents);
  const chat = createChat(ctx);
  const { paging, escalation } = createPaging(
    ctx,
    oncall,
    [...status.channels, ...chat.channels],
    ackLinks,
    chat.pagers,
  );
  const toolbox = createToolbox(ctx, incidents);
  const { postmortems, reminders } = createPostmortems(
    ctx,
    incidents,
    toolbox.runbooks,
  );
  const { alerts, storms, recorder } = createAlerts(
    ctx,
    incidents,
    status.maintenance,
  );

  // After each committed change: escalation starts and stops paging,
  // postmortems start with their move, storms follow their parent.
  incidents.addListener((change, actor) =>
    escalation.onIncidentChange(change, actor),
  );
  incidents.addListener((change, actor) =>
    postmortems.onIncidentChange(change, actor),
  );
  incidents.addListener(change => storms.onIncidentChange(change));
  incidents.addListener(change => status.statusPage.onIncidentChange(change));
  incidents.addListener((change, actor) =>
    chat.service.onIncidentChange(change, actor),
  );
  await chat.service.subscribe(deps.events);

  await oncall.syncFromConfig();

  const services: IncidentsServices = {
    incidents,
    attachments,
    oncall,
    oncallNotices,
    swaps,
    escalation,
    paging,
    ackLinks,
    chat: chat.service,
    alerts,
    postmortems,
    reminders,
    statusPage: status.statusPage,
    maintenance: status.maintenance,
    statusPageOverviews: status.overviews,
    ...createInsights(ctx, oncall),
    ...toolbox,
  };
  // Agents (MCP) get the same services the HTTP API calls.
  if (deps.actionsRegistry) {
    registerIncidentsActions(deps.actionsRegistry, services);
  }
  return {
    router: await createRouter({
      knex,
      httpAuth: deps.httpAuth,
      services,
      publicStatusPage: settings.statusPage.enabled
        ? status.publicPage
        : undefined,
      slackRouter: createSlackRouter({
        signingSecret: settings.chat.slackSigningSecret,
        interactions: new SlackInteractions({ ...deps, ackLinks }),
        logger: deps.logger,
        now: options.now,
      }),
    }),
    services,
    stores,
    publicStatusPage: status.publicPage,
    checkStatusPage: retry =>
      status.catalog.assertComponentsExist(
        retry ?? { attempts: 20, delayMs: 3000 },
      ),
    alertRecorder: recorder,
    settings,
    tasks: [
      ...oncall.tasks(),
      ...oncallNotices.tasks(),
      ...escalation.tasks(),
      ...reminders.tasks(),
    ],
  };
}

/** Incidents, what members add to them, and on-call. */
function createIncidents(ctx: Context) {
  const { deps, options, settings, stores, authorizer } = ctx;
  const incidents = new IncidentService({
    ...deps,
    store: stores.incidents,
    authorizer,
    catalogRefs: new CatalogRefValidator(deps),
  });
  const attachments = new AttachmentService({
    incidents,
    store: stores.incidents,
    authorizer,
    catalogRefs: new CatalogRefValidator(deps),
    now: options.now,
  });
  const oncall = new OncallService({
    ...deps,
    store: stores.oncall,
    schedules: settings.schedules,
    horizonWeeks: settings.horizonWeeks,
    authorizer,
    now: options.now,
  });
  return { incidents, attachments, oncall };
}

/** Runbooks and the blast radius, read from the catalog and alerts. */
function createToolbox(ctx: Context, incidents: IncidentService) {
  const { deps, options, settings, stores } = ctx;
  return {
    runbooks: new RunbookService({
      ...deps,
      getIncident: (id, credentials) => incidents.get(id, credentials),
      authorizeViewer: (credentials, what) =>
        incidents.authorizeViewer(credentials, what),
      listAlerts: query => stores.alerts.list(query),
      config: settings.runbooks,
    }),
    blastRadius: new BlastRadiusService({
      ...deps,
      incidents,
      appBaseUrl: settings.appBaseUrl,
      settings: { maxDepth: settings.blastRadiusMaxDepth },
      now: options.now,
    }),
  };
}

function createInsights(ctx: Context, oncall: OncallService) {
  const { options, settings, stores, authorizer, knex } = ctx;
  return {
    insights: new InsightsService({
      store: new DatabaseInsightsStore(knex, stores.incidents),
      reader: stores.incidents,
      authorizer,
      config: settings.metrics,
      now: options.now,
    }),
    oncallLoad: new OncallLoadService({
      oncall,
      pages: stores.paging,
      reader: stores.incidents,
      authorizer,
      config: settings.metrics,
    }),
  };
}

async function createStores(
  database: DatabaseService,
  settings: IncidentsSettings,
): Promise<Stores> {
  const incidents = await DatabaseIncidentStore.create({ database });
  const paging = await DatabasePagingStore.create({ database, incidents });
  return {
    incidents,
    paging,
    escalation: await DatabaseEscalationStore.create({ database, incidents }),
    alerts: await DatabaseAlertStore.create({ database }),
    postmortems: await DatabasePostmortemStore.create({
      database,
      incidents,
      timeline: incidents.timeline,
    }),
    oncall: await DatabaseOncallStore.create({ database }),
    statusPage: await DatabaseStatusPageStore.create({
      database,
      timeline: incidents.timeline,
      outbox: paging,
      subscriberChannels: settings.statusPage.subscribers.map(s =>
        subscriberChannel(s.id),
      ),
    }),
  };
}

/** Registers the permissions (when a registry is given) and decides them. */
function createAuthorizer(
  deps: IncidentsBackendDeps,
  stores: Stores,
  settings: IncidentsSettings,
) {
  const pagedUsers = (id: string) => stores.paging.pagedUsers(id);
  const registry = deps.permissionsRegistry;
  if (registry) {
    registerIncidentPermissions(registry, {
      getIncident: ref => stores.incidents.get(ref),
      pagedUsers,
    });
  }
  return new IncidentAuthorizer({
    // incidents.servicePrincipals narrows what listed service subjects hold
    permissions: restrictServicePrincipals(
      deps.permissions,
      deps.auth,
      settings.servicePrincipals,
    ),
    ruleset: registry
      ? registry.getPermissionRuleset(incidentPermissionResourceRef)
      : rulesetOf(),
    pagedUsers,
  });
}

/** One-click acknowledge links of pages. */
function createAckLinks(ctx: Context, incidents: IncidentService) {
  const { options, settings, stores, knex } = ctx;
  return new AckLinkService({
    store: new DatabaseAckLinkStore(knex),
    pages: stores.paging,
    incidents,
    reader: stores.incidents,
    secret: settings.chat.ackLinks.secret,
    ttlMs: settings.chat.ackLinks.ttlMs,
    appBaseUrl: settings.appBaseUrl,
    now: options.now,
  });
}

/** Chat channels: their outbox senders, their pagers and the posts. */
function createChat(ctx: Context) {
  const { deps, options, settings, stores, knex } = ctx;
  const config = settings.chat;
  const service = new ChatService({
    ...deps,
    config,
    outbox: stores.paging,
    db: knex,
    appBaseUrl: settings.appBaseUrl,
    now: options.now,
  });
  const interactive = Boolean(config.slackSigningSecret);
  return {
    service,
    channels: config.channels.map(c => new ChatOutboxChannel(c)),
    pagers: config.channels.map(
      c =>
        new ChatPager(c, {
          policy: config.severityPolicy,
          interactive,
          nameOf: ref => service.nameOf(ref),
        }),
    ),
  };
}

function createPaging(
  ctx: Context,
  oncall: OncallService,
  channels: OutboxChannel[],
  ackLinks: AckLinkService,
  chatPagers: IncidentPager[],
) {
  const { deps, options, settings, stores, knex } = ctx;
  const config = settings.escalation;
  const notificationsPager =
    options.notificationsPager ?? new NotificationsPager(deps.notifications);
  const paging = new PagingService({
    store: stores.paging,
    pagers: [
      ...(notificationsPager ? [notificationsPager] : []),
      ...config.webhooks.map(w => new WebhookPager(w)),
      ...chatPagers,
      ...(options.pagers ?? []),
    ],
    channels,
    retry: config.retry,
    logger: deps.logger,
    appBaseUrl: settings.appBaseUrl,
    ackLinks,
    pagersBySeverity: Object.fromEntries(
      Object.entries(settings.chat.severityPolicy).flatMap(([s, e]) =>
        e?.pagers ? [[s, e.pagers]] : [],
      ),
    ),
    now: options.now,
  });
  const escalation = new EscalationService({
    ...deps,
    ...options,
    db: knex,
    store: stores.escalation,
    pages: stores.paging,
    paging,
    incidents: stores.incidents,
    timeline: stores.incidents.timeline,
    config,
    policies: new PolicySelector({ ...deps, config }),
    recipients: new RecipientResolver({
      ...deps,
      onCallUsers: (ids, at) => oncall.onCallUsers(ids, at),
    }),
  });
  return { paging, escalation };
}

function createPostmortems(
  ctx: Context,
  incidents: IncidentService,
  runbooks: RunbookService,
) {
  const { deps, options, settings, stores } = ctx;
  const postmortems = new PostmortemService({
    ...deps,
    store: stores.postmortems,
    incidents,
    incidentReader: stores.incidents,
    authorizer: ctx.authorizer,
    config: settings.postmortems,
    runbooks: async incident => (await runbooks.ofIncident(incident)).runbooks,
    now: options.now,
  });
  const reminders = new PostmortemReminders({
    ...deps,
    store: stores.postmortems,
    actionItems: stores.incidents,
    config: settings.postmortems,
    appBaseUrl: settings.appBaseUrl,
    now: options.now,
  });
  return { postmortems, reminders };
}

function createStatusPage(
  ctx: Context,
  incidents: IncidentService,
  attachments: AttachmentService,
) {
  const { deps, options, settings, stores, authorizer } = ctx;
  const config = settings.statusPage;
  const catalog = new StatusPageCatalog({ ...deps, config, now: options.now });
  const publicPage = new PublicStatusPage({
    ...deps,
    store: stores.statusPage,
    reader: stores.incidents,
    config,
    names: () => catalog.publicNames(),
    baseUrl: settings.publicBaseUrl,
    now: options.now,
  });
  // This replica's own changes show at once; other replicas' by the version.
  stores.statusPage.onChange(() => publicPage.invalidate());
  const statusPage = new StatusPageService({
    ...deps,
    store: stores.statusPage,
    incidents,
    attachments,
    reader: stores.incidents,
    authorizer,
    config,
    now: options.now,
  });
  const maintenance = new MaintenanceService({
    store: stores.statusPage,
    authorizer,
    config,
    now: options.now,
  });
  const overviews = new StatusPageOverviews({
    config,
    page: publicPage,
    authorizer,
  });
  const channels = config.subscribers.map(
    s => new StatusPageWebhookChannel(s, publicPage),
  );
  return { catalog, publicPage, statusPage, maintenance, overviews, channels };
}

function createAlerts(
  ctx: Context,
  incidents: IncidentService,
  maintenance: MaintenanceService,
) {
  const { deps, options, settings, stores, knex } = ctx;
  const reader = stores.incidents;
  const actions = new AlertIncidentActions(incidents, reader);
  const storms = new StormService({
    ...deps,
    store: stores.alerts,
    incidents,
    reader,
    actions,
    config: settings.alerts.storm,
    now: options.now,
  });
  const recorder = new AlertRecorder({
    knex,
    store: stores.alerts,
    incidents: reader,
  });
  const alerts = new AlertService({
    ...deps,
    store: stores.alerts,
    recorder,
    storms,
    actions,
    incidents,
    authorizer: ctx.authorizer,
    mapper: new AlertEntityMapper({
      ...deps,
      serviceLabel: settings.alerts.serviceLabel,
    }),
    config: settings.alerts,
    maintenance: (entityRef, at) => maintenance.underMaintenance(entityRef, at),
    now: options.now,
  });
  return { alerts, storms, recorder };
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
