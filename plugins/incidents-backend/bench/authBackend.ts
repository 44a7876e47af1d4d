/*
 * The benches' backend with Backstage's real auth and permissions: the
 * real backend of bench/realBackend.ts plus the auth backend with the guest
 * provider (the demo's sign-in), the permission backend and the demo
 * permission policy (packages/backend/src/modules/permissionPolicy.ts), so
 * every request pays what a user's request pays in the demo: the token
 * check, and for a user the permission round trip.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchEntities } from './app';
import { benchBackendConfig, startRealBackend } from './realBackend';

/** The signed-in bench user (a member of team-0 in the bench catalog). */
export const BENCH_USER = 'user:default/bench';

/** The catalog of `yarn bench` (bench/app.ts) as a YAML file in `dir`. */
function writeEntities(dir: string): string {
  const file = join(dir, 'entities.yaml');
  writeFileSync(
    file,
    benchEntities()
      .map(e => JSON.stringify(e))
      .join('\n---\n'),
  );
  return file;
}

/** The app-config: guest sign-in as the bench user, permissions enabled. */
function authConfig(
  dir: string,
  port: number,
  database: object,
  token: string,
) {
  return {
    ...benchBackendConfig(port, database, token, ['incidents', 'catalog']),
    auth: {
      providers: {
        guest: {
          userEntityRef: BENCH_USER,
          dangerouslyAllowOutsideDevelopment: true,
        },
      },
    },
    permission: { enabled: true },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User'] }],
      locations: [{ type: 'file', target: writeEntities(dir) }],
    },
    incidents: { adminGroups: ['group:default/sre'] },
  };
}

/**
 * Starts the backend on `port` with the plugin's database config
 * `database`; returns it with a user token (from the guest provider's
 * refresh endpoint, as the demo's browser gets it) and a static service
 * token.
 */
export async function startAuthBackend(
  dir: string,
  port: number,
  database: object,
) {
  const serviceToken = `bench-${randomBytes(12).toString('hex')}`;
  const baseUrl = `http://127.0.0.1:${port}`;
  const backend = await startRealBackend(
    dir,
    authConfig(dir, port, database, serviceToken),
    baseUrl,
    '/.backstage/health/v1/readiness',
    [
      import('@backstage/plugin-auth-backend'),
      import('@backstage/plugin-auth-backend-module-guest-provider'),
      import('@backstage/plugin-permission-backend'),
      // The demo backend's own policy module, by path: as a devDependency
      // the demo backend (which depends on this plugin) would be a cycle, and
      // it exports nothing but its entry point.
      // eslint-disable-next-line @backstage/no-relative-monorepo-imports
      import('../../../packages/backend/src/modules/permissionPolicy'),
    ],
  );
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(
      `guest sign-in answered ${res.status}: ${await res.text()}`,
    );
  }
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return {
    backend,
    baseUrl,
    userToken: body.backstageIdentity.token,
    serviceToken,
  };
}
