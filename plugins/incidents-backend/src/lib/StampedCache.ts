import { Knex } from 'knex';

/** How many list counts are kept (per filter combination, LRU). */
const COUNT_CACHE_SIZE = 500;

/**
 * Values (list counts, metrics) with the change stamp they were computed at,
 * reused while the stamp is the same; least recently computed forgotten.
 */
export class StampedCache<T = number> {
  private static readonly byKnex = new WeakMap<Knex, StampedCache>();

  constructor(private readonly size = COUNT_CACHE_SIZE) {}

  /** The cache shared by every store on this Knex instance (replicas in tests). */
  static of(knex: Knex): StampedCache {
    let cache = StampedCache.byKnex.get(knex);
    if (!cache) {
      cache = new StampedCache();
      StampedCache.byKnex.set(knex, cache);
    }
    return cache;
  }

  private readonly entries = new Map<string, { stamp: string; count: T }>();

  get(key: string, stamp: string | undefined): T | undefined {
    const cached = this.entries.get(key);
    return cached && stamp !== undefined && cached.stamp === stamp
      ? cached.count
      : undefined;
  }

  /** The value kept for `key` at `stamp`, or `compute`'s, kept. */
  async getOrCompute<V extends T>(
    key: string,
    stamp: string,
    compute: () => Promise<V>,
  ): Promise<V> {
    const hit = this.get(key, stamp);
    if (hit !== undefined) return hit as V;
    const value = await compute();
    this.set(key, stamp, value);
    return value;
  }

  set(key: string, stamp: string, count: T) {
    this.entries.delete(key);
    this.entries.set(key, { stamp, count });
    if (this.entries.size > this.size) {
      // Forget the least recently counted.
      this.entries.delete(this.entries.keys().next().value!);
    }
  }
}
