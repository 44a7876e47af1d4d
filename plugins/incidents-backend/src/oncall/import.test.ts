import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { testEntities } from '../__testUtils__/startIncidentsBackend';
import { ScheduleDefinition } from './config';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const ALICE = 'user:default/alice'; // the admin
const as = (user: string) => mockCredentials.user.header(user);

/** A feed in the shape Grafana OnCall and Opsgenie export (see the file). */
const feed = readFileSync(
  join(__dirname, '__fixtures__', 'grafana-oncall-export.ics'),
  'utf8',
);

const emails: Record<string, string> = {
  alice: 'alice.okafor@example.com',
  guest: 'GUEST@example.com',
  carol: 'carol@example.com',
};
const entities: Entity[] = testEntities.map(e =>
  e.kind === 'User'
    ? {
        ...e,
        spec: { ...e.spec, profile: { email: emails[e.metadata.name] } },
      }
    : e,
);

// Daily at 09:00 Berlin from 2027-03-20: carol on even days, guest on odd.
const schedules: ScheduleDefinition[] = [
  {
    id: 'payments',
    name: 'Payments primary',
    active: true,
    timeZone: 'Europe/Berlin',
    type: 'daily',
    handoffTime: '09:00',
    start: '2027-03-20',
    members: [CAROL, GUEST],
  },
];

describe.each(databases.eachSupportedId())(
  'iCalendar import on %p',
  databaseId => {
    const now = new Date('2027-03-27T12:00:00Z');
    async function setup() {
      const knex = await databases.init(databaseId);
      const app = await createTestApp(knex, {
        schedules,
        now: () => now,
        catalog: catalogServiceMock({ entities }),
        policy: (permission, credentials) =>
          permission.name === 'incidents.schedule.manage' &&
          (credentials.principal as any).userEntityRef !== ALICE
            ? { result: AuthorizeResult.DENY }
            : { result: AuthorizeResult.ALLOW },
      });
      const post = (user: string, body: object) =>
        request(app.server)
          .post('/schedules/payments/import')
          .set('Authorization', as(user))
          .send(body);
      const overrides = async () =>
        Number(
          (
            await knex('oncall_slot')
              .where({ is_override: true })
              .count({ n: '*' })
          )[0].n,
        );
      return { ...app, knex, post, overrides };
    }

    it('previews an exported feed, applies it as overrides, and a second import changes nothing', async () => {
      const { post, overrides, server, knex } = await setup();
      const preview = await post(ALICE, { ics: feed });
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({
        dryRun: true,
        applied: 0,
        from: '2027-03-27T12:00:00.000Z',
        unmatched: ['former@example.com'],
      });
      // 09:00 Berlin is 07:00 UTC after the DST change of 28 March; the
      // shift of 22 March is past; the weekly RRULE gives three weekends.
      expect(
        preview.body.shifts.map((s: any) => [
          s.start,
          s.end,
          s.userRef ?? s.email,
          s.change,
          s.current,
        ]),
      ).toEqual([
        [
          '2027-03-29T07:00:00.000Z',
          '2027-03-30T07:00:00.000Z',
          ALICE,
          'override',
          [GUEST],
        ],
        [
          '2027-04-01T07:00:00.000Z',
          '2027-04-01T19:00:00.000Z',
          'former@example.com',
          'unmatched',
          [CAROL],
        ],
        [
          '2027-04-03T07:00:00.000Z',
          '2027-04-04T07:00:00.000Z',
          GUEST,
          'override',
          [CAROL],
        ],
        [
          '2027-04-10T07:00:00.000Z',
          '2027-04-11T07:00:00.000Z',
          GUEST,
          'unchanged',
          [GUEST],
        ],
        [
          '2027-04-17T07:00:00.000Z',
          '2027-04-18T07:00:00.000Z',
          GUEST,
          'override',
          [CAROL],
        ],
      ]);
      expect(await overrides()).toBe(0);

      const applied = await post(ALICE, { ics: feed, dryRun: false });
      expect(applied.body.applied).toBe(3);
      expect(await overrides()).toBe(3);
      const slots = await request(server)
        .get(
          '/schedules/payments/slots?from=2027-03-29T08:00:00Z&to=2027-03-29T09:00:00Z',
        )
        .set('Authorization', as(GUEST));
      expect(slots.body.items.map((s: any) => [s.userRef, s.reason])).toEqual([
        [ALICE, 'import: [Payments primary] Alice Okafor'],
      ]);
      const timeline = await request(server)
        .get('/schedules/payments/timeline')
        .set('Authorization', as(GUEST));
      expect(timeline.body.items[0]).toMatchObject({
        type: 'import.applied',
        actor: ALICE,
        message:
          'Imported 3 shifts of Payments primary from an iCalendar feed; 1 e-mail(s) unmatched',
      });

      const again = await post(ALICE, { ics: feed, dryRun: false });
      expect(again.body.applied).toBe(0);
      expect(
        again.body.shifts.filter((s: any) => s.change === 'override'),
      ).toEqual([]);
      expect(await overrides()).toBe(3);
      await knex.destroy();
    });

    it('reads the feed from a URL', async () => {
      const { post, knex } = await setup();
      const server: Server = createServer((req, res) => {
        if (req.url === '/export.ics') {
          res.writeHead(200, { 'Content-Type': 'text/calendar' }).end(feed);
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const res = await post(ALICE, { url: `${base}/export.ics` });
        expect(res.status).toBe(200);
        expect(res.body.shifts).toHaveLength(5);
        const missing = await post(ALICE, { url: `${base}/nope.ics` });
        expect(missing.status).toBe(400);
        expect(missing.body.error.message).toBe('url: the feed answered 404');
      } finally {
        server.close();
      }
      await knex.destroy();
    });

    it('is for admins, and refuses what is not a feed, writing nothing', async () => {
      const { post, overrides, knex, server } = await setup();
      expect((await post(GUEST, { ics: feed, dryRun: false })).status).toBe(
        403,
      );
      const garbage = await post(ALICE, { ics: 'hello', dryRun: false });
      expect(garbage.status).toBe(400);
      expect(garbage.body.error.message).toMatch(/^ics: not an iCalendar/);
      expect(
        (await post(ALICE, { url: 'ftp://example.com/x.ics' })).status,
      ).toBe(400);
      expect((await post(ALICE, {})).status).toBe(400);
      expect(
        (
          await request(server)
            .post('/schedules/nope/import')
            .set('Authorization', as(ALICE))
            .send({ ics: feed })
        ).status,
      ).toBe(404);
      expect(await overrides()).toBe(0);
      await knex.destroy();
    });
  },
);
