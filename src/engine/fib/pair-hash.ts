// A map from a pair of 32-bit unsigned integers to an int32, held in typed arrays (open
// addressing, linear probing). Used by the forwarding core for ARP (domain, address) and own
// addresses (component, address), the load balancer's VIP hosts (SE NIC, VIP): no boxing of large
// numeric keys, no allocation per lookup. An update changes a few pairs of a big map without
// copying it (withChanges): the changed map is an overlay of the pairs changed since the last
// whole map, which answers for the others, until the changes grow big enough to be folded into a
// whole copy; a copy also takes deletions.

import { int32Array, uint32Array } from '../typed-arena.js';

export const MISSING = -2147483648;

/** Most pairs an overlay holds: beyond a sixteenth of the map under it (at least 256), the changes are folded into a whole copy. */
const overlayMax = (whole: number) => Math.max(256, whole >> 4);

export class PairHash {
  private readonly keyA: Uint32Array;
  private readonly keyB: Uint32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private count = 0;
  /** An overlay's whole map (this one's slots hold the pairs set since); null for a whole map. */
  private readonly under: PairHash | null;
  /** An overlay's pairs removed from the map under it (value 1). */
  private removed: PairHash | null = null;
  /** An overlay's number of pairs (the whole map's, as changed). */
  private pairs = 0;

  constructor(expected: number, from: PairHash | null = null, under: PairHash | null = null) {
    this.under = under;
    if (from !== null) {
      // A copy of `from` (its capacity, its slots): what an update patches.
      this.keyA = from.keyA.slice();
      this.keyB = from.keyB.slice();
      this.values = from.values.slice();
      this.mask = from.mask;
      this.count = from.count;
      return;
    }
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keyA = uint32Array(cap);
    this.keyB = uint32Array(cap);
    this.values = int32Array(cap).fill(MISSING);
    this.mask = cap - 1;
  }

  /** A copy to patch (set and delete), leaving this one as it is. A whole map only. */
  copy(): PairHash {
    this.whole('copy');
    return new PairHash(0, this);
  }

  /**
   * This map with `changes` made — triples (a, b, value), a value of MISSING removing the pair;
   * a later triple for the same pair wins — leaving this one as it is. Without copying this map:
   * an overlay holding the pairs changed since the last whole map, which answers for every other
   * pair; once those pass `most` (overlayMax: a sixteenth of the whole map), a whole map again
   * (the changes folded into a copy).
   */
  withChanges(changes: readonly number[], most = overlayMax((this.under ?? this).count)): PairHash {
    const whole = this.under ?? this;
    const held = this.under === null ? 0 : this.count + this.removed!.count;
    const n = held + changes.length / 3;
    if (n > most) {
      const out = whole.hasRoomFor(n) ? whole.copy() : whole.regrown(whole.count + n);
      const fold = (a: number, b: number, value: number) => {
        out.delete(a, b);
        if (value !== MISSING) out.setIfAbsent(a, b, value);
      };
      if (this.under !== null) {
        this.removed!.scan((a, b) => fold(a, b, MISSING));
        this.scanOwn(fold);
      }
      for (let k = 0; k < changes.length; k += 3) fold(changes[k], changes[k + 1], changes[k + 2]);
      return out;
    }
    const over = new PairHash(n, null, whole);
    const removed = new PairHash(n);
    over.removed = removed;
    const change = (a: number, b: number, value: number) => {
      if (value === MISSING) {
        over.deleteOwn(a, b);
        if (removed.get(a >>> 0, b >>> 0) === MISSING) removed.setIfAbsent(a, b, 1);
      } else {
        removed.delete(a, b);
        over.put(a, b, value);
      }
    };
    if (this.under !== null) {
      this.removed!.scan((a, b) => change(a, b, MISSING));
      this.scanOwn(change);
    }
    for (let k = 0; k < changes.length; k += 3) change(changes[k], changes[k + 1], changes[k + 2]);
    // Its size: the whole map's, less the pairs removed from it, plus the pairs set that it lacks.
    let pairs = whole.count;
    removed.scan((a, b) => {
      if (whole.get(a, b) !== MISSING) pairs--;
    });
    over.scanOwn((a, b) => {
      if (whole.get(a, b) === MISSING) pairs++;
    });
    over.pairs = pairs;
    return over;
  }

  /** A whole copy with room for `expected` pairs. */
  private regrown(expected: number): PairHash {
    const out = new PairHash(expected);
    this.scan((a, b, value) => out.setIfAbsent(a, b, value));
    return out;
  }

  /** Sets (a, b) to `value`, present or not (an overlay being filled). */
  private put(a: number, b: number, value: number): void {
    const i = this.probe(a, b);
    if (this.values[i] !== MISSING) this.values[i] = value;
    else this.fill(i, a, b, value);
  }

  /** The slot holding (a, b), or the empty slot ending its probe run. */
  private probe(a: number, b: number): number {
    const { keyA, keyB, values, mask } = this;
    let i = this.slot(a, b);
    while (values[i] !== MISSING && !(keyA[i] === a >>> 0 && keyB[i] === b >>> 0)) i = (i + 1) & mask;
    return i;
  }

  /** Puts (a, b) → value into empty slot `i` (the table stays at most half full). */
  private fill(i: number, a: number, b: number, value: number): void {
    if (this.count * 2 >= this.values.length) throw new Error('PairHash capacity exceeded');
    this.keyA[i] = a;
    this.keyB[i] = b;
    this.values[i] = value;
    this.count++;
  }

  /** Calls `each` for every pair in this table's own slots (an overlay: the pairs it sets). */
  private scanOwn(each: (a: number, b: number, value: number) => void): void {
    const { keyA, keyB, values } = this;
    for (let i = 0; i < values.length; i++) if (values[i] !== MISSING) each(keyA[i], keyB[i], values[i]);
  }

  /** Throws when this map is an overlay (what `what` changes in place needs a whole map). */
  private whole(what: string): void {
    if (this.under !== null) throw new Error(`PairHash.${what} needs a whole map, not an overlay`);
  }

  /** Whether `n` more keys fit (the table stays at most half full). */
  hasRoomFor(n: number): boolean {
    this.whole('hasRoomFor');
    return (this.count + n) * 2 < this.values.length;
  }

  get size(): number {
    return this.under === null ? this.count : this.pairs;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
    h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
    return (h ^ (h >>> 13)) & this.mask;
  }

  /** Sets the value for (a, b) unless present; returns false when the key already existed. */
  setIfAbsent(a: number, b: number, value: number): boolean {
    this.whole('setIfAbsent');
    const i = this.probe(a, b);
    if (this.values[i] !== MISSING) return false;
    this.fill(i, a, b, value);
    return true;
  }

  /**
   * Removes (a, b); returns false when it was absent. The entries after it in its probe run move
   * back (backward-shift deletion: no tombstone, lookups stay as short as after a fresh build).
   */
  delete(a: number, b: number): boolean {
    this.whole('delete');
    return this.deleteOwn(a, b);
  }

  /** delete() on this table's own slots (an overlay's too, while it is being filled). */
  private deleteOwn(a: number, b: number): boolean {
    const { keyA, keyB, values, mask } = this;
    let i = this.probe(a, b);
    if (values[i] === MISSING) return false;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      if (values[j] === MISSING) break;
      const home = this.slot(keyA[j], keyB[j]);
      // The entry at j may fill the hole at i when its home slot is not cyclically in (i, j].
      if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
        keyA[i] = keyA[j];
        keyB[i] = keyB[j];
        values[i] = values[j];
        i = j;
      }
    }
    values[i] = MISSING;
    keyA[i] = 0;
    keyB[i] = 0;
    this.count--;
    return true;
  }

  /** Calls `each` for every key held: in slot order (an overlay: the whole map's pairs it keeps, then its own). */
  scan(each: (a: number, b: number, value: number) => void): void {
    const under = this.under;
    if (under !== null) {
      const removed = this.removed!;
      under.scan((a, b, value) => {
        if (this.own(a, b) === MISSING && removed.get(a, b) === MISSING) each(a, b, value);
      });
      this.scanOwn(each);
      return;
    }
    this.scanOwn(each);
  }

  /** This table's own value for (a, b), or MISSING. */
  private own(a: number, b: number): number {
    return this.values[this.probe(a, b)];
  }

  /** The value for (a, b), or MISSING. */
  get(a: number, b: number): number {
    let i = this.slot(a, b);
    const values = this.values;
    while (values[i] !== MISSING) {
      if (this.keyA[i] === a && this.keyB[i] === b) return values[i];
      i = (i + 1) & this.mask;
    }
    const under = this.under;
    if (under === null || this.removed!.get(a, b) !== MISSING) return MISSING;
    return under.get(a, b);
  }
}
