import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { testEntities } from '../__testUtils__/startIncidentsBackend';
import { ScheduleDefinition } from './config';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CAROL = 'user:default/carol';
const GUEST = 'user:default/guest';
const ALICE = 'user:default/alice';
const as = (user: string) => mockCredentials.user.header(user);

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
  {
    id: 'retired',
    name: 'Retired',
    active: false,
    timeZone: 'UTC',
    type: 'weekly',
    handoffTime: '09:00',
    start: '2027-01-01',
    members: [ALICE],
  },
];

// payments-api names no schedule; its owner team-payments does.
const entities: Entity[] = testEntities.map(e =>
  e.metadata.name === 'team-payments'
    ? {
        ...e,
        metadata: {
          ...e.metadata,
          annotations: { 'vigil.dev/oncall-schedule': 'payments' },
        },
      }
    : e,
);

describe.each(databases.eachSupportedId())('on-call API on %p', databaseId => {
  let now = new Date('2027-03-27T12:00:00Z');
  async function setup() {
    const knex = await databases.init(databaseId);
    return createTestApp(knex, {
      schedules,
      now: () => now,
      catalog: catalogServiceMock({ entities }),
      policy: (permission, credentials) =>
        permission.name === 'incidents.schedule.manage' &&
        (credentials.principal as any).userEntityRef !== ALICE
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
    });
  }

  it('says who is on call for every active schedule and for a component', async () => {
    now = new Date('2027-03-27T12:00:00Z'); // slot 7 of the rotation → guest
    const { server } = await setup();
    const all = await request(server)
      .get('/oncall')
      .set('Authorization', as(GUEST));
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([
      {
        schedule: { id: 'payments', name: 'Payments primary' },
        user: GUEST,
        start: '2027-03-27T08:00:00.000Z',
        end: '2027-03-28T07:00:00.000Z', // 09:00 CEST the next day: DST
        isOverride: false,
      },
    ]);
    const forComponent = await request(server)
      .get('/oncall?entityRef=component:default/payments-api')
      .set('Authorization', as(GUEST));
    expect(forComponent.body.items.map((i: any) => i.schedule.id)).toEqual([
      'payments',
    ]);
    const noSchedule = await request(server)
      .get('/oncall?entityRef=component:default/edge-gateway')
      .set('Authorization', as(GUEST));
    expect(noSchedule.body.items).toEqual([]);
  });

  it('lets admins override and hand off, and shows it in slots and iCal', async () => {
    now = new Date('2027-03-27T12:00:00Z');
    const { server, app } = await setup();
    const handoff = (user: string) =>
      request(server)
        .post('/schedules/payments/handoff')
        .set('Authorization', as(user))
        .send({ userRef: 'carol' });
    expect((await handoff(GUEST)).status).toBe(403);
    const done = await handoff(ALICE);
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({
      userRef: CAROL,
      isOverride: true,
      end: '2027-03-28T07:00:00.000Z',
    });

    const slots = await request(server)
      .get(
        '/schedules/payments/slots?from=2027-03-27T00:00:00Z&to=2027-03-29T00:00:00Z',
      )
      .set('Authorization', as(GUEST));
    expect(
      slots.body.items.map((s: any) => [s.userRef, s.start, s.isOverride]),
    ).toEqual([
      [GUEST, '2027-03-27T08:00:00.000Z', false],
      [CAROL, '2027-03-27T12:00:00.000Z', true],
      [CAROL, '2027-03-28T07:00:00.000Z', false],
    ]);

    // Backstage's spec-checking test proxy reads JSON bodies only, so the
    // iCalendar endpoints are called on the app directly.
    const ics = await request(app)
      .get('/schedules/payments/calendar.ics')
      .set('Authorization', as(GUEST));
    expect(ics.status).toBe(200);
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.text).toMatch(/^BEGIN:VCALENDAR/);
    expect(ics.text).toContain('SUMMARY:user:default/carol');
    const mine = await request(app)
      .get('/oncall/my-shifts.ics')
      .set('Authorization', as(GUEST));
    expect(mine.text).toContain('SUMMARY:On call: Payments primary');
    expect(mine.text).toContain('DTSTART:20270327T080000Z');
  });

  it('rejects bad overrides and unknown schedules', async () => {
    const { server } = await setup();
    const post = (path: string, body: object) =>
      request(server).post(path).set('Authorization', as(ALICE)).send(body);
    const backwards = await post('/schedules/payments/overrides', {
      userRef: 'guest',
      start: '2027-03-28T10:00:00Z',
      end: '2027-03-28T09:00:00Z',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe(
      'An override must end after it starts',
    );
    const garbage = await post('/schedules/payments/overrides', {
      userRef: 'guest',
      start: 'tomorrow',
      end: '2027-03-28T09:00:00Z',
    });
    expect(garbage.body.error.message).toBe(
      "start: 'tomorrow' is not an ISO 8601 time",
    );
    expect(
      (
        await post('/schedules/nope/overrides', {
          userRef: 'guest',
          start: '2027-03-28T08:00:00Z',
          end: '2027-03-28T09:00:00Z',
        })
      ).status,
    ).toBe(404);
  });
});
