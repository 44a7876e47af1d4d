/*
 * A merge and an escalation firing on the same parent/child pair at once.
 * Both lock the two incident rows (the merge FOR UPDATE, the escalation FOR
 * SHARE); on PostgreSQL two transactions locking the same rows in opposite
 * orders deadlock, and PostgreSQL aborts one of them. Every path that locks
 * several incident rows locks them in ascending id order, so neither waits
 * for the other while holding what the other wants. The merge then stops
 * the child's escalation while a firing may be recording it: both take the
 * timers before the escalation row.
 *
 * Without the one order this failed on PostgreSQL in 2 of 3 runs of 15
 * rounds ("deadlock detected" from the firing, 500s from merges).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EscalationPolicy } from '@vigil/plugin-incidents-common';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { CapturingPager, TestClock } from '../__testUtils__/escalationHarness';
import { testEntities } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(300_000);

const databases = createTestDatabases();
const GUEST = 'user:default/guest';
const as = mockCredentials.user.header(GUEST);

const pageGuest: EscalationPolicy = {
  id: 'guest',
  name: 'Guest',
  severities: ['sev1'],
  services: [],
  repeat: 0,
  steps: [{ targets: [{ user: GUEST }], delayMinutes: 5 }],
};

const ROUNDS = 20;
const PAIRS = 10;

describe.each(databases.eachSupportedId())(
  'a merge and an escalation at once on %p',
  databaseId => {
    it(`neither deadlocks (${ROUNDS} rounds of ${PAIRS} pairs)`, async () => {
      const knex = await databases.init(databaseId);
      const clock = new TestClock('2027-03-27T12:00:00Z');
      const pager = new CapturingPager();
      const { server, escalation } = await createTestApp(knex, {
        now: clock.now,
        catalog: catalogServiceMock({ entities: testEntities }),
        escalation: { policies: [pageGuest], defaultPolicy: 'guest' },
        pagers: [pager],
      });
      const open = async (title: string) => {
        const res = await request(server)
          .post('/incidents')
          .set('Authorization', as)
          .send({
            title,
            severity: 'sev1',
            affectedServices: ['component:default/payments-api'],
          });
        expect(res.status).toBe(201);
        return res.body.id as string;
      };

      const failures: string[] = [];
      let merged = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Parents first: they come first in the table, so an escalation
        // reading the rows in table order reaches a parent before its
        // child, while the merge names the child first.
        const parents: string[] = [];
        for (let i = 0; i < PAIRS; i++) parents.push(await open(`P${i}`));
        const children: string[] = [];
        for (let i = 0; i < PAIRS; i++) children.push(await open(`C${i}`));
        // Every one of them has its first page due now.
        const results = await Promise.allSettled([
          escalation.tick(),
          ...children.map((child, i) =>
            request(server)
              .post(`/incidents/${child}/merge`)
              .set('Authorization', as)
              .send({ into: parents[i] }),
          ),
        ]);
        const [tick, ...merges] = results;
        if (tick.status === 'rejected') {
          failures.push(`round ${round} tick: ${tick.reason}`);
        }
        for (const m of merges) {
          if (m.status === 'rejected') {
            failures.push(`round ${round} merge: ${m.reason}`);
          } else if (m.value.status !== 200) {
            failures.push(
              `round ${round} merge: ${m.value.status} ${JSON.stringify(
                m.value.body?.error?.message,
              )}`,
            );
          } else {
            merged += 1;
          }
        }
        // Whatever the tick did not fire, the next does; then the pager
        // has paged each of them once.
        await escalation.tick();
        pager.take();
      }
      expect(failures).toEqual([]);
      expect(merged).toBe(ROUNDS * PAIRS);
      const children = await knex('incident').whereNotNull('parent_id');
      expect(children).toHaveLength(ROUNDS * PAIRS);
    });
  },
);
