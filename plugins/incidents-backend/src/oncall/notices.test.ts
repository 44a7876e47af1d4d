import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { readNoticeConfig, ScheduleDefinition } from './config';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const ALICE = 'user:default/alice';

// Daily at 09:00 UTC from 2027-03-20: even days carol, odd days guest.
const schedules: ScheduleDefinition[] = [
  {
    id: 'payments',
    name: 'Payments primary',
    active: true,
    timeZone: 'UTC',
    type: 'daily',
    handoffTime: '09:00',
    start: '2027-03-20',
    members: [CAROL, GUEST],
  },
];

describe.each(databases.eachSupportedId())(
  'hand-off and shift notices on %p',
  databaseId => {
    let now: Date;
    function app(knex: Knex, before = 3_600_000) {
      return createTestApp(knex, {
        schedules,
        now: () => now,
        oncallNotices: { shiftNoticeBeforeMs: before },
      });
    }

    it('tells both owners about a hand-off and emits oncall.handoff, once', async () => {
      // Running since the day before; day 7 (guest) began at 09:00.
      now = new Date('2027-03-26T12:00:00Z');
      const knex = await databases.init(databaseId);
      const { oncallNotices, notifications, events } = await app(knex, 0);
      now = new Date('2027-03-27T09:05:00Z');

      const first = await oncallNotices.run();
      expect(first.handoffs).toEqual([
        `payments 2027-03-27T09:00:00.000Z ${CAROL}→${GUEST}`,
      ]);
      expect(notifications).toHaveLength(1);
      expect(notifications[0].recipients).toEqual({
        type: 'entity',
        entityRef: [CAROL, GUEST],
      });
      expect(notifications[0].payload.title).toBe(
        'On-call hand-off: Payments primary',
      );
      expect(notifications[0].payload.description).toBe(
        `${CAROL} hands over to ${GUEST} at Sat 27 Mar 2027, 09:00 (UTC).`,
      );
      expect(events).toEqual([
        {
          topic: 'incidents.oncall',
          eventPayload: {
            type: 'oncall.handoff',
            scheduleId: 'payments',
            scheduleTitle: 'Payments primary',
            from: CAROL,
            to: GUEST,
            at: '2027-03-27T09:00:00.000Z',
          },
        },
      ]);

      // Later runs, within the look-back, announce nothing new.
      now = new Date('2027-03-27T09:10:00Z');
      expect((await oncallNotices.run()).handoffs).toEqual([]);
      expect(notifications).toHaveLength(1);
      expect(events).toHaveLength(1);
      await knex.destroy();
    });

    it('announces a manual hand-off from the old to the new owner', async () => {
      now = new Date('2027-03-27T12:00:00Z');
      const knex = await databases.init(databaseId);
      const { server, oncallNotices, events } = await app(knex, 0);
      await oncallNotices.run(); // nothing since 09:00 is inside 15 min
      expect(events).toEqual([]);

      const res = await request(server)
        .post('/schedules/payments/handoff')
        .set('Authorization', mockCredentials.user.header(GUEST))
        .send({ userRef: ALICE });
      expect(res.status).toBe(201);
      now = new Date('2027-03-27T12:01:00Z');
      await oncallNotices.run();
      expect(events.map(e => e.eventPayload)).toEqual([
        expect.objectContaining({
          from: GUEST,
          to: ALICE,
          at: '2027-03-27T12:00:00.000Z',
        }),
      ]);
      await knex.destroy();
    });

    it('sends each hand-off and shift notice once across two instances on one database', async () => {
      now = new Date('2027-03-28T08:30:00Z');
      const knex = await databases.init(databaseId);
      const a = await app(knex);
      const b = await app(knex);

      // 08:30: carol's shift from 09:00 is within the hour.
      await Promise.all([b.oncallNotices.run(), a.oncallNotices.run()]);
      await Promise.all([a.oncallNotices.run(), b.oncallNotices.run()]);
      const shiftNotices = [...a.notifications, ...b.notifications];
      expect(shiftNotices).toHaveLength(1);
      expect(shiftNotices[0].recipients).toEqual({
        type: 'entity',
        entityRef: CAROL,
      });
      expect(shiftNotices[0].payload.description).toBe(
        'You are on call for Payments primary from Sun 28 Mar 2027, 09:00 (UTC) to Mon 29 Mar 2027, 09:00 (UTC).',
      );

      // 09:01: the hand-off guest → carol, announced once.
      now = new Date('2027-03-28T09:01:00Z');
      await Promise.all([
        a.oncallNotices.run(),
        b.oncallNotices.run(),
        a.oncallNotices.run(),
        b.oncallNotices.run(),
      ]);
      const events = [...a.events, ...b.events].filter(
        e => e.topic === 'incidents.oncall',
      );
      expect(events.map(e => e.eventPayload)).toEqual([
        expect.objectContaining({ from: GUEST, to: CAROL }),
      ]);
      const handoffNotices = [...a.notifications, ...b.notifications].filter(
        n => n.payload.topic === 'oncall-handoff',
      );
      expect(handoffNotices).toHaveLength(1);
      await knex.destroy();
    });

    it('tells a shift owner once per shift, not per daily slot, and only within the notice time', async () => {
      const knex = await databases.init(databaseId);
      now = new Date('2027-03-28T07:50:00Z');
      const { server, oncallNotices, notifications } = await app(knex);
      // Carol also takes guest's next day: one shift of three days.
      const res = await request(server)
        .post('/schedules/payments/overrides')
        .set('Authorization', mockCredentials.user.header(GUEST))
        .send({
          userRef: CAROL,
          start: '2027-03-29T09:00:00Z',
          end: '2027-03-30T09:00:00Z',
        });
      expect(res.status).toBe(201);

      // 70 minutes ahead: too early.
      expect((await oncallNotices.run()).shifts).toEqual([]);
      now = new Date('2027-03-28T08:00:00Z');
      expect((await oncallNotices.run()).shifts).toEqual([
        `payments ${CAROL} 2027-03-28T09:00:00.000Z`,
      ]);
      expect(notifications[0].payload.description).toContain(
        'to Wed 31 Mar 2027, 09:00 (UTC)',
      );
      await knex.destroy();
    });

    it('retries a notice whose send failed', async () => {
      now = new Date('2027-03-26T12:00:00Z');
      const knex = await databases.init(databaseId);
      const { oncallNotices, notifications, events } = await app(knex, 0);
      now = new Date('2027-03-27T09:05:00Z');
      const deps = (oncallNotices as any).options;
      const send = deps.notifications.send;
      deps.notifications.send = async () => {
        throw new Error('notifications backend unavailable');
      };
      expect((await oncallNotices.run()).handoffs).toEqual([]);
      expect(events).toEqual([]);
      deps.notifications.send = send;
      expect((await oncallNotices.run()).handoffs).toHaveLength(1);
      expect(notifications).toHaveLength(1);
      expect(events).toHaveLength(1);
      await knex.destroy();
    });
  },
);

describe('readNoticeConfig', () => {
  it('reads the notice time and turns shift notices off with false or 0', () => {
    const read = (oncall: object) =>
      readNoticeConfig(new ConfigReader({ incidents: { oncall } }));
    expect(read({}).shiftNoticeBeforeMs).toBe(3_600_000);
    expect(read({ shiftNotice: { before: '30m' } }).shiftNoticeBeforeMs).toBe(
      1_800_000,
    );
    expect(
      read({ shiftNotice: { before: { hours: 2 } } }).shiftNoticeBeforeMs,
    ).toBe(7_200_000);
    expect(read({ shiftNotice: { before: false } }).shiftNoticeBeforeMs).toBe(
      0,
    );
    expect(read({ noticeInterval: '5m' }).checkIntervalMs).toBe(300_000);
    expect(() => read({ shiftNotice: { before: 'soon' } })).toThrow(
      /shiftNotice.before/,
    );
  });
});
