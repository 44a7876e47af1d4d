import {
  makeFrequency,
  makeOncallLoad,
  makeSummary,
} from '../../__testUtils__/metrics';
import {
  formatSeconds,
  formatTarget,
  frequencyRows,
  frequencySeverities,
  loadRows,
  responseTimeRows,
} from './insightsData';

describe('insights chart data', () => {
  it('turns a summary into median and p90 bars in minutes, no value as a gap', () => {
    const rows = responseTimeRows(makeSummary(), 'timeToAcknowledge');
    expect(rows[0]).toEqual({
      severity: 'sev1',
      label: 'SEV1',
      count: 3,
      median: 4,
      p90: 10,
    });
    // No acknowledged sev2: a gap in the chart, not a zero bar.
    expect(rows[1]).toMatchObject({
      severity: 'sev2',
      median: null,
      p90: null,
    });
    expect(responseTimeRows(makeSummary(), 'timeToResolve')[0]).toMatchObject({
      median: 60,
      p90: 60,
    });
  });

  it('stacks frequency by severity with empty weeks as zero columns', () => {
    const series = makeFrequency();
    expect(frequencySeverities(series)).toEqual([
      'sev1',
      'sev2',
      'sev3',
      'sev4',
      'sev5',
    ]);
    expect(frequencyRows(series)).toEqual([
      {
        label: '2026-W12',
        total: 3,
        sev1: 2,
        sev2: 1,
        sev3: 0,
        sev4: 0,
        sev5: 0,
      },
      {
        label: '2026-W13',
        total: 0,
        sev1: 0,
        sev2: 0,
        sev3: 0,
        sev4: 0,
        sev5: 0,
      },
    ]);
  });

  it('stacks each person’s hours and counts their pages', () => {
    expect(loadRows(makeOncallLoad())).toEqual([
      {
        userRef: 'user:default/carol',
        business: 20,
        off: 22,
        sleep: 30,
        pages: 4,
        sleepPages: 2,
      },
    ]);
  });

  it('formats durations and targets as people read them', () => {
    expect(formatSeconds(null)).toBe('—');
    expect(formatSeconds(45)).toBe('45s');
    expect(formatSeconds(12_000)).toBe('3h 20m');
    expect(formatTarget('300s')).toBe('5 min');
    expect(formatTarget('3600s')).toBe('1 h');
    expect(formatTarget('next-business-day')).toBe('next business day');
  });
});
