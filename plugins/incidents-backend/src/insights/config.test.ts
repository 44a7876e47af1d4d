import { ConfigReader } from '@backstage/config';
import { DEFAULT_METRICS_CONFIG, readMetricsConfig } from './config';

const read = (metrics: object) =>
  readMetricsConfig(new ConfigReader({ incidents: { metrics } }));

describe('readMetricsConfig', () => {
  it('defaults to the response targets of the second seed', () => {
    expect(readMetricsConfig(new ConfigReader({}))).toEqual(
      DEFAULT_METRICS_CONFIG,
    );
    expect(DEFAULT_METRICS_CONFIG.responseTargets).toEqual({
      sev1: { ms: 300_000 },
      sev2: { ms: 900_000 },
      sev3: { ms: 3_600_000 },
      sev4: 'next-business-day',
      sev5: 'next-business-day',
    });
  });

  it('reads targets as durations or next-business-day, and the calendar', () => {
    const config = read({
      responseTargets: {
        sev1: '2m',
        sev3: { hours: 2 },
        sev2: 'next-business-day',
      },
      businessHours: { start: '09:30', end: '17:00', days: [1, 2, 3, 4] },
      timeZone: 'America/New_York',
    });
    expect(config.responseTargets.sev1).toEqual({ ms: 120_000 });
    expect(config.responseTargets.sev2).toBe('next-business-day');
    expect(config.responseTargets.sev3).toEqual({ ms: 7_200_000 });
    expect(config.responseTargets.sev4).toBe('next-business-day');
    expect(config.businessHours).toEqual({
      start: '09:30',
      end: '17:00',
      days: [1, 2, 3, 4],
    });
    expect(config.timeZone).toBe('America/New_York');
  });

  it('stops the backend naming the bad key', () => {
    expect(() => read({ responseTargets: { critical: '5m' } })).toThrow(
      'incidents.metrics.responseTargets.critical: not a severity',
    );
    expect(() => read({ businessHours: { start: '8am' } })).toThrow(
      "incidents.metrics.businessHours.start: '8am' is not HH:mm",
    );
    expect(() =>
      read({ businessHours: { start: '18:00', end: '08:00' } }),
    ).toThrow('start must be before end');
    expect(() => read({ businessHours: { days: [0, 8] } })).toThrow(
      'incidents.metrics.businessHours.days',
    );
    expect(() => read({ timeZone: 'Mars/Olympus' })).toThrow(
      "incidents.metrics.timeZone: 'Mars/Olympus' is not an IANA time zone",
    );
  });
});
