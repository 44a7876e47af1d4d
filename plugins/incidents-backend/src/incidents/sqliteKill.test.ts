/*
 * SQLite and kill -9: a real child process writes to a SQLite file with the
 * plugin's store (Knex, better-sqlite3, WAL, as the backend runs it) and is
 * killed with SIGKILL at random moments mid-write, then started again on
 * the same file. Afterwards the database passes PRAGMA integrity_check, its
 * migrations are all recorded, and every write the child reported as
 * committed is there.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

jest.setTimeout(300_000);

const KILLS = 4;

/** The lines of the report file (`kind id`). */
function reported(report: string): Array<[string, string]> {
  let text = '';
  try {
    text = readFileSync(report, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map(line => line.split(' ') as [string, string]);
}

function startWriter(file: string, report: string, label: string) {
  return spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      join(__dirname, '../__testUtils__/sqliteWriter.ts'),
      file,
      report,
      label,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** Waits until the report has grown by `more` committed writes. */
async function waitForWrites(
  child: ChildProcess,
  report: string,
  from: number,
  more: number,
  stderr: () => string,
) {
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`writer exited (${child.exitCode}): ${stderr()}`);
    }
    const writes = reported(report).filter(([kind]) => kind !== 'ready');
    if (writes.length >= from + more) return;
    await sleep(5);
  }
}

describe('SQLite after kill -9 mid-write', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-kill-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens, passes the integrity check and keeps every committed write', async () => {
    const file = join(dir, 'incidents.sqlite');
    const report = join(dir, 'report.txt');
    let committed = 0;
    // First killed while it starts (loading, migrating the new file): a
    // random moment in its first seconds, before any write.
    {
      const child = startWriter(file, report, 'start');
      await sleep(300 + Math.floor(Math.random() * 2500));
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      committed = reported(report).filter(([kind]) => kind !== 'ready').length;
    }
    for (let kill = 0; kill < KILLS; kill++) {
      const child = startWriter(file, report, `run${kill}`);
      let err = '';
      child.stderr!.on('data', chunk => {
        err += chunk;
      });
      // A random number of writes in, then SIGKILL at once: the child is
      // in the middle of its next write (it writes without pause).
      await waitForWrites(
        child,
        report,
        committed,
        5 + Math.floor(Math.random() * 40),
        () => err,
      );
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      expect(child.signalCode).toBe('SIGKILL');
      committed = reported(report).filter(([kind]) => kind !== 'ready').length;
    }

    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    try {
      expect(await knex.raw('PRAGMA integrity_check')).toEqual([
        { integrity_check: 'ok' },
      ]);
      // The store keeps the file in WAL mode.
      expect(await knex.raw('PRAGMA journal_mode')).toEqual([
        { journal_mode: 'wal' },
      ]);
      const migrations = readdirSync(
        resolvePackagePath('@vigil/plugin-incidents-backend', 'migrations'),
      )
        .filter(f => f.endsWith('.js'))
        .sort();
      expect(
        (await knex('knex_migrations').orderBy('id').select('name')).map(
          r => r.name,
        ),
      ).toEqual(migrations);
      expect(await knex('knex_migrations_lock').select('is_locked')).toEqual([
        { is_locked: 0 },
      ]);

      const lines = reported(report);
      expect(
        lines.filter(([kind, label]) => kind === 'ready' && label !== 'start'),
      ).toHaveLength(KILLS);
      const incidents = lines.filter(([k]) => k === 'incident').map(l => l[1]);
      const notes = lines.filter(([k]) => k === 'note').map(l => Number(l[1]));
      expect(incidents.length).toBeGreaterThanOrEqual(KILLS * 3);
      const storedIncidents = new Set(
        (await knex('incident').select('id')).map(r => r.id as string),
      );
      expect(incidents.filter(id => !storedIncidents.has(id))).toEqual([]);
      const storedNotes = new Set(
        (
          await knex('incident_timeline').where({ kind: 'note' }).select('id')
        ).map(r => Number(r.id)),
      );
      expect(notes.filter(id => !storedNotes.has(id))).toEqual([]);
      // Each stored incident is whole: its opening entry and audit row
      // were written in its transaction.
      const opened = await knex('incident as i')
        .leftJoin('incident_timeline as t', function joinOpened() {
          this.on('t.incident_id', '=', 'i.id').andOn(
            't.kind',
            '=',
            knex.raw('?', ['opened']),
          );
        })
        .whereNull('t.id')
        .select('i.id');
      expect(opened).toEqual([]);
    } finally {
      await knex.destroy();
    }
  });
});
