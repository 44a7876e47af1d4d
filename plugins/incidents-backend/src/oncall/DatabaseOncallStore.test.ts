import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseOncallStore } from './DatabaseOncallStore';
import { RotationSpec } from './rotation';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const A = 'user:default/a';
const B = 'user:default/b';
const C = 'user:default/c';
const spec: RotationSpec = {
  timeZone: 'UTC',
  type: 'daily',
  handoffTime: '09:00',
  start: '2027-01-01',
  members: [A, B, C],
};
const at = (iso: string) => new Date(`${iso}Z`);

describe.each(databases.eachSupportedId())(
  'DatabaseOncallStore on %p',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseOncallStore.create({
        database: mockServices.database({ knex }),
      });
      return { store, knex };
    }

    it('extends ahead without ever duplicating or changing slots', async () => {
      const { store, knex } = await createStore();
      const now = at('2027-01-10T12:00:00');
      expect(
        await store.extend('s', spec, now, at('2027-01-17T12:00:00')),
      ).toBe(8);
      expect(
        await store.extend('s', spec, now, at('2027-01-17T12:00:00')),
      ).toBe(0);
      expect(
        await store.extend('s', spec, now, at('2027-01-20T12:00:00')),
      ).toBe(3);
      await Promise.all([
        store.extend('s', spec, now, at('2027-01-25T12:00:00')),
        store.extend('s', spec, now, at('2027-01-25T12:00:00')),
      ]);
      const slots = await store.listSlots('s', now, at('2027-01-25T12:00:00'));
      for (let i = 1; i < slots.length; i++) {
        expect(slots[i].start).toBe(slots[i - 1].end);
      }
      expect(slots).toHaveLength(16);
      const [{ n }] = await knex('oncall_slot').count({ n: '*' });
      expect(Number(n)).toBe(16);
    });

    it('answers who is on call, preferring overrides', async () => {
      const { store } = await createStore();
      const now = at('2027-01-10T12:00:00'); // slot 9 → member 9 % 3 = A
      await store.extend('s', spec, now, at('2027-01-12T12:00:00'));
      expect((await store.whoIsOnCall(['s'], now)).get('s')?.userRef).toBe(A);
      await store.addOverride({
        scheduleId: 's',
        userRef: C,
        start: at('2027-01-10T11:00:00'),
        end: at('2027-01-10T13:00:00'),
        actor: A,
        reason: 'dentist',
      });
      expect((await store.whoIsOnCall(['s'], now)).get('s')).toMatchObject({
        userRef: C,
        isOverride: true,
        reason: 'dentist',
      });
      expect(
        (await store.whoIsOnCall(['s'], at('2027-01-10T13:00:00'))).get('s')
          ?.userRef,
      ).toBe(A);
      expect((await store.whoIsOnCall(['nope'], now)).size).toBe(0);
    });

    it('keeps overrides through regeneration with changed members', async () => {
      const { store } = await createStore();
      const now = at('2027-01-10T12:00:00');
      await store.extend('s', spec, now, at('2027-01-20T12:00:00'));
      const override = await store.addOverride({
        scheduleId: 's',
        userRef: C,
        start: at('2027-01-15T09:00:00'),
        end: at('2027-01-16T09:00:00'),
        actor: A,
      });
      await store.regenerate(
        's',
        { ...spec, members: [B, A] },
        now,
        at('2027-01-20T12:00:00'),
      );
      const slots = await store.listSlots('s', now, at('2027-01-20T12:00:00'));
      expect(slots.filter(s => s.isOverride)).toEqual([override]);
      // the slot covering "now" stays; from the next boundary the new order runs
      const rotation = slots.filter(s => !s.isOverride);
      expect(rotation[0]).toMatchObject({
        userRef: A,
        start: '2027-01-10T09:00:00.000Z',
      });
      expect(rotation[1]).toMatchObject({
        userRef: B,
        start: '2027-01-11T09:00:00.000Z',
      });
      expect(
        (await store.whoIsOnCall(['s'], at('2027-01-15T12:00:00'))).get('s')
          ?.userRef,
      ).toBe(C);
    });

    it('hands off mid-shift and resumes the rotation at the next boundary', async () => {
      const { store } = await createStore();
      const now = at('2027-01-10T12:00:00');
      await store.extend('s', spec, now, at('2027-01-13T12:00:00'));
      await store.handoff({
        scheduleId: 's',
        userRef: B,
        at: at('2027-01-10T15:30:00'),
        actor: A,
      });
      const effective = await store.effectiveSlots(
        's',
        at('2027-01-10T09:00:00'),
        at('2027-01-12T09:00:00'),
      );
      expect(effective.map(s => [s.userRef, s.start, s.end])).toEqual([
        [A, '2027-01-10T09:00:00.000Z', '2027-01-10T15:30:00.000Z'],
        [B, '2027-01-10T15:30:00.000Z', '2027-01-11T09:00:00.000Z'],
        [B, '2027-01-11T09:00:00.000Z', '2027-01-12T09:00:00.000Z'],
      ]);
      expect(effective[1].isOverride).toBe(true);
      expect(effective[2].isOverride).toBe(false);
    });
  },
);
