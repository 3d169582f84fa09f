// A read-only map with the values of some of its keys replaced, over the map it was made from
// (the Avi runtime's pools after a patch: a member down on a failed host replaces a few pools of
// 100,000), made without copying that map. Its keys, their order and its size are the other map's.
export class ReplacedMap<K, V> implements ReadonlyMap<K, V> {
  private constructor(
    private readonly whole: ReadonlyMap<K, V>,
    private readonly replaced: ReadonlyMap<K, V>,
  ) {}

  get size(): number {
    return this.whole.size;
  }

  get(key: K): V | undefined {
    return this.replaced.has(key) ? this.replaced.get(key) : this.whole.get(key);
  }

  has(key: K): boolean {
    return this.whole.has(key);
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.whole) yield [key, this.replaced.has(key) ? (this.replaced.get(key) as V) : value];
  }

  keys(): MapIterator<K> {
    return this.whole.keys();
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(each: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) each.call(thisArg, value, key, this);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  /**
   * `map` with the values in `replaced` in place of its own (every key of `replaced` must be one
   * of `map`'s: else, and once the replaced values pass a sixteenth of the map, a whole Map).
   * Replacing in a ReplacedMap replaces over the same whole map: never a chain.
   */
  static of<K, V>(map: ReadonlyMap<K, V>, replaced: ReadonlyMap<K, V>): ReadonlyMap<K, V> {
    if (replaced.size === 0) return map;
    const whole = map instanceof ReplacedMap ? (map.whole as ReadonlyMap<K, V>) : map;
    const all = map instanceof ReplacedMap ? new Map([...(map.replaced as ReadonlyMap<K, V>), ...replaced]) : replaced;
    let known = true;
    for (const key of all.keys()) if (!whole.has(key)) known = false;
    if (!known || all.size * 16 > whole.size) {
      const out = new Map(whole);
      for (const [key, value] of all) out.set(key, value);
      return out;
    }
    return new ReplacedMap(whole, all);
  }
}
