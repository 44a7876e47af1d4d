/*
 * A real Backstage backend for the benches: backend-defaults (root HTTP
 * router, auth policies, permissions), the catalog backend and the
 * incidents plugin, in this process, on a free port, from an app-config
 * written to a file.
 */
import { createBackend } from '@backstage/backend-defaults';
import knexFactory from 'knex';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port nothing listens on. */
export async function freePort(): Promise<number> {
  return new Promise(resolve => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A positive integer from the environment, or the fallback. */
export function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer`);
  }
  return value;
}

/** The database config of an engine: a SQLite directory or a PG prefix. */
export function benchDatabase(
  engine: string,
  dir: string,
  pgUrl: string,
  prefix: string,
) {
  return engine === 'sqlite'
    ? { client: 'better-sqlite3', connection: { directory: dir } }
    : { client: 'pg', connection: pgUrl, prefix };
}

/**
 * Writes `config` to `dir` and starts the backend with the catalog, the
 * incidents plugin and `features`; ready when `readyPath` answers 2xx.
 */
export async function startRealBackend(
  dir: string,
  config: object,
  baseUrl: string,
  readyPath: string,
  features: Array<Parameters<ReturnType<typeof createBackend>['add']>[0]> = [],
) {
  const file = join(dir, 'app-config.json');
  writeFileSync(file, JSON.stringify(config));
  process.argv.push('--config', file);
  const backend = createBackend();
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(import('../src'));
  for (const feature of features) backend.add(feature);
  await backend.start();
  process.argv.splice(process.argv.indexOf(file) - 1, 2);
  for (let i = 0; i < 240; i++) {
    const res = await fetch(`${baseUrl}${readyPath}`).catch(() => undefined);
    if (res?.ok) return backend;
    await sleep(500);
  }
  throw new Error(`${readyPath} did not come up`);
}

/** Drops the bench's PostgreSQL databases (those named `prefix…`). */
export async function dropPgDatabases(pgUrl: string, prefix: string) {
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  const { rows } = await admin.raw(
    `select datname from pg_database where datname like '${prefix}%'`,
  );
  for (const { datname } of rows) {
    await admin.raw(`drop database if exists "${datname}" with (force)`);
  }
  await admin.destroy();
}

/**
 * The `app` and `backend` parts of a bench backend's app-config: listening
 * on 127.0.0.1, a static external-access token (subject `bench`) for the
 * given plugins.
 */
export function benchBackendConfig(
  port: number,
  database: object,
  token: string,
  plugins: string[] = ['incidents'],
) {
  return {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { port, host: '127.0.0.1' },
      database,
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token, subject: 'bench' },
            accessRestrictions: plugins.map(plugin => ({ plugin })),
          },
        ],
      },
    },
  };
}
