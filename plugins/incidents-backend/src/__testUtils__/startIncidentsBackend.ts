import { JsonObject } from '@backstage/types';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import { incidentsPlugin } from '../plugin';

/** Decides a permission for a caller, like a permission policy would. */
export type TestPolicy = (
  permission: Permission,
  credentials: BackstageCredentials,
) => PolicyDecision;

const allowAll: TestPolicy = () => ({ result: AuthorizeResult.ALLOW });

/** The demo catalog, small: two teams, three users, three components. */
const testUsers: Entity[] = [
  user('alice', 'sre'),
  user('guest', 'team-payments'),
  user('carol', 'team-payments'),
];

export const testEntities: Entity[] = [
  group('team-payments', testUsers),
  group('sre', testUsers),
  ...testUsers,
  component('payments-api', 'team-payments'),
  component('checkout-web', 'team-payments'),
  component('edge-gateway', 'sre'),
];

/**
 * Starts the real incidents plugin on the given database, with the catalog
 * holding {@link testEntities}, a permission service answering with
 * `policy`, and events and signals captured for assertions.
 */
export async function startIncidentsBackend(
  knex: Knex,
  options: {
    policy?: TestPolicy;
    /** More features, e.g. modules using the plugin's extension points. */
    features?: Parameters<typeof startTestBackend>[0]['features'];
    /** App config, e.g. `incidents.escalation`. */
    config?: JsonObject;
    /** The catalog's entities instead of {@link testEntities}. */
    entities?: Entity[];
    /**
     * Backstage's real auth, httpAuth and permissions services instead of
     * the mocks and `policy`: callers present tokens that `config` allows
     * (`backend.auth.externalAccess`), and service principals get what the
     * permissions service gives them (their `accessRestrictions`).
     */
    realAuth?: boolean;
  } = {},
) {
  const events: EventParams[] = [];
  const signals: Array<{ channel: string; message: any }> = [];
  const policy = options.policy ?? allowAll;

  const backend = await startTestBackend({
    features: [
      incidentsPlugin,
      ...(options.features ?? []),
      ...(options.config
        ? [mockServices.rootConfig.factory({ data: options.config })]
        : []),
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({
        entities: options.entities ?? testEntities,
      }),
      ...(options.realAuth
        ? [
            authServiceFactory,
            httpAuthServiceFactory,
            permissionsServiceFactory,
          ]
        : [
            createServiceFactory({
              service: coreServices.permissions,
              deps: {},
              factory: () => ({
                authorize: async (requests, { credentials }) =>
                  requests.map(r => policy(r.permission, credentials) as any),
                authorizeConditional: async (requests, { credentials }) =>
                  requests.map(r => policy(r.permission, credentials) as any),
              }),
            }),
          ]),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (params: EventParams) => {
            events.push(params);
          },
          subscribe: async () => {},
        }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: any) => {
            signals.push({ channel: signal.channel, message: signal.message });
          },
        }),
      }),
    ],
  });
  return {
    server: backend.server,
    events,
    signals,
    stop: () => backend.stop(),
  };
}

function group(name: string, users: Entity[]): Entity {
  const ref = `group:default/${name}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: users
      .filter(u => u.relations?.some(r => r.targetRef === ref))
      .map(u => ({
        type: 'hasMember',
        targetRef: `user:default/${u.metadata.name}`,
      })),
  };
}

function user(name: string, memberOf: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: [memberOf] },
    relations: [{ type: 'memberOf', targetRef: `group:default/${memberOf}` }],
  };
}

function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}
