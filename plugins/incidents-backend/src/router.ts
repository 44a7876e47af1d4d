import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { Knex } from 'knex';
import { registerAlertRoutes } from './alerts/routes';
import { registerEscalationRoutes } from './escalation/routes';
import { registerIncidentRoutes } from './incidents/routes';
import { registerInsightsRoutes } from './insights/routes';
import { currentMigration } from './lib/migrations';
import { registerOncallRoutes } from './oncall/routes';
import { registerPagingRoutes } from './paging/routes';
import { registerChatRoutes } from './chat/routes';
import { registerPostmortemRoutes } from './postmortems/routes';
import { checkRequestInput } from './lib/input';
import { methodNotAllowed } from './lib/methods';
import { createOpenApiRouter, spec } from './schema/openapi.generated';
import { createPublicRouter } from './statuspage/publicRoutes';
import { PublicStatusPage } from './statuspage/PublicStatusPage';
import { registerStatusPageRoutes } from './statuspage/routes';
import { registerRunbookRoutes } from './runbooks/routes';
import { registerBlastRadiusRoutes } from './blastRadius/routes';
import type { IncidentsServices } from './IncidentsBackend';

/**
 * The plugin's HTTP API, validated against `schema/openapi.yaml`: each
 * domain registers its routes, which call its services only.
 */
export async function createRouter(options: {
  knex: Knex;
  httpAuth: HttpAuthService;
  services: IncidentsServices;
  /** The public status page; its endpoints answer 404 without it. */
  publicStatusPage?: PublicStatusPage;
  /** Slack's interactivity endpoint (signed raw bodies, not JSON). */
  slackRouter?: express.Router;
}): Promise<express.Router> {
  const { knex, httpAuth, services } = options;
  const router = await createOpenApiRouter({
    middleware: [checkRequestInput],
  });
  router.get('/health', async (_req, res) => {
    // Touches the database so the answer means "ready", not just "running".
    const migration = await currentMigration(knex);
    res.json({
      status: 'ok',
      database: String(knex.client.config.client),
      migration,
      time: new Date().toISOString(),
    });
  });

  const { incidents, attachments } = services;
  registerIncidentRoutes(router, { incidents, attachments, httpAuth });
  registerOncallRoutes(router, {
    service: services.oncall,
    swaps: services.swaps,
    httpAuth,
  });
  registerAlertRoutes(router, { service: services.alerts, httpAuth });
  registerEscalationRoutes(router, {
    service: services.escalation,
    incidents,
    paging: services.paging,
    httpAuth,
  });
  registerPagingRoutes(router, { service: services.paging, httpAuth });
  registerChatRoutes(router, { ackLinks: services.ackLinks, httpAuth });
  registerPostmortemRoutes(router, {
    service: services.postmortems,
    httpAuth,
  });
  registerInsightsRoutes(router, {
    insights: services.insights,
    oncallLoad: services.oncallLoad,
    httpAuth,
  });
  registerStatusPageRoutes(router, {
    service: services.statusPage,
    maintenance: services.maintenance,
    overviews: services.statusPageOverviews,
    httpAuth,
  });
  registerRunbookRoutes(router, { service: services.runbooks, httpAuth });
  registerBlastRadiusRoutes(router, {
    service: services.blastRadius,
    httpAuth,
  });
  // The public page is served before the validated API: a crowd reading it
  // costs a cache lookup, not a request validation.
  // Bodies are parsed before the validated router: its error handler turns
  // every error into a 400, and a body over the limit is a 413.
  return express
    .Router()
    .use('/public', createPublicRouter(options.publicStatusPage))
    .use(options.slackRouter ?? express.Router())
    .use(jsonBodies())
    .use(router)
    .use(methodNotAllowed(spec.paths));
}

/**
 * Alert senders batch (Alertmanager groups, arrays of generic alerts) and
 * postmortems hold up to 200,000 characters (up to 3 bytes each in UTF-8);
 * everything else keeps express's 100 kB.
 */
function jsonBodies(): express.RequestHandler {
  const smallJson = express.json();
  const alertJson = express.json({ limit: '2mb' });
  const postmortemJson = express.json({ limit: '1mb' });
  return (req, res, next) => {
    if (req.path.startsWith('/alerts')) return alertJson(req, res, next);
    if (/^\/incidents\/[^/]+\/postmortem$/.test(req.path)) {
      return postmortemJson(req, res, next);
    }
    return smallJson(req, res, next);
  };
}
