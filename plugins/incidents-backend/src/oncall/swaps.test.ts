import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { ScheduleDefinition } from './config';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const ALICE = 'user:default/alice'; // an admin, not a member
const as = (user: string) => mockCredentials.user.header(user);

// Daily at 09:00 UTC from 2027-03-20: carol on even days, guest on odd.
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

// Guest is on call 2027-03-27 09:00 → 03-28 09:00; now is 12:00 on the 27th.
const offer = {
  targetRef: 'carol',
  start: '2027-03-27T18:00:00Z',
  end: '2027-03-28T09:00:00Z',
  reason: 'dinner',
};

describe.each(databases.eachSupportedId())(
  'swap requests on %p',
  databaseId => {
    let now = new Date('2027-03-27T12:00:00Z');
    let swapAllowed: boolean;
    async function setup() {
      swapAllowed = true;
      now = new Date('2027-03-27T12:00:00Z');
      const knex = await databases.init(databaseId);
      const app = await createTestApp(knex, {
        schedules,
        now: () => now,
        policy: (permission, credentials) => {
          const user = (credentials.principal as any).userEntityRef;
          if (permission.name === 'incidents.schedule.manage') {
            return {
              result:
                user === ALICE ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
            };
          }
          if (permission.name === 'incidents.schedule.swap') {
            return {
              result: swapAllowed
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
            };
          }
          return { result: AuthorizeResult.ALLOW };
        },
      });
      const call = (user: string, method: 'get' | 'post', path: string) =>
        request(app.server)[method](path).set('Authorization', as(user));
      return { ...app, knex, call };
    }

    it('offers part of a slot, the other member accepts, and regeneration keeps it', async () => {
      const { call, notifications, knex } = await setup();
      const proposed = await call(
        GUEST,
        'post',
        '/schedules/payments/swaps',
      ).send(offer);
      expect(proposed.status).toBe(201);
      expect(proposed.body).toEqual({
        id: expect.any(String),
        scheduleId: 'payments',
        requester: GUEST,
        target: CAROL,
        start: '2027-03-27T18:00:00.000Z',
        end: '2027-03-28T09:00:00.000Z',
        reason: 'dinner',
        status: 'pending',
        createdAt: '2027-03-27T12:00:00.000Z',
      });
      expect(notifications.map(n => n.recipients)).toEqual([
        { type: 'entity', entityRef: CAROL },
      ]);

      // Carol sees it among her pending requests, and so does guest.
      for (const user of [CAROL, GUEST]) {
        const mine = await call(user, 'get', '/oncall/swaps/mine');
        expect(mine.body.items.map((s: any) => s.id)).toEqual([
          proposed.body.id,
        ]);
      }

      now = new Date('2027-03-27T12:05:00Z');
      const accepted = await call(
        CAROL,
        'post',
        `/schedules/payments/swaps/${proposed.body.id}/accept`,
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({
        status: 'accepted',
        decidedBy: CAROL,
        overrideId: expect.any(String),
      });
      expect(notifications[1].recipients).toEqual({
        type: 'entity',
        entityRef: GUEST,
      });
      expect(
        (await call(CAROL, 'get', '/oncall/swaps/mine')).body.items,
      ).toEqual([]);

      const slots = async () =>
        (
          await call(
            GUEST,
            'get',
            '/schedules/payments/slots?from=2027-03-27T12:00:00Z&to=2027-03-28T12:00:00Z',
          )
        ).body.items.map((s: any) => [s.userRef, s.start, s.end, s.isOverride]);
      const expected = [
        [GUEST, '2027-03-27T09:00:00.000Z', '2027-03-27T18:00:00.000Z', false],
        [CAROL, '2027-03-27T18:00:00.000Z', '2027-03-28T09:00:00.000Z', true],
        [CAROL, '2027-03-28T09:00:00.000Z', '2027-03-29T09:00:00.000Z', false],
      ];
      expect(await slots()).toEqual(expected);
      const regenerated = await call(
        ALICE,
        'post',
        '/schedules/payments/regenerate',
      ).send({ from: '2027-03-27T12:00:00Z' });
      expect(regenerated.status).toBe(200);
      expect(await slots()).toEqual(expected);

      // The schedule's audit list, newest first.
      const timeline = await call(GUEST, 'get', '/schedules/payments/timeline');
      expect(timeline.body.items.map((e: any) => [e.type, e.actor])).toEqual([
        ['swap.accepted', CAROL],
        ['swap.proposed', GUEST],
      ]);
      const list = await call(
        GUEST,
        'get',
        '/schedules/payments/swaps?status=accepted',
      );
      expect(list.body.items).toHaveLength(1);
      // An admin may still override anything, and that is on the list too.
      now = new Date('2027-03-27T12:10:00Z');
      const override = await call(
        ALICE,
        'post',
        '/schedules/payments/overrides',
      ).send({
        userRef: 'guest',
        start: '2027-03-27T20:00:00Z',
        end: '2027-03-27T21:00:00Z',
      });
      expect(override.status).toBe(201);
      const after = await call(GUEST, 'get', '/schedules/payments/timeline');
      expect(after.body.items[0]).toMatchObject({
        type: 'override.added',
        actor: ALICE,
      });
      await knex.destroy();
    });

    it('lets members offer only their own time to another member, and answer only their own requests', async () => {
      const { call, knex } = await setup();
      const propose = (user: string, body: object) =>
        call(user, 'post', '/schedules/payments/swaps').send({
          ...offer,
          ...body,
        });

      // Carol offering guest's time.
      const notHers = await propose(CAROL, { targetRef: 'guest' });
      expect(notHers.status).toBe(403);
      expect(notHers.body.error.message).toBe(
        'You can only offer time you are on call for',
      );
      // Past the end of guest's slot (carol's from 09:00 on the 28th).
      expect(
        (await propose(GUEST, { end: '2027-03-28T10:00:00Z' })).status,
      ).toBe(403);
      // A non-member, as target and as proposer.
      const outsider = await propose(GUEST, { targetRef: 'alice' });
      expect(outsider.status).toBe(400);
      expect(outsider.body.error.message).toBe(
        'targetRef: user:default/alice is not a member of Payments primary',
      );
      expect((await propose(ALICE, {})).status).toBe(403);
      expect((await propose(GUEST, { targetRef: 'guest' })).status).toBe(400);
      expect((await propose(GUEST, { targetRef: 'nobody' })).status).toBe(400);
      const past = await propose(GUEST, {
        start: '2027-03-27T09:00:00Z',
        end: '2027-03-27T10:00:00Z',
      });
      expect(past.status).toBe(400);
      expect(past.body.error.message).toMatch(/^start: /);

      const swap = (await propose(GUEST, {})).body;
      // Offering the same time twice.
      expect(
        (await propose(GUEST, { start: '2027-03-27T20:00:00Z' })).status,
      ).toBe(409);
      const decide = (user: string, decision: string) =>
        call(user, 'post', `/schedules/payments/swaps/${swap.id}/${decision}`);
      expect((await decide(GUEST, 'accept')).status).toBe(403);
      expect((await decide(ALICE, 'decline')).status).toBe(403);
      expect((await decide(CAROL, 'cancel')).status).toBe(403);
      swapAllowed = false;
      expect((await decide(CAROL, 'accept')).status).toBe(403);
      expect(
        (await propose(GUEST, { start: '2027-03-28T05:00:00Z' })).status,
      ).toBe(403);
      swapAllowed = true;
      expect((await decide(GUEST, 'cancel')).body.status).toBe('cancelled');
      const late = await decide(CAROL, 'accept');
      expect(late.status).toBe(409);
      expect(late.body.error.message).toBe(
        'This swap request is already cancelled',
      );
      expect(
        (await call(CAROL, 'post', '/schedules/payments/swaps/nope/accept'))
          .status,
      ).toBe(404);
      // Nothing was written to the slots.
      const [{ n }] = await knex('oncall_slot')
        .where({ is_override: true })
        .count({ n: '*' });
      expect(Number(n)).toBe(0);
      await knex.destroy();
    });

    it('refuses an accept once the time is no longer the proposer’s, writing nothing', async () => {
      const { call, knex } = await setup();
      const swap = (
        await call(GUEST, 'post', '/schedules/payments/swaps').send(offer)
      ).body;
      await call(ALICE, 'post', '/schedules/payments/overrides').send({
        userRef: 'carol',
        start: '2027-03-27T20:00:00Z',
        end: '2027-03-27T22:00:00Z',
      });
      const res = await call(
        CAROL,
        'post',
        `/schedules/payments/swaps/${swap.id}/accept`,
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/no longer user:default\/guest's/);
      const [{ n }] = await knex('oncall_slot')
        .where({ is_override: true })
        .count({ n: '*' });
      expect(Number(n)).toBe(1);
      expect(
        (await call(CAROL, 'get', '/oncall/swaps/mine')).body.items[0].status,
      ).toBe('pending');
      await knex.destroy();
    });

    it('gives one decision and one override when two answers arrive at once', async () => {
      const { call, knex } = await setup();
      const swap = (
        await call(GUEST, 'post', '/schedules/payments/swaps').send(offer)
      ).body;
      const answers = await Promise.all(
        ['accept', 'accept', 'decline', 'accept'].map(d =>
          call(CAROL, 'post', `/schedules/payments/swaps/${swap.id}/${d}`),
        ),
      );
      expect(answers.filter(a => a.status === 200)).toHaveLength(1);
      expect(answers.filter(a => a.status === 409)).toHaveLength(3);
      const [{ n }] = await knex('oncall_slot')
        .where({ is_override: true })
        .count({ n: '*' });
      const decided = answers.find(a => a.status === 200)!.body;
      expect(Number(n)).toBe(decided.status === 'accepted' ? 1 : 0);
      await knex.destroy();
    });
  },
);
