import {
  createTestDatabases,
  newestMigration,
} from '../__testUtils__/databases';
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
    expect(await currentMigration(knex)).toBe(newestMigration());

    await knex('incident').insert({
      id: '6f1c7a0e-3f7e-4a59-9c61-0d8c7b3f9a01',
      ref_number: 1,
      title: 'Checkout is down',
      severity: 'sev1',
      status: 'open',
      environments: '[]',
      opened_by: 'user:default/guest',
      opened_at: new Date('2026-11-22T05:00:00Z'),
      updated_at: new Date('2026-11-22T05:00:00Z'),
    });
    await knex('incident_service').insert({
      incident_id: '6f1c7a0e-3f7e-4a59-9c61-0d8c7b3f9a01',
      entity_ref: 'component:default/checkout-web',
      opened_at: new Date('2026-11-22T05:00:00Z'),
    });
    await expect(
      knex('incident').insert({
        id: '6f1c7a0e-3f7e-4a59-9c61-0d8c7b3f9a02',
        ref_number: 1,
        title: 'duplicate ref',
        severity: 'sev2',
        status: 'open',
        environments: '[]',
        opened_by: 'user:default/guest',
        opened_at: new Date(),
        updated_at: new Date(),
      }),
    ).rejects.toThrow();
    // References come from a sequence on PostgreSQL, a counter row on SQLite
    expect(await knex.schema.hasTable('incident_ref_counter')).toBe(
      databaseId === 'SQLITE_3',
    );

    await rollbackDatabaseMigrations(knex);
    expect(await knex.schema.hasTable('oncall_slot')).toBe(false);
    expect(await knex.schema.hasTable('incident')).toBe(false);
    for (const table of [
      'incident_postmortem',
      'incident_postmortem_revision',
      'incident_postmortem_reminder',
      'incident_escalation',
      'incident_escalation_timer',
      'incident_page',
      'incident_page_delivery',
      'incident_page_attempt',
      'incident_service',
      'incident_timeline',
      'incident_audit',
    ]) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
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
