import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { currentMigration } from '../database/migrations';
import { IncidentService } from '../incidents/IncidentService';
import { registerIncidentRoutes } from '../incidents/routes';
import { IncidentStore } from '../incidents/types';
import { OncallService } from '../oncall/OncallService';
import { registerOncallRoutes } from '../oncall/routes';
import { EscalationService } from '../escalation/EscalationService';
import { AlertService } from '../alerts/AlertService';
import { DatabaseAlertStore } from '../alerts/DatabaseAlertStore';
import { registerAlertRoutes } from '../alerts/routes';
import express from 'express';
import { registerEscalationRoutes } from '../escalation/routes';
import { PostmortemService } from '../postmortems/PostmortemService';
import { registerPostmortemRoutes } from '../postmortems/routes';

/**
 * Builds the plugin's HTTP API, validated against `schema/openapi.yaml`.
 * @internal
 */
export async function createRouter(options: {
  knex: Knex;
  httpAuth: HttpAuthService;
  incidents: { service: IncidentService; store: IncidentStore };
  oncall?: OncallService;
  escalation?: EscalationService;
  postmortems?: PostmortemService;
  alerts?: { service: AlertService; store: DatabaseAlertStore };
}) {
  const { knex, httpAuth } = options;
  // Alert senders batch (Alertmanager groups, arrays of generic alerts);
  // everything else keeps express's 100 kB. Too large is a 400 saying so.
  const smallJson = express.json();
  const alertJson = express.json({ limit: '2mb' });
  const router = await createOpenApiRouter({
    middleware: [
      (req, res, next) =>
        (req.path.startsWith('/alerts') ? alertJson : smallJson)(
          req,
          res,
          next,
        ),
    ],
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

  registerIncidentRoutes(router, { ...options.incidents, httpAuth });
  if (options.oncall) {
    registerOncallRoutes(router, { service: options.oncall, httpAuth });
  }
  if (options.alerts) {
    registerAlertRoutes(router, {
      ...options.alerts,
      incidents: options.incidents.service,
      httpAuth,
    });
  }
  if (options.escalation) {
    registerEscalationRoutes(router, {
      service: options.escalation,
      incidents: options.incidents.service,
      httpAuth,
    });
  }
  if (options.postmortems) {
    registerPostmortemRoutes(router, {
      service: options.postmortems,
      httpAuth,
    });
  }

  return router;
}
