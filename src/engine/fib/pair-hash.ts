// A map from a pair of 32-bit unsigned integers to an int32, held in typed arrays (open
// addressing, linear probing). Used by the forwarding core for ARP (domain, address) and own
// addresses (component, address), the load balancer's VIP hosts (SE NIC, VIP): no boxing of large
// numeric keys, no allocation per lookup; a copy takes deletions (an update patching a table).

import { int32Array, uint32Array } from '../typed-arena.js';

export const MISSING = -2147483648;

export class PairHash {
  private readonly keyA: Uint32Array;
  private readonly keyB: Uint32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private count = 0;

  constructor(expected: number, from: PairHash | null = null) {
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

  /** A copy to patch (set and delete), leaving this one as it is. */
  copy(): PairHash {
    return new PairHash(0, this);
  }

  /** Whether `n` more keys fit (the table stays at most half full). */
  hasRoomFor(n: number): boolean {
    return (this.count + n) * 2 < this.values.length;
  }

  get size(): number {
    return this.count;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
    h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
    return (h ^ (h >>> 13)) & this.mask;
  }

  /** Sets the value for (a, b) unless present; returns false when the key already existed. */
  setIfAbsent(a: number, b: number, value: number): boolean {
    let i = this.slot(a, b);
    while (this.values[i] !== MISSING) {
      if (this.keyA[i] === a >>> 0 && this.keyB[i] === b >>> 0) return false;
      i = (i + 1) & this.mask;
    }
    if (this.count * 2 >= this.values.length) throw new Error('PairHash capacity exceeded');
    this.keyA[i] = a;
    this.keyB[i] = b;
    this.values[i] = value;
    this.count++;
    return true;
  }

  /**
   * Removes (a, b); returns false when it was absent. The entries after it in its probe run move
   * back (backward-shift deletion: no tombstone, lookups stay as short as after a fresh build).
   */
  delete(a: number, b: number): boolean {
    const { keyA, keyB, values, mask } = this;
    let i = this.slot(a, b);
    while (values[i] !== MISSING && !(keyA[i] === a >>> 0 && keyB[i] === b >>> 0)) i = (i + 1) & mask;
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

  /** Calls `each` for every key held, in slot order. */
  scan(each: (a: number, b: number, value: number) => void): void {
    const { keyA, keyB, values } = this;
    for (let i = 0; i < values.length; i++) if (values[i] !== MISSING) each(keyA[i], keyB[i], values[i]);
  }

  /** The value for (a, b), or MISSING. */
  get(a: number, b: number): number {
    let i = this.slot(a, b);
    const values = this.values;
    while (values[i] !== MISSING) {
      if (this.keyA[i] === a && this.keyB[i] === b) return values[i];
      i = (i + 1) & this.mask;
    }
    return MISSING;
  }
}
