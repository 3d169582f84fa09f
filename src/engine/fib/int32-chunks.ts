// A column of int32 values held in fixed chunks that compilations share: an update copies the
// chunk list (a reference per 4,096 values) and only the chunks it writes, where a flat column is
// copied whole by every compilation. For the next hops' ARP owners and proxy entries
// (fib/compile.ts), which an edit changes for a few next hops and extends at the end: at size L a
// flat copy of both is ~2.5 MB of fresh memory per edit, and fresh memory costs this VM ~3 ms per MB.

// Chunks are allocated on their own (not carved from a build's or an update's reservation,
// typed-arena.ts): a chunk a later compilation still shares would keep a whole reservation alive.

/** log2 of the values per chunk. */
export const CHUNK_SHIFT = 12;
const CHUNK = 1 << CHUNK_SHIFT;
const MASK = CHUNK - 1;

export class Int32Chunks {
  constructor(
    /** The chunks, each CHUNK values (the last one's values past `length` unused). */
    readonly chunks: readonly Int32Array[],
    readonly length: number,
  ) {}

  at(i: number): number {
    return this.chunks[i >>> CHUNK_SHIFT][i & MASK];
  }

  /** The values as one array (tests, diagnostics, and a walker that reads a flat column). */
  toArray(): Int32Array {
    const out = new Int32Array(this.length);
    for (let c = 0; c < this.chunks.length; c++) {
      const from = c << CHUNK_SHIFT;
      out.set(from + CHUNK <= this.length ? this.chunks[c] : this.chunks[c].subarray(0, this.length - from), from);
    }
    return out;
  }

  /**
   * A writer of `length` values whose first `keep` are `base`'s (its chunks shared until written),
   * the others to be set; with no base, every value is to be set.
   */
  static writer(length: number, base: Int32Chunks | null = null, keep = 0): Int32ChunksWriter {
    return new Int32ChunksWriter(length, base, base === null ? 0 : Math.min(keep, base.length, length));
  }
}

export class Int32ChunksWriter {
  private readonly chunks: Int32Array[];
  /** Per chunk: whether this writer made it (may write it) or shares it with the base (copies it first). */
  private readonly own: Uint8Array;

  constructor(
    readonly length: number,
    base: Int32Chunks | null,
    keep: number,
  ) {
    const n = (length + MASK) >>> CHUNK_SHIFT;
    this.chunks = new Array<Int32Array>(n);
    this.own = new Uint8Array(n);
    // The chunks wholly kept are the base's; the one holding `keep` (if partial) is copied; the rest are new.
    const whole = keep >>> CHUNK_SHIFT;
    for (let c = 0; c < n; c++) {
      if (c < whole) this.chunks[c] = base!.chunks[c];
      else {
        const chunk = new Int32Array(CHUNK);
        if (c === whole && keep & MASK) chunk.set(base!.chunks[c].subarray(0, keep & MASK));
        this.chunks[c] = chunk;
        this.own[c] = 1;
      }
    }
  }

  at(i: number): number {
    return this.chunks[i >>> CHUNK_SHIFT][i & MASK];
  }

  set(i: number, v: number): void {
    const c = i >>> CHUNK_SHIFT;
    if (this.own[c] === 0) {
      const copy = new Int32Array(CHUNK);
      copy.set(this.chunks[c]);
      this.chunks[c] = copy;
      this.own[c] = 1;
    }
    this.chunks[c][i & MASK] = v;
  }

  done(): Int32Chunks {
    return new Int32Chunks(this.chunks, this.length);
  }
}
