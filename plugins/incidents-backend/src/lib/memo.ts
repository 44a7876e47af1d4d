/**
 * A pure function's results kept by argument, at most `maxEntries` of them:
 * when full, it starts over (cheaper than tracking recency, and the hot keys
 * are back after a request or two). Only for functions whose result depends
 * on nothing but the key, so a kept result is never stale.
 * @internal
 */
export function memoized<K, V>(
  compute: (key: K) => V,
  maxEntries: number,
): (key: K) => V {
  let results = new Map<K, V>();
  return key => {
    let result = results.get(key);
    if (result === undefined) {
      result = compute(key);
      if (results.size >= maxEntries) {
        results = new Map();
      }
      results.set(key, result);
    }
    return result;
  };
}
