/*
 * The real incidents HTTP API (createRouter + DatabaseIncidentStore +
 * IncidentService) on a bare express app listening on 127.0.0.1, assembled
 * like src/__testUtils__/createTestApp.ts but without the OpenAPI response
 * checking wrapper and without jest mocks (this runs under plain Node).
 */
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  AuditorService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { incidentPermissionRules } from '@vigil/plugin-incidents-node';
import express from 'express';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { DatabaseIncidentStore } from '../src/incidents/DatabaseIncidentStore';
import { IncidentService } from '../src/incidents/IncidentService';
import { IncidentStore } from '../src/incidents/types';
import { createRouter } from '../src/service/router';
import {
  COMPONENT_COUNT,
  componentRef,
  GROUP_COUNT,
  groupOfComponent,
  USER_COUNT,
} from './seed';

/** The bench catalog: 5 groups, 20 components owned by them, a few users. */
export function benchEntities(): Entity[] {
  const entities: Entity[] = [];
  for (let g = 0; g < GROUP_COUNT; g++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${g}`, namespace: 'default' },
      spec: { type: 'team', children: [] },
    });
  }
  const users = ['bench'];
  for (let u = 0; u < USER_COUNT; u++) {
    users.push(`user-${String(u).padStart(2, '0')}`);
  }
  users.forEach((name, u) => {
    const group = `team-${u % GROUP_COUNT}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: { memberOf: [group] },
      relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
    });
  });
  for (let c = 0; c < COMPONENT_COUNT; c++) {
    const name = componentRef(c).split('/')[1];
    const owner = groupOfComponent(c);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner },
      relations: [{ type: 'ownedBy', targetRef: owner }],
    });
  }
  return entities;
}

const noopLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return noopLogger;
  },
};

const allowAll: PermissionsService = {
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

export type StoreFactory = (knex: Knex) => Promise<IncidentStore>;

/** The store under test: the real one unless an experiment swaps it. */
export const realStore: StoreFactory = knex =>
  DatabaseIncidentStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });

/**
 * Starts the API on 127.0.0.1 and a random port. The schema must already be
 * migrated (the store factory runs migrations; they are idempotent).
 */
export async function startBenchApp(
  knex: Knex,
  createStore: StoreFactory = realStore,
) {
  const store = await createStore(knex);
  const rules = Object.values(incidentPermissionRules);
  const service = new IncidentService({
    store,
    catalog: catalogServiceMock({ entities: benchEntities() }),
    auth: mockServices.auth(),
    permissions: allowAll,
    permissionRuleset: {
      getRuleByName: name => {
        const rule = rules.find(r => r.name === name);
        if (!rule) throw new Error(`no rule ${name}`);
        return rule as any;
      },
    },
    auditor: noopAuditor,
    events: { publish: async () => {}, subscribe: async () => {} },
    signals: { publish: async () => {} },
    logger: noopLogger,
  });
  const router = await createRouter({
    knex,
    httpAuth: mockServices.httpAuth(),
    incidents: { service, store },
  });
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
    store,
    service,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
