import {
  contrastRatio,
  handoffsOf,
  nextShiftOf,
  PERSON_COLORS,
  personColor,
  personColors,
} from './oncall';

const A = 'user:default/alice';
const B = 'user:default/bob';
const slot = (userRef: string, start: string, end: string) => ({
  userRef,
  start: `2026-12-${start}:00:00.000Z`,
  end: `2026-12-${end}:00:00.000Z`,
});

describe('on-call page helpers', () => {
  it('gives white text at least 4.5:1 contrast on every person colour', () => {
    for (const color of PERSON_COLORS) {
      expect(contrastRatio(color, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21);
  });

  it('colours a person by their ref, the same every time', () => {
    expect(personColor(A)).toBe(personColor(A));
    const colors = new Set(
      ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map(n =>
        personColor(`user:default/${n}`),
      ),
    );
    expect(colors.size).toBeGreaterThanOrEqual(4);
  });

  it('tells up to ten people on a page apart, the same way every time', () => {
    const refs = Array.from({ length: 10 }, (_, i) => `user:default/u${i}`);
    const colors = personColors(refs);
    expect(new Set(colors.values()).size).toBe(10);
    expect(personColors([...refs].reverse())).toEqual(colors);
    // An eleventh person shares a colour rather than having none.
    expect(personColors([...refs, 'user:default/u10']).size).toBe(11);
  });

  it('finds the hand-offs after a time, gaps included', () => {
    const slots = [
      slot(A, '01T09', '02T09'),
      slot(B, '02T09', '03T09'),
      slot(B, '03T09', '04T09'), // same owner: no hand-off
      slot(A, '05T09', '06T09'), // after a gap
    ];
    expect(handoffsOf(slots, '2026-12-01T12:00:00.000Z')).toEqual([
      { at: '2026-12-02T09:00:00.000Z', from: A, to: B },
      { at: '2026-12-04T09:00:00.000Z', from: B },
      { at: '2026-12-05T09:00:00.000Z', to: A },
    ]);
    expect(handoffsOf(slots, '2026-12-04T10:00:00.000Z')).toEqual([
      { at: '2026-12-05T09:00:00.000Z', to: A },
    ]);
  });

  it("finds the user's current or next shift, joining back-to-back slots", () => {
    const schedules = [
      {
        schedule: { id: 'sre', name: 'SRE' },
        slots: [slot(A, '03T09', '04T09'), slot(A, '04T09', '05T09')],
      },
      {
        schedule: { id: 'db', name: 'Databases' },
        slots: [slot(B, '01T09', '02T09'), slot(A, '06T09', '07T09')],
      },
    ];
    expect(nextShiftOf(A, schedules, '2026-12-01T00:00:00.000Z')).toEqual({
      scheduleName: 'SRE',
      start: '2026-12-03T09:00:00.000Z',
      end: '2026-12-05T09:00:00.000Z',
    });
    expect(nextShiftOf(A, schedules, '2026-12-05T10:00:00.000Z')).toEqual({
      scheduleName: 'Databases',
      start: '2026-12-06T09:00:00.000Z',
      end: '2026-12-07T09:00:00.000Z',
    });
    expect(
      nextShiftOf('user:default/zed', schedules, '2026-12-01T00:00:00.000Z'),
    ).toBeUndefined();
  });
});
