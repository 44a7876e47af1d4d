import { BlastRadius, Runbooks } from '@vigil/plugin-incidents-common';

/** Runbooks of payments-api and its CheckoutErrors alert, with one automation. */
export function makeRunbooks(overrides: Partial<Runbooks> = {}): Runbooks {
  return {
    runbooks: [
      {
        title: 'Payments runbook',
        url: 'https://runbooks.example/payments',
        sources: ['catalog-link', 'config'],
        subjects: ['component:default/payments-api'],
      },
      {
        title: 'Runbook: CheckoutErrors',
        url: 'https://runbooks.example/checkout-errors',
        sources: ['alert'],
        subjects: ['alert:CheckoutErrors'],
      },
    ],
    automations: [
      {
        templateRef: 'template:default/restart-pods',
        title: 'Restart pods',
        description: 'Rolling restart of the pods',
        runPath:
          '/create/templates/default/restart-pods?formData=%7B%22incident%22%3A%22INC-7%22%7D',
        subjects: ['component:default/payments-api'],
      },
    ],
    ...overrides,
  };
}

/** checkout-web (depth 1) and storefront (depth 2) of team-web, mobile-app of team-mobile. */
export function makeBlastRadius(
  overrides: Partial<BlastRadius> = {},
): BlastRadius {
  const dependent = (
    name: string,
    depth: number,
    owner: string,
    relation: 'dependencyOf' | 'apiConsumedBy' = 'dependencyOf',
  ) => ({
    entityRef: `component:default/${name}`,
    kind: 'component',
    depth,
    via: 'component:default/payments-api',
    relation,
    owners: [`group:default/${owner}`],
  });
  return {
    affected: ['component:default/payments-api'],
    dependents: [
      dependent('checkout-web', 1, 'team-web'),
      dependent('mobile-app', 1, 'team-mobile', 'apiConsumedBy'),
      dependent('storefront', 2, 'team-web'),
    ],
    teams: [
      {
        owner: 'group:default/team-web',
        entityRefs: [
          'component:default/checkout-web',
          'component:default/storefront',
        ],
      },
      {
        owner: 'group:default/team-mobile',
        entityRefs: ['component:default/mobile-app'],
      },
    ],
    maxDepth: 5,
    truncated: false,
    computedAt: '2026-11-22T05:00:00.000Z',
    ...overrides,
  };
}
