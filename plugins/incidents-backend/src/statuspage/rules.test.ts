import {
  componentStatuses,
  effectiveMaintenanceStatus,
  lifecycleStatusOf,
  pageStatus,
  PublicIncident,
} from './rules';
import { Maintenance, PublicRecord } from './StatusPageStore';

const A = 'component:default/a';
const B = 'component:default/b';
const now = new Date('2026-11-11T12:00:00Z');

const entry = (
  severity: 'sev1' | 'sev2' | 'sev3',
  components: PublicRecord['components'],
  extra: Partial<PublicRecord> = {},
): PublicIncident => ({
  record: {
    id: severity,
    incidentId: severity,
    name: severity,
    status: 'investigating',
    lifecycleStatus: 'investigating',
    published: true,
    auto: true,
    startedAt: '2026-11-11T11:00:00Z',
    createdAt: '2026-11-11T11:00:00Z',
    updatedAt: '2026-11-11T11:00:00Z',
    components,
    updates: [],
    ...extra,
  },
  incident: { severity, status: 'open' },
});

const window = (
  status: Maintenance['status'],
  from: string,
  until: string,
): Maintenance => ({
  id: 'm',
  name: 'm',
  status,
  scheduledFor: from,
  scheduledUntil: until,
  createdBy: 'user:default/a',
  createdAt: from,
  updatedAt: from,
  components: [B],
  updates: [],
});

describe('status page rules', () => {
  it('maps the lifecycle to public statuses', () => {
    expect(lifecycleStatusOf({ severity: 'sev1', status: 'open' })).toBe(
      'investigating',
    );
    expect(
      lifecycleStatusOf({
        severity: 'sev1',
        status: 'investigating',
        identifiedAt: 'x',
      }),
    ).toBe('identified');
    expect(lifecycleStatusOf({ severity: 'sev1', status: 'mitigated' })).toBe(
      'monitoring',
    );
    for (const status of ['resolved', 'postmortem', 'cancelled'] as const) {
      expect(lifecycleStatusOf({ severity: 'sev1', status })).toBe('resolved');
    }
  });

  it('derives component statuses from severities, overrides and maintenance, the worst winning', () => {
    const statuses = componentStatuses(
      [A, B, 'component:default/c'],
      [
        entry('sev3', [{ entityRef: A }]),
        entry('sev2', [
          { entityRef: A },
          { entityRef: B, status: 'degraded_performance' },
        ]),
        entry('sev1', [{ entityRef: B }], { published: false }),
        entry('sev1', [{ entityRef: A }], { status: 'resolved' }),
      ],
      [window('scheduled', '2026-11-11T11:00:00Z', '2026-11-11T13:00:00Z')],
      now,
    );
    expect(Object.fromEntries(statuses)).toEqual({
      [A]: 'partial_outage',
      [B]: 'degraded_performance',
      'component:default/c': 'operational',
    });
    expect(
      pageStatus([entry('sev2', [{ entityRef: A }])], statuses, [], now),
    ).toEqual({
      indicator: 'major',
      description: 'Partial System Outage',
    });
  });

  it('gives a window its status by the clock unless people moved it on', () => {
    const w = (status: Maintenance['status']) =>
      window(status, '2026-11-11T11:00:00Z', '2026-11-11T13:00:00Z');
    expect(
      effectiveMaintenanceStatus(
        w('scheduled'),
        new Date('2026-11-11T10:00:00Z'),
      ),
    ).toBe('scheduled');
    expect(effectiveMaintenanceStatus(w('scheduled'), now)).toBe('in_progress');
    expect(effectiveMaintenanceStatus(w('verifying'), now)).toBe('verifying');
    expect(
      effectiveMaintenanceStatus(
        w('in_progress'),
        new Date('2026-11-11T10:00:00Z'),
      ),
    ).toBe('in_progress');
    expect(
      effectiveMaintenanceStatus(
        w('scheduled'),
        new Date('2026-11-11T13:00:00Z'),
      ),
    ).toBe('completed');
    expect(
      pageStatus(
        [],
        new Map([[B, 'under_maintenance']]),
        [w('scheduled')],
        now,
      ),
    ).toEqual({
      indicator: 'maintenance',
      description: 'Service Under Maintenance',
    });
  });
});
