// A map from a pair of 32-bit unsigned integers to an int32, held in typed arrays (open
// addressing, linear probing). Used by the forwarding core for ARP (domain, address) and own
// addresses (component, address): no boxing of large numeric keys, no allocation per lookup.

import { int32Array, uint32Array } from '../typed-arena.js';

export const MISSING = -2147483648;

export class PairHash {
  private readonly keyA: Uint32Array;
  private readonly keyB: Uint32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private count = 0;

  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keyA = uint32Array(cap);
    this.keyB = uint32Array(cap);
    this.values = int32Array(cap).fill(MISSING);
    this.mask = cap - 1;
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
