import { ConfigReader } from '@backstage/config';
import { Incident } from '@vigil/plugin-incidents-common';
import { DEFAULT_POSTMORTEM_CONFIG, readPostmortemConfig } from './config';
import { formatDuration, renderTemplate } from './template';

const incident: Incident = {
  id: 'i1',
  ref: 'INC-7',
  title: 'Checkout down',
  severity: 'sev2',
  status: 'resolved',
  affectedServices: ['component:default/checkout-web'],
  environments: [],
  roles: { commander: 'user:default/carol', responders: [] },
  ownerGroups: [],
  impact: {},
  rootCause: { hypothesis: 'bad deploy' },
  childCount: 0,
  openedAt: '2026-11-22T05:00:00.000Z',
  resolvedAt: '2026-11-22T07:15:00.000Z',
  updatedAt: '2026-11-22T07:15:00.000Z',
  openedBy: 'user:default/guest',
};

const read = (postmortems: object) =>
  readPostmortemConfig(new ConfigReader({ incidents: { postmortems } }));

describe('postmortem config', () => {
  it('defaults to sev1 and sev2, 48 h, a daily cadence and the standard sections', () => {
    expect(readPostmortemConfig(new ConfigReader({}))).toEqual(
      DEFAULT_POSTMORTEM_CONFIG,
    );
    expect(DEFAULT_POSTMORTEM_CONFIG).toMatchObject({
      requiredSeverities: ['sev1', 'sev2'],
      startWithinMs: 48 * 3_600_000,
      reminderCadenceMs: 24 * 3_600_000,
    });
  });

  it('reads severities (aliases too), durations and a custom template', () => {
    const config = read({
      requiredSeverities: ['P1', 'sev3'],
      startWithin: { hours: 24 },
      reminderCadence: 'PT12H',
      template: {
        title: 'PM {{ref}}',
        sections: [
          { title: 'What happened', body: '{{ref}} took {{duration}}.' },
          { title: 'Cause', body: '{{rootCause}}' },
        ],
      },
    });
    expect(config.requiredSeverities).toEqual(['sev1', 'sev3']);
    expect(config.startWithinMs).toBe(24 * 3_600_000);
    expect(config.reminderCadenceMs).toBe(12 * 3_600_000);
    expect(
      renderTemplate(config.template, {
        incident,
        timeline: [],
        actionItems: [],
      }),
    ).toEqual({
      title: 'PM INC-7',
      body: [
        '# PM INC-7',
        '',
        '## What happened',
        '',
        'INC-7 took 2 h 15 min.',
        '',
        '## Cause',
        '',
        'Hypothesis (not confirmed): bad deploy',
        '',
      ].join('\n'),
    });
  });

  it('stops on an unknown placeholder or severity, naming the key', () => {
    expect(() =>
      read({ template: { sections: [{ title: 'X', body: '{{rootcause}}' }] } }),
    ).toThrow(
      /^incidents\.postmortems\.template: unknown placeholder \{\{rootcause\}\}; use one of \{\{ref\}\}/,
    );
    expect(() => read({ requiredSeverities: ['urgent'] })).toThrow(
      "incidents.postmortems.requiredSeverities: unknown severity 'urgent'",
    );
  });

  it('formats durations', () => {
    const at = (s: number) =>
      new Date(Date.parse(incident.openedAt) + s * 1000);
    const d = (s: number) =>
      formatDuration(incident.openedAt, at(s).toISOString());
    expect(d(42)).toBe('42 s');
    expect(d(45 * 60)).toBe('45 min');
    expect(d(3 * 3600)).toBe('3 h');
    expect(d(26 * 3600 + 60)).toBe('1 d 2 h');
    expect(formatDuration(incident.openedAt, undefined)).toBe('not recorded');
  });
});
