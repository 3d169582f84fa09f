// The multi-level LPM table for large route sets (DIR-16-8-8 with compressed, poptrie-like chunks),
// built from the disjoint labelled intervals of src/engine/fib/lpm.ts. Owns the layout and the builder;
// the lookup itself is inlined in lpmLookup (lpm.ts) so that the call site stays monomorphic and
// allocation-free.
//
// Layout (all Int32):
// - `l1`: 65,536 entries, one per /16 block (ip >>> 16).
// - `nodes`: the chunks below it, back to back.
// An entry e >= -1 is a leaf: the value itself (-1: no match). An entry e < -1 points to a chunk:
// p = -2 - e, the chunk starts at nodes[p >>> 4], and p & 15 says what it is:
// - 8: a list chunk (l1 only), for a /16 block with at most LIST_RUNS runs: the block's boundaries
//   as 16-bit numbers, then its entries; the entry index is the number of boundaries <= the low 16
//   bits of the address, counted without branches. Full precision in one chunk of 28 bytes. Most
//   blocks of a large table hold one or two longer prefixes, so most lookups end here or in l1.
// - 0..7: a bitmap chunk of 2^bits slots, bits = (p & 7) + 1. At the second level it is indexed by
//   the top `bits` of address bits 16..23 ((ip << 16) >>> (32 - bits)), at the third by the top
//   `bits` of bits 24..31 ((ip << 24) >>> (32 - bits)); only a 256-slot second-level chunk holds
//   pointers to third-level chunks. A chunk has only as many slots as its finest boundary needs (a
//   /16 holding only a /20: 16 slots), and stores runs, not slots, as poptrie does: per 32 slots a
//   bitmap of where a run of equal entries starts and the position before the word's first run,
//   then one entry per run (see emitChunk).
// Together these keep a random 100k-route table at ~1.9 MB instead of the ~40 MB (~70 MB with fixed
// 256-entry chunks) of a plain DIR-16-8-8, which is what makes it fast: lookups are bound by cache
// misses, not instructions.

export interface LpmDir {
  readonly l1: Int32Array;
  readonly nodes: Int32Array;
}

/** Leaf values the table can hold: -1 (no match) up to 2^31 - 1; pointers use the rest of Int32. */
export function dirCanHold(values: Int32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] < -1) return false;
  return true;
}

/** Chunk entries a pointer can address (offset * 16 + 15 must stay below 2^31 - 2). */
const MAX_NODES = 1 << 27;

/**
 * Scratch storage shared by every build (grown as needed, never shrunk): a fabric builds dozens of
 * large tables, and growing a fresh buffer by doubling for each would allocate several times the
 * final size (typed-array memory that also hastens V8's full collections).
 */
let scratch = new Int32Array(1 << 12);

/** A growable Int32 buffer over the shared scratch (chunks are appended, zeroed; the final array is a trimmed copy). */
class Chunks {
  buf = scratch;
  length = 0;
  alloc(n: number): number {
    const at = this.length;
    if (at + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < at + n) cap *= 2;
      const next = new Int32Array(cap);
      next.set(this.buf.subarray(0, at));
      this.buf = scratch = next;
    }
    this.buf.fill(0, at, at + n);
    this.length = at + n;
    return at;
  }
}

/** A pointer to a bitmap chunk of 2^bits slots. */
const pointer = (offset: number, bits: number): number => -2 - (offset * 16 + (bits - 1));

/** A pointer to a list chunk (see LIST_RUNS). */
const listPointer = (offset: number): number => -2 - (offset * 16 + 8);

/**
 * A /16 block with at most this many runs (intervals) gets a list chunk instead of bitmap chunks:
 * two words of 16-bit boundaries (the low 16 bits of the interval starts inside the block) then
 * five entries. lpmLookup is unrolled for exactly this size (5 was measured better than 7).
 */
const LIST_RUNS = 5;

/**
 * Bits a chunk needs under one parent entry: the finest boundary among interval starts s in
 * (base, base + span) at the chunk's 8-bit level (`shift` = 8 for the second level, 0 for the third),
 * capped at 8. Starts are those with index in [from, to).
 */
function strideBits(starts: Uint32Array, from: number, to: number, shift: number): number {
  let bits = 1;
  for (let j = from; j < to && bits < 8; j++) {
    const s = starts[j];
    // Below this level's byte (third-level boundary under a second-level chunk): needs all 8 bits.
    if (shift === 8 && (s & 0xff) !== 0) return 8;
    const byte = (s >>> shift) & 0xff;
    // byte is non-zero here (s is strictly inside the parent, and lower bits are zero).
    const need = 8 - (31 - Math.clz32(byte & -byte));
    if (need > bits) bits = need;
  }
  return bits;
}

/**
 * Appends a chunk of `n` slots (a power of two) in compressed form and returns its pointer. Per
 * 32-slot word: a bitmap of the slots where a run of equal entries starts, and the position (in
 * `nodes`) just before the word's first run's entry; the runs' entries follow the words, so slot k's
 * entry is nodes[base + popcount(bitmap & bits 0..k)] and usually sits on the same cache line.
 */
function emitChunk(slots: Int32Array, n: number, bits: number, nodes: Chunks): number {
  const words = n > 32 ? n >>> 5 : 1;
  let runs = 1;
  for (let k = 1; k < n; k++) if (slots[k] !== slots[k - 1]) runs++;
  const at = nodes.alloc(2 * words + runs);
  const buf = nodes.buf;
  let next = at + 2 * words;
  for (let w = 0; w < words; w++) {
    buf[at + 2 * w + 1] = next - 1;
    let bitmap = 0;
    const last = Math.min(n, (w + 1) * 32);
    for (let k = w * 32; k < last; k++) {
      if (k === 0 || slots[k] !== slots[k - 1]) {
        bitmap |= 1 << (k & 31);
        buf[next++] = slots[k];
      }
    }
    buf[at + 2 * w] = bitmap;
  }
  return pointer(at, bits);
}

/**
 * Builds the multi-level table from disjoint intervals: `starts` ascending with starts[0] = 0,
 * `values[j]` the value of [starts[j], starts[j + 1]). Every value must be >= -1 (see dirCanHold).
 * Null when the chunks would not fit the pointer encoding (2^28 words, 1 GiB): the caller keeps
 * the interval search then.
 */
export function buildDir(starts: Uint32Array, values: Int32Array): LpmDir | null {
  const size = starts.length;
  const l1 = new Int32Array(65536);
  const nodes = new Chunks();
  const slots2 = new Int32Array(256);
  const slots3 = new Int32Array(256);
  // j: the interval containing the current address; it only moves forward.
  let j = 0;
  for (let block = 0; block < 65536; block++) {
    const base = block * 65536;
    while (j + 1 < size && starts[j + 1] <= base) j++;
    // Intervals starting strictly inside the block: (j, end).
    let end = j + 1;
    while (end < size && starts[end] < base + 65536) end++;
    if (end === j + 1) {
      l1[block] = values[j];
      continue;
    }
    if (nodes.length + 600 * (end - j) > MAX_NODES) return null;
    if (end - j <= LIST_RUNS) {
      // Boundaries as 16-bit halves (65535 when unused: counted only at x = 65535, where the
      // padding entries repeat the last run), then the entries.
      const at = nodes.alloc(2 + LIST_RUNS);
      const buf = nodes.buf;
      for (let r = 1; r < LIST_RUNS; r++) {
        const b = j + r < end ? starts[j + r] - base : 65535;
        buf[at + ((r - 1) >>> 1)] |= b << (((r - 1) & 1) << 4);
      }
      for (let r = 0; r < LIST_RUNS; r++) buf[at + 2 + r] = values[Math.min(j + r, end - 1)];
      j = end - 1;
      l1[block] = listPointer(at);
      continue;
    }
    const bits2 = strideBits(starts, j + 1, end, 8);
    const n2 = 1 << bits2;
    const step2 = 1 << (16 - bits2);
    for (let k = 0; k < n2; k++) {
      const a = base + k * step2;
      while (j + 1 < size && starts[j + 1] <= a) j++;
      let e3 = j + 1;
      while (e3 < size && starts[e3] < a + step2) e3++;
      if (e3 === j + 1) {
        slots2[k] = values[j];
        continue;
      }
      // Only reachable with bits2 = 8 (a boundary inside this /24): a third-level chunk.
      const bits3 = strideBits(starts, j + 1, e3, 0);
      const n3 = 1 << bits3;
      const step3 = 1 << (8 - bits3);
      for (let m = 0; m < n3; m++) {
        const b = a + m * step3;
        while (j + 1 < size && starts[j + 1] <= b) j++;
        slots3[m] = values[j];
      }
      slots2[k] = emitChunk(slots3, n3, bits3, nodes);
    }
    l1[block] = emitChunk(slots2, n2, bits2, nodes);
  }
  return { l1, nodes: nodes.buf.slice(0, nodes.length) };
}
