import {
  ChangeFailureReport,
  DurationStats,
  FrequencySeries,
  MetricsSummary,
  OncallLoadReport,
  SEVERITIES,
  SlaReport,
} from '@vigil/plugin-incidents-common';

const stats = (count: number, median: number | null, p90: number | null) =>
  ({ count, mean: median, median, p90 } as DurationStats);
const NONE = stats(0, null, null);

/** A summary: sev1 acknowledged in 4 min (median), 10 min (p90). */
export function makeSummary(): MetricsSummary {
  const times = (ack: DurationStats) => ({
    timeToAcknowledge: ack,
    timeToMitigate: NONE,
    timeToResolve: stats(1, 3600, 3600),
  });
  return {
    overall: { count: 3, ...times(stats(3, 240, 600)) },
    bySeverity: SEVERITIES.map(severity => ({
      severity,
      count: severity === 'sev1' ? 3 : 0,
      ...times(severity === 'sev1' ? stats(3, 240, 600) : NONE),
    })),
  };
}

export function makeFrequency(): FrequencySeries {
  const counts = (sev1: number, sev2: number) =>
    ({
      sev1,
      sev2,
      sev3: 0,
      sev4: 0,
      sev5: 0,
    } as FrequencySeries['buckets'][number]['counts']);
  return {
    interval: 'week',
    timeZone: 'Europe/Berlin',
    buckets: [
      {
        label: '2026-W12',
        start: '2026-03-15T23:00:00.000Z',
        end: '2026-03-22T23:00:00.000Z',
        counts: counts(2, 1),
        total: 3,
      },
      {
        label: '2026-W13',
        start: '2026-03-22T23:00:00.000Z',
        end: '2026-03-29T22:00:00.000Z',
        counts: counts(0, 0),
        total: 0,
      },
    ],
  };
}

export function makeSla(): SlaReport {
  return {
    overall: { met: 2, breached: 1, compliance: 66.67 },
    bySeverity: [
      {
        severity: 'sev1',
        target: '300s',
        count: 3,
        met: 2,
        breached: 1,
        pending: 0,
        compliance: 66.67,
      },
    ],
    breaches: [
      {
        id: 'id-1',
        ref: 'INC-7',
        title: 'Checkout is down',
        severity: 'sev1',
        openedAt: '2026-03-18T10:00:00.000Z',
        acknowledgedAt: '2026-03-18T10:10:00.000Z',
        deadline: '2026-03-18T10:05:00.000Z',
        lateSeconds: 300,
      },
    ],
  };
}

export function makeChangeFailure(): ChangeFailureReport {
  return {
    items: [
      {
        entityRef: 'component:default/payments-api',
        incidents: 4,
        changeLinked: 1,
        changeLinkedShare: 25,
        recovery: stats(1, 5400, 5400),
      },
    ],
  };
}

export function makeOncallLoad(): OncallLoadReport {
  return {
    from: '2026-03-16T08:00:00.000Z',
    to: '2026-03-23T08:00:00.000Z',
    users: [
      {
        userRef: 'user:default/carol',
        hours: { business: 20, off: 22, sleep: 30 },
        pages: { business: 1, off: 1, sleep: 2 },
      },
    ],
    schedules: [
      {
        id: 'payments-primary',
        name: 'Payments primary',
        members: [
          {
            userRef: 'user:default/carol',
            hours: 72,
            hoursShare: 100,
            interruptions: 4,
            interruptionShare: 100,
          },
        ],
      },
    ],
  };
}
