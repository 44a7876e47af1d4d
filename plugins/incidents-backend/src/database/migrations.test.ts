import { createTestDatabases } from '../__testUtils__/databases';
import {
  applyDatabaseMigrations,
  currentMigration,
  rollbackDatabaseMigrations,
} from './migrations';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('migrations on %p', databaseId => {
  it('goes up and down with data in place', async () => {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations({ getClient: async () => knex }, knex);
    expect(await currentMigration(knex)).toBe('20261122000000_init.js');

    await knex('incident').insert({
      id: '6f1c7a0e-3f7e-4a59-9c61-0d8c7b3f9a01',
      ref_number: 1,
      title: 'Checkout is down',
      severity: 'sev1',
      status: 'open',
      opened_at: new Date('2026-11-22T05:00:00Z'),
      updated_at: new Date('2026-11-22T05:00:00Z'),
    });
    await knex('incident_service').insert({
      incident_id: '6f1c7a0e-3f7e-4a59-9c61-0d8c7b3f9a01',
      entity_ref: 'component:default/checkout-web',
    });
    await expect(
      knex('incident').insert({
        id: '6f1c7a0e-3f7e-4a59-9c61-0d8c7b3f9a02',
        ref_number: 1,
        title: 'duplicate ref',
        severity: 'sev2',
        status: 'open',
        opened_at: new Date(),
        updated_at: new Date(),
      }),
    ).rejects.toThrow();
    expect(await knex('incident_ref_counter').select()).toEqual([
      { name: 'incident', value: expect.anything() },
    ]);

    await rollbackDatabaseMigrations(knex);
    expect(await knex.schema.hasTable('incident')).toBe(false);
    expect(await knex.schema.hasTable('incident_service')).toBe(false);
    expect(await currentMigration(knex)).toBeUndefined();

    await applyDatabaseMigrations({ getClient: async () => knex }, knex);
    expect(await knex.schema.hasTable('incident')).toBe(true);
    await knex.destroy();
  });

  it('leaves the schema alone when migrations are skipped', async () => {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations(
      { getClient: async () => knex, migrations: { skip: true } },
      knex,
    );
    expect(await knex.schema.hasTable('incident')).toBe(false);
    await knex.destroy();
  });
});
