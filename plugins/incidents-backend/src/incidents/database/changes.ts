/*
 * The change counter behind exact, cached list counts.
 *
 * Every write transaction of the incident store that can change what a list
 * counts adds one to a random shard of `incident_change` as its last
 * statement. The sum of the shards is the number of such committed writes: a
 * later snapshot sees every transaction an earlier one saw, so an equal sum
 * means the same committed writes, on any replica. A list keeps each count
 * with the sum it was taken at and reuses it while the sum is unchanged.
 */
import { Knex } from 'knex';

/** The rows of `incident_change` (see the migration). */
const CHANGE_SHARDS = 16;

/** An SQL expression for the current sum (see above). */
export const CHANGE_STAMP_SQL = '(select sum(changes) from incident_change)';

/**
 * Counts a committed write. Called last in the write's transaction: a
 * transaction holding a shard's row lock then waits for no other lock, so the
 * shards cannot take part in a deadlock.
 */
export function countChange(db: Knex | Knex.Transaction) {
  return db('incident_change')
    .where({ shard: Math.floor(Math.random() * CHANGE_SHARDS) })
    .increment('changes', 1);
}

/**
 * Runs a write transaction, counting the change unless it cannot change what
 * a list counts: notes, status updates, evidence and action items touch only
 * an incident's `updated_at`, which no filter uses.
 */
export function writeTransaction<T>(
  knex: Knex,
  write: (tx: Knex.Transaction) => Promise<T>,
  options: { changesCounts: boolean } = { changesCounts: true },
): Promise<T> {
  return knex.transaction(async tx => {
    const result = await write(tx);
    if (options.changesCounts) {
      await countChange(tx);
    }
    return result;
  });
}

/** For writes that cannot change what a list counts. */
export const NOT_COUNTED = { changesCounts: false };
