import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import { parse } from 'csv-parse/sync';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const ALICE = mockCredentials.user.header('user:default/alice');
const GUEST_REF = 'user:default/guest';
const CAROL_REF = 'user:default/carol';

/**
 * A daily rota in Berlin handing off at 09:00 from Monday 16 March 2026:
 * guest on the even days (Mon, Wed, Fri, Sun), carol on the odd ones.
 */
const SCHEDULE = {
  id: 'payments-primary',
  name: 'Payments primary',
  active: true,
  timeZone: 'Europe/Berlin',
  type: 'daily' as const,
  handoffTime: '09:00',
  start: '2026-03-16',
  members: [GUEST_REF, CAROL_REF],
};
/** Monday 16 March 09:00 CET to Monday 23 March 09:00 CET: one week. */
const WEEK = {
  from: '2026-03-16T08:00:00.000Z',
  to: '2026-03-23T08:00:00.000Z',
};

/** Readers see only the incidents their team owns; alice sees all. */
const teamPolicy: TestPolicy = (permission, credentials) => {
  const user = (credentials.principal as any).userEntityRef;
  if (user === 'user:default/alice' || permission.attributes.action !== 'read')
    return { result: AuthorizeResult.ALLOW };
  return createIncidentConditionalDecision(permission as any, {
    anyOf: [
      incidentConditions.isOwnedBy({ claims: ['group:default/team-payments'] }),
    ],
  });
};

async function page(
  knex: Knex,
  incidentId: string,
  recipient: string,
  at: string,
  via: string | null = 'schedule:payments-primary',
) {
  await knex('incident_page').insert({
    id: randomUUID(),
    incident_id: incidentId,
    escalation_id: randomUUID(),
    timer_id: randomUUID(),
    round: 1,
    step: 1,
    recipient,
    via,
    due_at: new Date(at),
    created_at: new Date(at),
  });
}

describe.each(databases.eachSupportedId())('on-call load on %p', databaseId => {
  async function setup() {
    const knex = await databases.init(databaseId);
    // Slots are generated from "now" on: start the clock at the rota's start.
    const app = await createTestApp(knex, {
      policy: teamPolicy,
      schedules: [SCHEDULE],
      now: () => new Date('2026-03-16T00:00:00Z'),
      metrics: { timeZone: 'Europe/Berlin' },
    });
    const open = async (service: string) =>
      (
        await request(app.server)
          .post('/incidents')
          .set('Authorization', ALICE)
          .send({
            title: `Paging ${service}`,
            severity: 'sev2',
            affectedServices: [`component:default/${service}`],
          })
          .expect(201)
      ).body.id as string;
    const payments = await open('payments-api');
    const edge = await open('edge-gateway');
    // guest: Monday 10:00 (business) and a repeat 30 s later (counted once),
    // Monday 19:00 (off), Tuesday 03:00 (sleep, paged directly, not by the
    // rota).
    await page(knex, payments, GUEST_REF, '2026-03-16T09:00:00Z');
    await page(knex, payments, GUEST_REF, '2026-03-16T09:00:30Z');
    await page(knex, payments, GUEST_REF, '2026-03-16T18:00:00Z');
    await page(knex, payments, GUEST_REF, '2026-03-17T02:00:00Z', null);
    // carol: Thursday 17:59 (business, the last minute), Thursday 22:00
    // (sleep, its first minute), Saturday 12:00 (off: weekend) on an
    // incident of another team's component.
    await page(knex, payments, CAROL_REF, '2026-03-19T16:59:00Z');
    await page(knex, payments, CAROL_REF, '2026-03-19T21:00:00Z');
    await page(knex, edge, CAROL_REF, '2026-03-21T11:00:00Z');
    return { app, knex };
  }

  it('splits hours on call and pages into business, off and sleep hours in the rota’s zone', async () => {
    const { app } = await setup();
    const res = await request(app.server)
      .get('/metrics/oncall-load')
      .query(WEEK)
      .set('Authorization', ALICE)
      .expect(200);
    // guest: Mon→Tue and Wed→Thu (10 business, 4 off, 10 sleep each),
    // Fri→Sat (9, 5, 10), Sun→Mon (1, 13, 10).
    // carol: Tue→Wed, Thu→Fri (10, 4, 10 each), Sat→Sun (0, 14, 10).
    expect(res.body.users).toEqual([
      {
        userRef: CAROL_REF,
        hours: { business: 20, off: 22, sleep: 30 },
        pages: { business: 1, off: 1, sleep: 1 },
      },
      {
        userRef: GUEST_REF,
        hours: { business: 30, off: 26, sleep: 40 },
        pages: { business: 1, off: 1, sleep: 1 },
      },
    ]);
    // Fairness: 72 and 96 of 168 hours; of the rota's 5 pages, carol had 3.
    expect(res.body.schedules).toEqual([
      {
        id: 'payments-primary',
        name: 'Payments primary',
        members: [
          {
            userRef: CAROL_REF,
            hours: 72,
            hoursShare: 42.86,
            interruptions: 3,
            interruptionShare: 60,
          },
          {
            userRef: GUEST_REF,
            hours: 96,
            hoursShare: 57.14,
            interruptions: 2,
            interruptionShare: 40,
          },
        ],
      },
    ]);
  });

  it('counts a DST night as the hours it had', async () => {
    const { app } = await setup();
    // Saturday 28 March 09:00 CET to Sunday 09:00 CEST: 23 hours, guest's.
    const res = await request(app.server)
      .get('/metrics/oncall-load')
      .query({ from: '2026-03-28T08:00:00Z', to: '2026-03-29T07:00:00Z' })
      .set('Authorization', ALICE)
      .expect(200);
    expect(res.body.users).toEqual([
      {
        userRef: GUEST_REF,
        hours: { business: 0, off: 14, sleep: 9 },
        pages: { business: 0, off: 0, sleep: 0 },
      },
    ]);
  });

  it('counts only the pages of incidents the caller may read, and answers CSV', async () => {
    const { app } = await setup();
    const guest = await request(app.server)
      .get('/metrics/oncall-load')
      .query(WEEK)
      .set('Authorization', mockCredentials.user.header(GUEST_REF))
      .expect(200);
    // The Saturday page was for edge-gateway (owned by sre).
    expect(
      guest.body.users.find((u: any) => u.userRef === CAROL_REF).pages,
    ).toEqual({ business: 1, off: 0, sleep: 1 });

    const csv = await request(app.app)
      .get('/metrics/oncall-load')
      .query({ ...WEEK, format: 'csv' })
      .set('Authorization', ALICE)
      .expect(200);
    expect(parse(csv.text, { columns: true })).toEqual([
      {
        user_ref: CAROL_REF,
        hours_business: '20',
        hours_off: '22',
        hours_sleep: '30',
        pages_business: '1',
        pages_off: '1',
        pages_sleep: '1',
      },
      {
        user_ref: GUEST_REF,
        hours_business: '30',
        hours_off: '26',
        hours_sleep: '40',
        pages_business: '1',
        pages_off: '1',
        pages_sleep: '1',
      },
    ]);
  });

  it('counts a page or an override written after an earlier answer', async () => {
    const { app, knex } = await setup();
    const guestOf = async () =>
      (
        await request(app.server)
          .get('/metrics/oncall-load')
          .query(WEEK)
          .set('Authorization', ALICE)
          .expect(200)
      ).body.users.find((u: any) => u.userRef === GUEST_REF);
    expect((await guestOf()).pages.business).toBe(1);
    const [incident] = await knex('incident').select('id');
    // Wednesday 11:00 Berlin: business hours.
    await page(knex, incident.id, GUEST_REF, '2026-03-18T10:00:00Z');
    expect((await guestOf()).pages.business).toBe(2);
    // carol takes guest's Wednesday 09:00–21:00: 9 business and 3 off hours.
    await request(app.server)
      .post('/schedules/payments-primary/overrides')
      .set('Authorization', ALICE)
      .send({
        userRef: CAROL_REF,
        start: '2026-03-18T08:00:00Z',
        end: '2026-03-18T20:00:00Z',
      })
      .expect(201);
    expect((await guestOf()).hours).toEqual({
      business: 21,
      off: 23,
      sleep: 40,
    });
  });

  it('narrows to one schedule and refuses an unknown one', async () => {
    const { app } = await setup();
    const one = await request(app.server)
      .get('/metrics/oncall-load')
      .query({ ...WEEK, scheduleId: 'payments-primary' })
      .set('Authorization', ALICE)
      .expect(200);
    // guest's direct page (not through the rota) is left out.
    expect(
      one.body.users.find((u: any) => u.userRef === GUEST_REF).pages,
    ).toEqual({ business: 1, off: 1, sleep: 0 });
    await request(app.server)
      .get('/metrics/oncall-load')
      .query({ ...WEEK, scheduleId: 'nope' })
      .set('Authorization', ALICE)
      .expect(404);
  });
});
