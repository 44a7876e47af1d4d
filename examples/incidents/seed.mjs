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

// Alerts, as Alertmanager would send them: six pods of search-api slow at
// once (a storm: one parent incident), one that already cleared, and one
// no component claims (kept, listed as unmapped).
const pods = ['a', 'b', 'c', 'd', 'e', 'f'];
const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
const alertmanagerAlert = (fingerprint, status, labels, summary) => ({
  status,
  labels: { severity: 'warning', cluster: 'eu-west-1', ...labels },
  annotations: { summary },
  startsAt,
  endsAt:
    status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus.example:9090/graph',
  fingerprint,
});
const summary = await call('POST', '/alerts/alertmanager', {
  version: '4',
  groupKey: '{}:{alertname="SearchLatencyHigh"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'vigil',
  groupLabels: { alertname: 'SearchLatencyHigh' },
  commonLabels: { alertname: 'SearchLatencyHigh', service: 'search-api' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts: [
    ...pods.map(pod => {
      const alert = alertmanagerAlert(
        `search-latency-${pod}`,
        'firing',
        {
          alertname: 'SearchLatencyHigh',
          service: 'search-api',
          pod: `search-api-${pod}`,
        },
        `p99 latency above 800 ms on search-api-${pod}`,
      );
      // Shown in the war room's Runbooks card, from the alert.
      alert.annotations.runbook_url =
        'https://runbooks.example.com/search-latency';
      return alert;
    }),
    alertmanagerAlert(
      'indexer-lag',
      'resolved',
      { alertname: 'IndexerLag', service: 'search-indexer' },
      'Indexer lag above 10 minutes',
    ),
    alertmanagerAlert(
      'node-disk',
      'firing',
      { alertname: 'NodeDiskFilling', instance: 'node-17' },
      'Disk on node-17 fills within 24 h',
    ),
  ],
});
console.log(
  `[seed] ${summary.accepted} alerts; incidents: ${
    summary.incidents.join(', ') || 'none'
  }`,
);
