import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { currentMigration } from '../database/migrations';

/**
 * Builds the plugin's HTTP API, validated against `schema/openapi.yaml`.
 * @internal
 */
export async function createRouter(options: {
  logger: LoggerService;
  knex: Knex;
}) {
  const { knex } = options;
  const router = await createOpenApiRouter();

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

  return router;
}
