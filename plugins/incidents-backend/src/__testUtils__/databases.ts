import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readdirSync } from 'node:fs';
import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The engines every database test runs on: embedded SQLite and PostgreSQL 15.
 *
 * PostgreSQL comes from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * (scripts/test.sh provides one). When VIGIL_REQUIRE_POSTGRES is set, a
 * missing PostgreSQL is an error instead of a silently skipped case.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  if (
    process.env.VIGIL_REQUIRE_POSTGRES &&
    !databases.supports('POSTGRES_15')
  ) {
    throw new Error(
      'PostgreSQL was required (VIGIL_REQUIRE_POSTGRES) but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set',
    );
  }
  return databases;
}

/** The file name of the newest migration shipped in `migrations/`. */
export function newestMigration(): string {
  const dir = resolvePackagePath(
    '@vigil/plugin-incidents-backend',
    'migrations',
  );
  return readdirSync(dir)
    .filter(f => f.endsWith('.js'))
    .sort()
    .pop()!;
}
