import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { OpenIncidentInput } from './IncidentStore';
import { planMove } from './lifecycle';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const ACTOR = 'user:default/alice';
const CHECKOUT = 'component:default/checkout';
const SEARCH = 'component:default/search';

const input = (title: string, services: string[]): OpenIncidentInput => ({
  title,
  severity: 'sev2',
  affectedServices: services,
  ownerGroups: ['group:default/team-a'],
  environments: [],
});

async function createStore(knex: Knex) {
  return DatabaseIncidentStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
}

/** How many `count(*)` statements `run` made. */
async function countStatements(knex: Knex, run: () => Promise<unknown>) {
  let counts = 0;
  const listener = (query: { sql: string }) => {
    if (/count\(\*\)/i.test(query.sql)) counts += 1;
  };
  knex.on('query', listener);
  try {
    await run();
  } finally {
    knex.off('query', listener);
  }
  return counts;
}

describe.each(databases.eachSupportedId())('list counts on %p', databaseId => {
  it('stays exact through writes and reuses a count while nothing changed', async () => {
    const knex = await databases.init(databaseId);
    const store = await createStore(knex);
    const total = async (query = {}) => (await store.list(query)).totalCount;

    const first = await store.open(input('Checkout down', [CHECKOUT]), ACTOR);
    await store.open(input('Search slow', [SEARCH]), ACTOR);
    expect(await total()).toBe(2);
    expect(await total({ status: ['open'] })).toBe(2);
    expect(await total({ entityRef: CHECKOUT })).toBe(1);

    // Nothing changed: the counts are not taken again.
    expect(
      await countStatements(knex, async () => {
        expect(await total()).toBe(2);
        expect(await total({ status: ['open'] })).toBe(2);
        expect(await total({ entityRef: CHECKOUT })).toBe(1);
      }),
    ).toBe(0);

    // Opening, moving and editing change what the filters match.
    await store.open(input('Checkout again', [CHECKOUT]), ACTOR);
    expect(await total()).toBe(3);
    expect(await total({ entityRef: CHECKOUT })).toBe(2);
    await store.move(planMove(first.incident, 'investigating', ACTOR));
    expect(await total({ status: ['open'] })).toBe(2);
    expect(await total({ status: ['investigating'] })).toBe(1);
    await store.update(
      first.incident.id,
      { affectedServices: [SEARCH], ownerGroups: [] },
      ACTOR,
    );
    expect(await total({ entityRef: CHECKOUT })).toBe(1);
    expect(await total({ entityRef: SEARCH })).toBe(2);
    expect(await total({ owner: ['group:default/team-a'] })).toBe(2);

    // A note cannot change a count, so the counts taken since the edit stay
    // reusable.
    await store.addTimelineEntry(
      first.incident.id,
      { kind: 'note', message: 'Rolled back' },
      ACTOR,
    );
    expect(
      await countStatements(knex, async () => {
        expect(await total({ entityRef: SEARCH })).toBe(2);
        expect(await total({ owner: ['group:default/team-a'] })).toBe(2);
      }),
    ).toBe(0);

    // A page past the end still answers with the count.
    const pages = await store.list({ limit: 2 });
    const last = await store.list({ limit: 2, cursor: pages.nextCursor });
    expect(last.items).toHaveLength(1);
    expect(last.totalCount).toBe(3);
    await knex.destroy();
  });
});

describe.each(databases.eachSupportedId().filter(([id]) => id !== 'SQLITE_3'))(
  'list counts across replicas on %p',
  databaseId => {
    it("sees another replica's writes", async () => {
      const knex = await databases.init(databaseId);
      // A second process: its own Knex client, pool and count cache.
      const otherKnex = knexFactory(knex.client.config);
      const store = await createStore(knex);
      const other = await createStore(otherKnex);

      await store.open(input('Checkout down', [CHECKOUT]), ACTOR);
      expect((await store.list({})).totalCount).toBe(1);
      expect((await other.list({})).totalCount).toBe(1);

      const opened = await other.open(input('Search slow', [SEARCH]), ACTOR);
      expect((await store.list({})).totalCount).toBe(2);
      await other.move(planMove(opened.incident, 'resolved', ACTOR));
      expect((await store.list({ status: ['open'] })).totalCount).toBe(1);
      expect((await store.list({ status: ['resolved'] })).totalCount).toBe(1);
      await otherKnex.destroy();
      await knex.destroy();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'prepared reads on %p',
  databaseId => {
    it('keep working when a newer replica adds a column (rolling upgrade)', async () => {
      const knex = await databases.init(databaseId);
      const store = await createStore(knex);
      const { incident } = await store.open(
        input('Checkout down', [CHECKOUT]),
        ACTOR,
      );
      // Prepared (and, on PostgreSQL, planned) on the pool's connections.
      for (let i = 0; i < 6; i++) {
        expect((await store.list({})).items.map(x => x.ref)).toEqual([
          incident.ref,
        ]);
        expect((await store.getDetail(incident.ref))?.id).toBe(incident.id);
      }
      // What a migration of a newer version, run by another replica, does.
      await knex.schema.alterTable('incident', table => {
        table.text('added_by_a_newer_version');
      });
      expect((await store.list({})).items.map(x => x.ref)).toEqual([
        incident.ref,
      ]);
      expect((await store.getDetail(incident.ref))?.id).toBe(incident.id);
    });
  },
);
