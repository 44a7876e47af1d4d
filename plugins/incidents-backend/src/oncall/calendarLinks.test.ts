import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { startIncidentsBackend } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const GUEST = 'user:default/guest';
const CAROL = 'user:default/carol';

const config = {
  incidents: {
    oncall: {
      schedules: [
        {
          id: 'payments',
          name: 'Payments primary',
          rotation: { type: 'daily', handoffTime: '09:00' },
          start: '2026-01-01',
          members: ['guest', 'carol'],
        },
      ],
    },
  },
};

describe.each(databases.eachSupportedId())(
  'calendar subscription links on %p',
  databaseId => {
    it('gives each user one secret link per feed, readable without signing in', async () => {
      const knex = await databases.init(databaseId);
      const { server, stop } = await startIncidentsBackend(knex, { config });
      const link = (user: string, body: object) =>
        request(server)
          .post('/api/incidents/oncall/calendar-links')
          .set('Authorization', mockCredentials.user.header(user))
          .send(body);

      const first = await link(GUEST, { scheduleId: 'payments' });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        path: expect.stringMatching(/^\/oncall\/feeds\/[\w-]{32}$/),
        scheduleId: 'payments',
      });
      // The same link every time (a copied subscription keeps working) …
      expect((await link(GUEST, { scheduleId: 'payments' })).body).toEqual(
        first.body,
      );
      // … and a different one per user and per feed.
      const carols = await link(CAROL, { scheduleId: 'payments' });
      const mine = await link(GUEST, {});
      expect(new Set([first, carols, mine].map(r => r.body.path)).size).toBe(3);

      // A calendar app sends no credentials.
      const feed = await request(server).get(
        `/api/incidents${first.body.path}`,
      );
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toMatch(/text\/calendar/);
      expect(feed.text).toContain('X-WR-CALNAME:On call: Payments primary');
      const shifts = await request(server).get(
        `/api/incidents${mine.body.path}`,
      );
      expect(shifts.text).toContain('X-WR-CALNAME:My on-call shifts');

      const unknown = await request(server).get(
        '/api/incidents/oncall/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      );
      expect(unknown.status).toBe(404);
      expect((await link(GUEST, { scheduleId: 'nope' })).status).toBe(404);
      const anonymous = await request(server)
        .post('/api/incidents/oncall/calendar-links')
        .set('Authorization', mockCredentials.none.header())
        .send({});
      expect(anonymous.status).toBe(401);
      await stop();
    });
  },
);
