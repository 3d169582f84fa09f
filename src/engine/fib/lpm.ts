// Longest-prefix match over 32-bit integers. A prefix set is flattened once into disjoint address
// intervals, each labelled with the most specific covering prefix. Small tables are searched by a
// binary search over a Uint32Array of interval starts (narrowed by a 16-bit first-level index past
// 2048 intervals); large tables (more than DIR_THRESHOLD prefixes) also get the multi-level
// DIR-16-8-8 table of src/engine/fib/lpm-dir.ts, built from the same intervals, and are looked up there
// (one read for a /16 without longer prefixes, three more for most others; no search loop). One
// lookup function for both, no strings, no objects and no allocation per lookup. A table may carry
// an overlay (`over`): a few prefixes added after it was built, answered before the table itself
// (one null check per lookup for tables without).
import { buildDir, dirCanHold } from './lpm-dir.js';

export interface LpmTable {
  /** Interval starts, ascending; starts[0] is always 0. */
  readonly starts: Uint32Array;
  /** Value of each interval: the caller's index of the winning prefix, or -1 for no match. */
  readonly values: Int32Array;
  /** For big interval tables: first interval index for each /16 block (65537 entries), else null. */
  readonly index16: Uint32Array | null;
  readonly size: number;
  /** Multi-level table, first level (65,536 entries, one per /16), or null: interval search. */
  readonly l1: Int32Array | null;
  /** Multi-level table, second- and third-level chunks: bitmaps, bases and run entries (empty without l1). */
  readonly nodes: Int32Array;
  /**
   * Added to every value a look-up finds (not to -1): tables with the same prefixes and the same
   * values relative to a base share their arrays, each with its own base (withBase).
   */
  readonly base: number;
  /**
   * Prefixes added over the table since it was built, or null: a small interval table whose
   * values (plus `base`) answer every address inside an added prefix — the added prefixes and the
   * table's own prefixes inside them — and -1 elsewhere (the table answers). A FIB block kept in
   * place takes a few new prefixes this way instead of a table built again (compile.ts).
   */
  readonly over: LpmTable | null;
}

/** The table answering `t`'s values plus `base` (the same arrays, not copied; without `t`'s overlay). */
export function withBase(t: LpmTable, base: number): LpmTable {
  return { starts: t.starts, values: t.values, index16: t.index16, size: t.size, l1: t.l1, nodes: t.nodes, base, over: null };
}

/** `t`'s arrays answering from `base`, with the overlay `over` (an interval table whose values are relative to `base` too). */
export function withOverlay(t: LpmTable, base: number, over: LpmTable): LpmTable {
  return { starts: t.starts, values: t.values, index16: t.index16, size: t.size, l1: t.l1, nodes: t.nodes, base, over };
}

/** The value a table holds for interval `i`, with its base (-1: no route). */
export function intervalValue(t: LpmTable, i: number): number {
  const v = t.values[i];
  return v + (t.base & ~(v >> 31)); // -1 stays -1
}

/** Interval tables with more intervals than this get the /16 first-level index (256 KiB). */
const INDEX16_THRESHOLD = 2048;

/**
 * Tables with more prefixes than this are looked up in the multi-level table. It is faster at every
 * size measured (most random addresses are answered by its first level), so the threshold is set
 * by memory and build time: its first level costs a fixed 256 KiB and ~1 ms per table, which a
 * fabric's thousands of small per-router tables (a few KiB each as intervals) must not pay. Above
 * ~1024 prefixes (~2048 intervals) the interval search needs its own 256 KiB /16 index anyway.
 * The crossover is measured and printed by `npm run bench -- a`.
 */
export const DIR_THRESHOLD = 1024;

/** How to build: by size (default), or forced (tests and the benchmark's side-by-side). */
export type LpmMode = 'auto' | 'intervals' | 'dir';

/**
 * Builds a table from prefixes (network address with host bits zero, and length). `values[i]` is
 * returned for addresses whose longest matching prefix is `prefixes[i]`; duplicates keep the last.
 */
export function buildLpm(addrs: ArrayLike<number>, lens: ArrayLike<number>, values: ArrayLike<number>, mode: LpmMode = 'auto'): LpmTable {
  const n = addrs.length;
  // Sort by start address, then shorter (covering) prefixes first (routing tables come in this
  // order already: one pass checks, and the sort is skipped).
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = addrs[i - 1] < addrs[i] || (addrs[i - 1] === addrs[i] && lens[i - 1] <= lens[i]);
  let order: number[] | null = null;
  if (!sorted) {
    order = new Array<number>(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => addrs[a] - addrs[b] || lens[a] - lens[b] || a - b);
  }

  // At most two intervals per prefix, plus the first: typed scratch storage shared by every
  // build (a fabric builds thousands of tables; only the final intervals are copied out).
  if (scratchStarts.length < 2 * n + 1) {
    scratchStarts = new Uint32Array(2 * n + 1 + (n >>> 1));
    scratchValues = new Int32Array(scratchStarts.length);
  }
  const startsAll = scratchStarts;
  const valsAll = scratchValues;
  let count = 1;
  startsAll[0] = 0;
  valsAll[0] = -1;
  // Stack of open prefixes: [start, endExclusive, value].
  const stackStart: number[] = [];
  const stackEnd: number[] = [];
  const stackVal: number[] = [];
  const emit = (start: number, value: number) => {
    const last = count - 1;
    if (startsAll[last] === start) valsAll[last] = value;
    else if (valsAll[last] !== value) {
      startsAll[count] = start;
      valsAll[count++] = value;
    }
  };
  const closeUntil = (pos: number) => {
    // Close every open prefix that ends at or before `pos`, emitting what becomes visible.
    while (stackEnd.length && stackEnd[stackEnd.length - 1] <= pos) {
      const end = stackEnd.pop()!;
      stackStart.pop();
      stackVal.pop();
      if (end < 2 ** 32) emit(end, stackVal.length ? stackVal[stackVal.length - 1] : -1);
    }
  };
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k];
    const start = addrs[i] >>> 0;
    const end = start + 2 ** (32 - lens[i]);
    closeUntil(start);
    const top = stackEnd.length - 1;
    if (top >= 0 && stackStart[top] === start && stackEnd[top] === end) {
      // Same prefix seen again (duplicate): last one wins.
      stackVal[top] = values[i];
      emit(start, values[i]);
      continue;
    }
    stackStart.push(start);
    stackEnd.push(end);
    stackVal.push(values[i]);
    emit(start, values[i]);
  }
  closeUntil(2 ** 32);
  const starts = startsAll.subarray(0, count);
  const vals = valsAll.subarray(0, count);

  const size = count;
  const startsArr = starts.slice();
  const valuesArr = vals.slice();
  const dir = mode === 'dir' || (mode === 'auto' && n > DIR_THRESHOLD) ? (dirCanHold(valuesArr) ? buildDir(startsArr, valuesArr) : null) : null;
  let index16: Uint32Array | null = null;
  if (dir === null && size > INDEX16_THRESHOLD) {
    index16 = new Uint32Array(65537);
    let j = 0;
    for (let block = 0; block < 65536; block++) {
      const base = block * 65536;
      // Last interval whose start <= base.
      while (j + 1 < size && startsArr[j + 1] <= base) j++;
      index16[block] = j;
    }
    index16[65536] = size - 1;
  }
  return { starts: startsArr, values: valuesArr, index16, size, l1: dir?.l1 ?? null, nodes: dir?.nodes ?? EMPTY, base: 0, over: null };
}

const EMPTY = new Int32Array(0);

/** buildLpm's interval scratch (grown as needed, never shrunk). */
let scratchStarts = new Uint32Array(1024);
let scratchValues = new Int32Array(1024);

/** Bytes held by a table's typed arrays (intervals, /16 index, multi-level table). */
export function lpmBytes(t: LpmTable): number {
  return t.starts.byteLength + t.values.byteLength + (t.index16?.byteLength ?? 0) + (t.l1?.byteLength ?? 0) + t.nodes.byteLength + (t.over === null ? 0 : lpmBytes(t.over));
}

/** Set bits of a 32-bit word (SWAR). */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * The value of the longest prefix containing `ip` (unsigned 32-bit), or -1. Kept small so that V8
 * inlines it at the call site; the work is in the three helpers below.
 */
export function lpmLookup(t: LpmTable, ip: number): number {
  const l1 = t.l1;
  let v: number;
  if (t.over !== null && (v = intervalLookup(t.over, ip)) >= 0) return v + t.base;
  if (l1 !== null) {
    // Multi-level table (layout in lpm-dir.ts): a leaf is >= -1, a pointer below.
    const e = l1[ip >>> 16];
    if (e >= -1) v = e;
    else {
      const p = -2 - e;
      v = (p & 8) !== 0 ? listLookup(t.nodes, p >>> 4, ip) : bitmapLookup(t.nodes, p, ip);
    }
  } else v = intervalLookup(t, ip);
  return v + (t.base & ~(v >> 31)); // -1 stays -1
}

/** A list chunk (lpm-dir.ts, LIST_RUNS = 5): the entry after the boundaries <= the low 16 bits. */
function listLookup(nodes: Int32Array, at: number, ip: number): number {
  const x = (ip & 0xffff) + 1;
  const b01 = nodes[at];
  const b23 = nodes[at + 1];
  return nodes[at + 2 + (((b01 & 0xffff) - x) >>> 31) + (((b01 >>> 16) - x) >>> 31) + (((b23 & 0xffff) - x) >>> 31) + (((b23 >>> 16) - x) >>> 31)];
}

/** A second-level bitmap chunk (pointer payload `p`), then a third-level one if it points on. */
function bitmapLookup(nodes: Int32Array, p: number, ip: number): number {
  let k = (ip << 16) >>> (31 - (p & 7));
  let w = (p >>> 4) + ((k >>> 5) << 1);
  const e = nodes[nodes[w + 1] + popcount(nodes[w] & ((2 << (k & 31)) - 1))];
  if (e >= -1) return e;
  p = -2 - e;
  k = (ip << 24) >>> (31 - (p & 7));
  w = (p >>> 4) + ((k >>> 5) << 1);
  return nodes[nodes[w + 1] + popcount(nodes[w] & ((2 << (k & 31)) - 1))];
}

/** The interval search: the last interval whose start is <= ip (within its /16 block if indexed). */
function intervalLookup(t: LpmTable, ip: number): number {
  const starts = t.starts;
  let lo: number;
  let hi: number;
  if (t.index16 !== null) {
    const block = ip >>> 16;
    lo = t.index16[block];
    hi = block === 65535 ? t.size - 1 : t.index16[block + 1];
  } else {
    lo = 0;
    hi = t.size - 1;
  }
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= ip) lo = mid;
    else hi = mid - 1;
  }
  return t.values[lo];
}
