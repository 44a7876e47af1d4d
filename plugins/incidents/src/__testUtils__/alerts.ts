import { Alert } from '@vigil/plugin-incidents-common';

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'alert-1',
    source: 'alertmanager:alertmanager-demo',
    fingerprint: 'fp-1',
    status: 'firing',
    severity: 'sev2',
    title: 'High error rate on payments-api',
    entityRef: 'component:default/payments-api',
    labels: { service: 'payments-api' },
    tags: [],
    incidentId: 'id-1',
    firstSeenAt: '2026-11-22T05:00:00.000Z',
    lastSeenAt: '2026-11-22T05:02:00.000Z',
    firedAt: '2026-11-22T05:00:00.000Z',
    seenCount: 1,
    ...overrides,
  };
}
