/*
 * A child process for the SQLite kill -9 test (sqliteKill.test.ts): opens
 * the plugin's incident store on a SQLite file through Knex and
 * better-sqlite3, as the backend does (migrations, WAL), then writes until
 * it is killed: opens incidents and adds a note to each, appending one line
 * to the report file after each write has committed.
 *
 * Run: node --require @backstage/cli/config/nodeTransform.cjs sqliteWriter.ts <db file> <report file> <label>
 */
import knexFactory from 'knex';
import { appendFileSync } from 'node:fs';
import { DatabaseIncidentStore } from '../incidents/DatabaseIncidentStore';

async function main() {
  const [file, report, label] = process.argv.slice(2);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  const store = await DatabaseIncidentStore.create({
    database: { getClient: async () => knex },
  });
  appendFileSync(report, `ready ${label}\n`);
  for (let i = 0; ; i++) {
    const { incident } = await store.open(
      {
        title: `${label} incident ${i}`,
        severity: 'sev3',
        description: 'x'.repeat(2000),
        affectedServices: ['component:default/payments-api'],
        ownerGroups: ['group:default/team-payments'],
        environments: ['production'],
      },
      'user:default/writer',
    );
    // appendFileSync returns once the line is in the OS: a SIGKILL after
    // it leaves the line, and the commit came before it.
    appendFileSync(report, `incident ${incident.id}\n`);
    const { entry } = await store.addTimelineEntry(
      incident.id,
      { kind: 'note', message: `note ${i} of ${label}` },
      'user:default/writer',
    );
    appendFileSync(report, `note ${entry!.id}\n`);
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
