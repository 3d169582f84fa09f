// Longest-prefix match over 32-bit integers. A prefix set is flattened once into disjoint address
// intervals, each labelled with the most specific covering prefix; a lookup is a binary search
// over a Uint32Array of interval starts (narrowed by a 16-bit first-level index on large tables).
// No strings, no objects and no allocation per lookup.

export interface LpmTable {
  /** Interval starts, ascending; starts[0] is always 0. */
  readonly starts: Uint32Array;
  /** Value of each interval: the caller's index of the winning prefix, or -1 for no match. */
  readonly values: Int32Array;
  /** For big tables: first interval index for each /16 block (65537 entries), else null. */
  readonly index16: Uint32Array | null;
  readonly size: number;
}

/** Tables with more intervals than this get the /16 first-level index (256 KiB). */
const INDEX16_THRESHOLD = 2048;

/**
 * Builds a table from prefixes (network address with host bits zero, and length). `values[i]` is
 * returned for addresses whose longest matching prefix is `prefixes[i]`; duplicates keep the last.
 */
export function buildLpm(addrs: ArrayLike<number>, lens: ArrayLike<number>, values: ArrayLike<number>): LpmTable {
  const n = addrs.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Sort by start address, then shorter (covering) prefixes first.
  order.sort((a, b) => addrs[a] - addrs[b] || lens[a] - lens[b] || a - b);

  const starts: number[] = [0];
  const vals: number[] = [-1];
  // Stack of open prefixes: [start, endExclusive, value].
  const stackStart: number[] = [];
  const stackEnd: number[] = [];
  const stackVal: number[] = [];
  const emit = (start: number, value: number) => {
    const last = starts.length - 1;
    if (starts[last] === start) vals[last] = value;
    else if (vals[last] !== value) {
      starts.push(start);
      vals.push(value);
    }
  };
  const closeUntil = (pos: number) => {
    // Close every open prefix that ends at or before `pos`, emitting what becomes visible.
    while (stackEnd.length && stackEnd[stackEnd.length - 1] <= pos) {
      const end = stackEnd.pop()!;
      stackStart.pop();
      stackVal.pop();
      if (end < 2 ** 32) emit(end, stackVal.length ? stackVal[0] : -1);
    }
  };
  for (const i of order) {
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

  const size = starts.length;
  const startsArr = Uint32Array.from(starts);
  const valuesArr = Int32Array.from(vals);
  let index16: Uint32Array | null = null;
  if (size > INDEX16_THRESHOLD) {
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
  return { starts: startsArr, values: valuesArr, index16, size };
}

/** The value of the longest prefix containing `ip` (unsigned 32-bit), or -1. */
export function lpmLookup(t: LpmTable, ip: number): number {
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
  // Find the last interval with start <= ip in [lo, hi].
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= ip) lo = mid;
    else hi = mid - 1;
  }
  return t.values[lo];
}
