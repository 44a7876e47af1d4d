import { DateTime } from 'luxon';
import {
  generateRotationSlots,
  RotationSpec,
  validateRotation,
} from './rotation';

const members = ['user:default/a', 'user:default/b', 'user:default/c'];
const berlin = (iso: string) =>
  DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toJSDate();
const local = (d: Date) =>
  DateTime.fromJSDate(d).setZone('Europe/Berlin').toFormat('yyyy-MM-dd HH:mm');

describe('generateRotationSlots', () => {
  const daily: RotationSpec = {
    timeZone: 'Europe/Berlin',
    type: 'daily',
    handoffTime: '09:00',
    start: '2027-03-20',
    members,
  };

  it('keeps a daily 09:00 hand-off across the March DST change', () => {
    const slots = generateRotationSlots(
      daily,
      berlin('2027-03-27T00:00'),
      berlin('2027-03-30T00:00'),
    );
    expect(slots.map(s => local(s.start))).toEqual([
      '2027-03-26 09:00',
      '2027-03-27 09:00',
      '2027-03-28 09:00',
      '2027-03-29 09:00',
    ]);
    // 2027-03-28 02:00 → 03:00: the slot covering the change is 23 hours
    const hours = slots.map(
      s => (s.end.getTime() - s.start.getTime()) / 3_600_000,
    );
    expect(hours).toEqual([24, 23, 24, 24]);
  });

  it('keeps a daily 09:00 hand-off across the October DST change', () => {
    const slots = generateRotationSlots(
      daily,
      berlin('2027-10-30T10:00'),
      berlin('2027-11-01T10:00'),
    );
    expect(slots.map(s => local(s.start))).toEqual([
      '2027-10-30 09:00',
      '2027-10-31 09:00',
      '2027-11-01 09:00',
    ]);
    const hours = slots.map(
      s => (s.end.getTime() - s.start.getTime()) / 3_600_000,
    );
    expect(hours).toEqual([25, 24, 24]);
  });

  it('cycles members in order from the start, however far out', () => {
    const first = generateRotationSlots(
      daily,
      berlin('2027-03-20T09:00'),
      berlin('2027-03-23T09:00'),
    );
    expect(first.map(s => s.userRef)).toEqual(members);
    // 400 days later: slot 400 → member 400 % 3 = 1
    const later = generateRotationSlots(
      daily,
      berlin('2028-04-23T10:00'),
      berlin('2028-04-23T11:00'),
    );
    expect(later).toHaveLength(1);
    expect(later[0].index).toBe(400);
    expect(later[0].userRef).toBe(members[1]);
  });

  it('generates weekly and custom-hour slots that tile the range without gaps', () => {
    const weekly = generateRotationSlots(
      { ...daily, type: 'weekly', handoffTime: '10:30' },
      berlin('2027-03-21T00:00'),
      berlin('2027-04-20T00:00'),
    );
    expect(local(weekly[0].start)).toBe('2027-03-20 10:30');
    expect(weekly.map(s => s.userRef).slice(0, 4)).toEqual([
      ...members,
      members[0],
    ]);
    const twelve = generateRotationSlots(
      { ...daily, type: 'custom', length: { hours: 12 } },
      berlin('2027-03-27T00:00'),
      berlin('2027-03-29T00:00'),
    );
    for (let i = 1; i < twelve.length; i++) {
      expect(twelve[i].start).toEqual(twelve[i - 1].end);
      expect(twelve[i].end.getTime() - twelve[i].start.getTime()).toBe(
        12 * 3_600_000,
      );
    }
    for (const slots of [weekly, twelve]) {
      for (let i = 1; i < slots.length; i++) {
        expect(slots[i].start).toEqual(slots[i - 1].end);
      }
    }
  });

  it('returns nothing before the rotation starts', () => {
    expect(
      generateRotationSlots(
        daily,
        berlin('2027-01-01T00:00'),
        berlin('2027-01-02T00:00'),
      ),
    ).toEqual([]);
  });
});

describe('validateRotation', () => {
  const ok: RotationSpec = {
    timeZone: 'UTC',
    type: 'daily',
    handoffTime: '09:00',
    start: '2027-01-01',
    members,
  };
  it.each([
    [{ timeZone: 'Mars/Olympus' }, /unknown time zone/],
    [{ handoffTime: '9am' }, /HH:mm/],
    [{ start: 'yesterday' }, /start/],
    [{ members: [] }, /at least one member/],
    [{ type: 'custom', length: { hours: 0 } }, /at least one hour/],
  ])('rejects %p', (patch, message) => {
    expect(() => validateRotation({ ...ok, ...(patch as any) })).toThrow(
      message,
    );
  });
  it('accepts a valid rotation', () => {
    expect(() => validateRotation(ok)).not.toThrow();
  });
});
