import { Entity } from '@backstage/catalog-model';

/*
 * A catalog with a known dependency chain, relations as the catalog
 * computes them:
 *
 *   payments-api (team-payments)   affected
 *   ├─ checkout-web (team-web)      depth 1, dependencyOf
 *   │  └─ storefront (team-web)     depth 2, dependencyOf
 *   │     └─ reporting (team-data)  depth 3, dependencyOf
 *   ├─ api:payments → mobile-app (team-mobile)  depth 1, apiConsumedBy
 *   └─ system:checkout (team-payments)          depth 1, partOf
 *
 * payments-api has a runbook link, a vigil.dev/runbooks annotation; two
 * templates are tagged vigil-runbook (one for payments-api, one for the
 * CheckoutErrors alert), a third is not.
 */
const ns = (ref: string) => ref.replace(':', ':default/');

function relations(pairs: Array<[string, string]>) {
  return pairs.map(([type, target]) => ({ type, targetRef: ns(target) }));
}

function component(
  name: string,
  owner: string,
  rels: Array<[string, string]>,
  metadata: Partial<Entity['metadata']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...metadata },
    spec: { type: 'service', owner, lifecycle: 'production' },
    relations: relations([['ownedBy', `group:${owner}`], ...rels]),
  };
}

function group(name: string, members: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: relations(members.map(m => ['hasMember', `user:${m}`])),
  };
}

function user(name: string, team: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: [team] },
    relations: relations([['memberOf', `group:${team}`]]),
  };
}

function template(name: string, tags: string[], runbookFor?: string): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      namespace: 'default',
      title: `Template ${name}`,
      tags,
      ...(runbookFor
        ? { annotations: { 'vigil.dev/runbook-for': runbookFor } }
        : {}),
    },
    spec: { type: 'runbook', steps: [] },
  };
}

/** The test catalog described above. */
export const toolboxEntities: Entity[] = [
  group('team-payments', ['guest']),
  group('team-web', ['carol']),
  group('team-mobile'),
  group('team-data'),
  group('sre', ['alice']),
  user('alice', 'sre'),
  user('guest', 'team-payments'),
  user('carol', 'team-web'),
  component(
    'payments-api',
    'team-payments',
    [
      ['dependencyOf', 'component:checkout-web'],
      ['providesApi', 'api:payments'],
      ['partOf', 'system:checkout'],
    ],
    {
      links: [
        {
          url: 'https://runbooks.example/payments',
          title: 'Payments runbook',
          type: 'runbook',
        },
        {
          url: 'https://grafana.example/payments',
          title: 'Dashboard',
          type: 'dashboard',
        },
      ],
      annotations: {
        'vigil.dev/runbooks':
          'https://runbooks.example/payments, Failover | https://runbooks.example/failover\njavascript:alert(1)',
      },
    },
  ),
  component('checkout-web', 'team-web', [
    ['dependsOn', 'component:payments-api'],
    ['dependencyOf', 'component:storefront'],
  ]),
  component('storefront', 'team-web', [
    ['dependsOn', 'component:checkout-web'],
    ['dependencyOf', 'component:reporting'],
  ]),
  component('reporting', 'team-data', [['dependsOn', 'component:storefront']]),
  component('mobile-app', 'team-mobile', [['consumesApi', 'api:payments']]),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'openapi', owner: 'team-payments', lifecycle: 'production' },
    relations: relations([
      ['apiProvidedBy', 'component:payments-api'],
      ['apiConsumedBy', 'component:mobile-app'],
    ]),
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default', title: 'Checkout' },
    spec: { owner: 'team-payments' },
    relations: relations([
      ['ownedBy', 'group:team-payments'],
      ['hasPart', 'component:payments-api'],
    ]),
  },
  template('restart-pods', ['vigil-runbook'], 'payments-api'),
  template('drain-errors', ['vigil-runbook'], 'alert:CheckoutErrors'),
  template('unrelated', ['deploy'], 'payments-api'),
];
