import { DateTime } from 'luxon';
import { makeIncident } from '../__testUtils__/fixtures';
import { formatDuration, incidentDuration } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [12 * 60_000, '12m'],
    [(3 * 60 + 20) * 60_000, '3h 20m'],
    [(2 * 24 + 4) * 3_600_000 + 5 * 60_000, '2d 4h'],
    [24 * 3_600_000 + 5 * 60_000, '1d'],
  ])('formats %p ms as %p', (millis, expected) => {
    expect(formatDuration(millis)).toBe(expected);
  });
});

describe('incidentDuration', () => {
  it('runs until resolution', () => {
    const incident = makeIncident({
      openedAt: '2026-11-22T05:00:00.000Z',
      resolvedAt: '2026-11-22T06:30:00.000Z',
    });
    expect(incidentDuration(incident)).toBe('1h 30m');
  });

  it('runs until now while the incident is ongoing', () => {
    const incident = makeIncident({ openedAt: '2026-11-22T05:00:00.000Z' });
    const now = DateTime.fromISO('2026-11-22T05:10:00.000Z');
    expect(incidentDuration(incident, now)).toBe('10m');
  });
});
