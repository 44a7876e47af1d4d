/*
 * The plugin for the benches, built by the same composition root as the
 * plugin itself (`createIncidentsBackend`), on a bare express app listening
 * on 127.0.0.1. Runs under plain Node (no jest mocks).
 */
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  AuditorService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import {
  createIncidentsBackend,
  IncidentsBackendOptions,
} from '../src/IncidentsBackend';

export const noopLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return noopLogger;
  },
};

export const allowAll: PermissionsService = {
  authorize: async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
  authorizeConditional: async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
};

const noopAuditor: AuditorService = {
  createEvent: async () => ({
    success: async () => {},
    fail: async () => {},
  }),
};

/** Builds the plugin on `knex` with the bench catalog and allow-all permissions. */
export async function createBenchBackend(
  knex: Knex,
  options: IncidentsBackendOptions & { entities?: Entity[] } = {},
) {
  const { entities, ...rest } = options;
  return createIncidentsBackend(
    {
      config: new ConfigReader({}),
      logger: noopLogger,
      database: mockServices.database({ knex, migrations: { skip: false } }),
      httpAuth: mockServices.httpAuth(),
      auth: mockServices.auth(),
      permissions: allowAll,
      auditor: noopAuditor,
      catalog: catalogServiceMock({ entities: entities ?? [] }),
      events: { publish: async () => {}, subscribe: async () => {} },
      signals: { publish: async () => {} },
      notifications: { send: async () => {} },
    },
    { notificationsPager: false, ...rest },
  );
}

/** Serves the plugin's router on 127.0.0.1 and a random port. */
export async function listen(router: express.Router) {
  const app = express()
    .use(router)
    .use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: noopLogger,
      }).error(),
    );
  const server = await new Promise<import('node:http').Server>(
    (resolve, reject) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    },
  );
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
