import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@vigil/plugin-incidents-backend',
  'migrations',
);

/**
 * Brings the plugin's schema up to date, unless the deployment manages
 * migrations itself (`backend.database.plugin.incidents.skipMigrations`).
 * @internal
 */
export async function applyDatabaseMigrations(
  database: DatabaseService,
  knex: Knex,
): Promise<void> {
  if (database.migrations?.skip) {
    return;
  }
  await knex.migrate.latest({ directory: migrationsDir });
}

/**
 * Rolls the plugin's schema back one migration at a time; used by tests.
 * @internal
 */
export async function rollbackDatabaseMigrations(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ directory: migrationsDir }, true);
}

/**
 * The name of the newest applied migration, or undefined before any ran.
 * @internal
 */
export async function currentMigration(
  knex: Knex,
): Promise<string | undefined> {
  const [name] = await knex.migrate.list({ directory: migrationsDir });
  const applied = name as Array<{ name: string } | string>;
  const last = applied[applied.length - 1];
  if (last === undefined) {
    return undefined;
  }
  return typeof last === 'string' ? last : last.name;
}
