#!/usr/bin/env node
// Seeds the demo portal with a few incidents in different states, through the
// public API, when it has none yet. Run by scripts/demo.sh once the backend
// answers; authenticates with the demo's static external-access token.
const base = process.env.VIGIL_URL ?? 'http://localhost:7007/api/incidents';
const token = process.env.VIGIL_DEMO_TOKEN ?? 'vigil-demo-seed-token';
const headers = {
  'Content-Type': 'application/json',
  Authorization: `Bearer ${token}`,
};

const incidents = [
  {
    body: {
      title: 'Card payments failing with 502 from the acquirer',
      severity: 'sev1',
      description: 'Checkout conversion dropped to zero at 09:12 UTC.',
      affectedServices: [
        'component:default/payments-api',
        'component:default/checkout-web',
      ],
      environments: ['production'],
      commander: 'user:default/carol',
      change: {
        url: 'https://ci.example.com/deploys/payments-api/1842',
        title: 'payments-api v2.14.0',
        source: 'ci',
      },
    },
    moves: ['investigating'],
    note: 'Acquirer status page shows degraded auth; rolling back v2.14.0.',
  },
  {
    body: {
      title: 'Search results stale for new products',
      severity: 'sev3',
      affectedServices: ['component:default/search-indexer'],
      environments: ['production'],
    },
    moves: [],
  },
  {
    body: {
      title: 'Elevated TLS handshake errors at the edge',
      severity: 'sev2',
      affectedServices: ['component:default/edge-gateway'],
      environments: ['production', 'eu-west-1'],
      commander: 'user:default/alice',
    },
    moves: ['investigating', 'mitigated'],
    note: 'Expired intermediate certificate replaced on 2 of 6 nodes.',
  },
  {
    body: {
      title: 'Ledger nightly reconciliation 40 minutes late',
      severity: 'sev4',
      affectedServices: ['component:default/ledger'],
    },
    moves: ['investigating', 'resolved'],
  },
  {
    body: {
      title: 'Storefront images missing after CDN purge',
      severity: 'sev2',
      affectedServices: ['component:default/storefront'],
      environments: ['production'],
    },
    moves: ['resolved'],
  },
  {
    body: {
      title: 'Synthetic check flapping for search-api',
      severity: 'sev5',
      affectedServices: ['component:default/search-api'],
    },
    moves: ['cancelled'],
  },
];

async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) {
    throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

const existing = await call('GET', '/incidents?limit=1');
if (existing.totalCount > 0) {
  console.log(
    `[seed] ${existing.totalCount} incidents already there; nothing to do`,
  );
  process.exit(0);
}
for (const { body, moves, note } of incidents) {
  const incident = await call('POST', '/incidents', body);
  for (const status of moves) {
    await call('POST', `/incidents/${incident.id}/status`, { status });
  }
  if (note) {
    await call('POST', `/incidents/${incident.id}/timeline`, { message: note });
  }
  console.log(`[seed] ${incident.ref} ${body.title}`);
}
