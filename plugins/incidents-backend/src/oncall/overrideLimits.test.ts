import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { ScheduleDefinition } from './config';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';

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
  'schedule override limits on %p',
  databaseId => {
    let knex: Knex;
    let server: Awaited<ReturnType<typeof createTestApp>>['server'];
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await createTestApp(knex, {
        schedules,
        now: () => new Date('2027-03-27T12:00:00Z'),
      }));
    });

    const post = (path: string, body: object) =>
      request(server)
        .post(`/schedules/payments/${path}`)
        .set('Authorization', mockCredentials.user.header(CAROL))
        .send(body);
    const slots = async () => knex('oncall_slot').select().orderBy('id');

    it.each([
      [
        'a user not in the catalog',
        {
          userRef: '000',
          start: '2027-03-28T08:00:00Z',
          end: '2027-03-28T09:00:00Z',
        },
        'userRef: unknown catalog user user:default/000',
      ],
      [
        'a start in year -1',
        {
          userRef: 'guest',
          start: '-000001-03-28T08:00:00Z',
          end: '2027-03-28T09:00:00Z',
        },
        /^start: /,
      ],
      [
        'an end after 2100',
        {
          userRef: 'guest',
          start: '2027-03-28T08:00:00Z',
          end: '2127-03-28T09:00:00Z',
        },
        'end: must lie within the years 2000–2100',
      ],
      [
        'an override of 70 years',
        {
          userRef: 'guest',
          start: '2027-03-28T08:00:00Z',
          end: '2097-03-28T09:00:00Z',
        },
        'end: an override lasts at most 366 days',
      ],
    ])('refuses %s and changes nothing', async (_name, body, message) => {
      const before = await slots();
      const res = await post('overrides', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(await slots()).toEqual(before);
    });

    it('takes a catalog user for a year, and refuses unknown users at handoff', async () => {
      const ok = await post('overrides', {
        userRef: 'guest',
        start: '2027-04-01T00:00:00Z',
        end: '2028-04-01T00:00:00Z', // 366 days: 2028 is a leap year
      });
      expect(ok.status).toBe(201);
      expect(ok.body.userRef).toBe(GUEST);

      const before = await slots();
      const handoff = await post('handoff', { userRef: 'user:default/ghost' });
      expect(handoff.status).toBe(400);
      expect(handoff.body.error.message).toBe(
        'userRef: unknown catalog user user:default/ghost',
      );
      const early = await post('handoff', {
        userRef: 'guest',
        at: '1999-12-31T23:00:00Z',
      });
      expect(early.status).toBe(400);
      expect(early.body.error.message).toBe(
        'at: must lie within the years 2000–2100',
      );
      expect(await slots()).toEqual(before);
    });
  },
);
