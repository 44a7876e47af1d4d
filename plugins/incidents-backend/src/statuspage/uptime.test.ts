import { PublicIncident } from './rules';
import { Maintenance, PublicRecord } from './StatusPageStore';
import { uptimeHistory } from './uptime';

const A = 'component:default/a';
const B = 'component:default/b';

function record(
  startedAt: string,
  resolvedAt: string | undefined,
  components: PublicRecord['components'],
): PublicRecord {
  return {
    id: startedAt,
    incidentId: startedAt,
    name: 'x',
    status: resolvedAt ? 'resolved' : 'investigating',
    lifecycleStatus: 'investigating',
    published: true,
    auto: true,
    startedAt,
    resolvedAt,
    createdAt: startedAt,
    updatedAt: startedAt,
    components,
    updates: [],
  };
}

const incident = (
  r: PublicRecord,
  severity: 'sev1' | 'sev2' | 'sev3',
): PublicIncident => ({
  record: r,
  incident: { severity, status: 'resolved' },
});

describe('uptimeHistory', () => {
  it('counts minutes per status per day in the page time zone, the worse status where they overlap', () => {
    const [a] = uptimeHistory({
      components: [A],
      incidents: [
        // Berlin: 23:30–01:30 local across midnight (UTC+1 in November).
        incident(
          record('2026-11-10T22:30:00.000Z', '2026-11-11T00:30:00.000Z', [
            { entityRef: A },
          ]),
          'sev1',
        ),
        // A partial outage overlapping the first for 30 minutes, then alone for 60.
        incident(
          record('2026-11-11T00:00:00.000Z', '2026-11-11T01:30:00.000Z', [
            { entityRef: A },
          ]),
          'sev2',
        ),
      ],
      maintenances: [],
      now: new Date('2026-11-12T12:00:00.000Z'),
      timeZone: 'Europe/Berlin',
      days: 3,
    });
    expect(a.days.map(d => d.date)).toEqual([
      '2026-11-10',
      '2026-11-11',
      '2026-11-12',
    ]);
    expect(a.days[0]).toEqual({
      date: '2026-11-10',
      minutes: { major_outage: 30 },
      worst: 'major_outage',
    });
    expect(a.days[1]).toEqual({
      date: '2026-11-11',
      minutes: { major_outage: 90, partial_outage: 60 },
      worst: 'major_outage',
    });
    expect(a.days[2].minutes).toEqual({});
    // 120 min major + 0.3 × 60 min partial over 2 days + 13 h.
    const total = (2 * 24 + 13) * 60;
    expect(a.uptimePercent).toBe(Math.round((1 - 138 / total) * 10_000) / 100);
  });

  it('uses per-component overrides, counts maintenance as no downtime and leaves untouched components whole', () => {
    const maintenance: Maintenance = {
      id: 'm',
      name: 'm',
      status: 'completed',
      scheduledFor: '2026-11-11T10:00:00.000Z',
      scheduledUntil: '2026-11-11T12:00:00.000Z',
      startedAt: '2026-11-11T10:00:00.000Z',
      completedAt: '2026-11-11T11:00:00.000Z',
      createdBy: 'user:default/a',
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-11T11:00:00.000Z',
      components: [A],
      updates: [],
    };
    const [a, b] = uptimeHistory({
      components: [A, B],
      incidents: [
        incident(
          record('2026-11-11T14:00:00.000Z', '2026-11-11T14:10:00.000Z', [
            { entityRef: A, status: 'degraded_performance' },
          ]),
          'sev1',
        ),
      ],
      maintenances: [maintenance],
      now: new Date('2026-11-11T23:00:00.000Z'),
      timeZone: 'UTC',
      days: 1,
    });
    expect(a.days).toEqual([
      {
        date: '2026-11-11',
        minutes: { under_maintenance: 60, degraded_performance: 10 },
        worst: 'degraded_performance',
      },
    ]);
    expect(a.uptimePercent).toBe(100);
    expect(b.days[0].minutes).toEqual({});
    expect(b.uptimePercent).toBe(100);
  });
});
