// A final routing table: routes sorted by prefix, read by position, and spliced into a new table
// without copying it. A table is a list of pieces, each a range of an array of routes that never
// changes; a splice shares the pieces around the replaced ranges and adds the new runs as pieces
// of their own. An edit of a few prefixes of a 150,000-route table (a VIP withdrawn from a Tier-0
// SR or a ToR) then costs a few pieces, not a copy of the table (~1.5 ms and 1.2 MB of old space
// each: two dozen per edit at size L). Reads go through `at(i)`: a table of one piece (every
// table built whole) reads its array; one of several finds the piece by binary search over their
// starts, from the piece read last (a walk over the table stays in a piece). Past a number of pieces the
// table is copied into one array again, and a small table is always one array (copying it costs
// less than reading it in pieces). `toArray()` gives the routes as one array (a table of several
// pieces is copied once, then reads that array). A table can also be another table's routes with
// other next hops (`remapped`: an edge failed, and every BGP route of a ToR lost one path): it
// holds the base table and the remap, and makes its routes when first read — the FIB compiles it
// from the base's block and the remap's few next-hop lists (`hopsAt`), without reading a route.
// A Tier-0 SR's table can also be made of its DR's (`sharing`: the Tier-1 advertised prefixes
// both hold, 140k at size L, with the SR's own next-hop lists), and a ToR's of another ToR's (the
// BGP routes both learn, ribs/install alikeTable): it lists, per position, a route of the other
// table or one of its own few, and makes its routes when first read. The stages
// that read every table of a build (BGP origination, BGP installation, the FIB) and an update's
// splices and comparisons read such a table through `shapeAt`, `hopsAt` and `routeAt` without
// making its routes (a splice keeps it made of the DR's: its positions are pieces too); the rest
// reads `at` (made then, once).
import type { RibNextHop, RibRoute } from './route.js';

/**
 * What a remapped table does to its base table's routes: each route holding one of a few
 * (next-hop list, origin) pairs takes another pair, everything else (prefix, type, distance,
 * selection) kept; every other route is the base's own (ribs/route.ts HopRemap).
 */
export interface RouteRemap {
  /** The next hops `r` (a route of the base table) holds in the remapped table. */
  hopsOf(r: RibRoute): readonly RibNextHop[];
  /** The next hops a route of the base table holding (hops, origin) holds in the remapped table. */
  hopsOfKey(hops: readonly RibNextHop[], origin: string): readonly RibNextHop[];
  /** `r` as the remapped table holds it: a new route when it is remapped, else `r`. */
  apply(r: RibRoute): RibRoute;
}

/**
 * How a table made of another's (RibTable.sharing) holds that table's routes: with other next
 * hops, as routes of its own component.
 */
export interface RouteCopier {
  /** The next hops the table holds for `r`, a route of the table it is made of. */
  hopsOf(r: RibRoute): readonly RibNextHop[];
  /** `r` (a route of the table it is made of) as a route of this table: a new route. */
  apply(r: RibRoute): RibRoute;
}

/**
 * A table made of another (a Tier-0 SR's of its DR's, a ToR's of another ToR's): per position i, a value p ≥ 0 is the
 * route at position p of `base`, copied by `copier`; -1 - k is `own[k]`. The values are held in
 * pieces, as a table's routes are (a splice shares the pieces around the replaced ranges and adds
 * the new runs' values as pieces of their own): piece k gives positions [start[k], start[k + 1])
 * as src[k][from[k] + i - start[k]]. `own` is in table order as built; a splice appends the new
 * runs' routes to it (ownInOrder lists them in table order).
 */
export interface SharedLayer {
  readonly base: RibTable;
  readonly own: readonly RibRoute[];
  /** Whether `own` is in table order (as RibTable.sharing is given it; a splice appends). */
  readonly ordered: boolean;
  readonly copier: RouteCopier;
  readonly src: readonly Int32Array[];
  readonly from: Int32Array;
  readonly start: Int32Array;
}

/** The value of position i of a shared layer (see SharedLayer), from piece `k` when it holds i. */
function layerValue(sh: SharedLayer, i: number, k: number): number {
  return sh.src[k][sh.from[k] + i - sh.start[k]];
}

/** The piece of a shared layer holding position i. */
function layerPiece(sh: SharedLayer, i: number): number {
  return pieceHolding(sh.start, sh.src.length, i);
}

/** The piece of `count` pieces starting at `start` that holds position i (a binary search over the starts). */
function pieceHolding(start: Int32Array, count: number, i: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (start[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Calls `each(value, position)` for every position of a shared layer, in order. */
function forEachValue(sh: SharedLayer, each: (value: number, position: number) => void): void {
  for (let k = 0; k < sh.src.length; k++) {
    const src = sh.src[k];
    const off = sh.from[k] - sh.start[k];
    for (let i = sh.start[k]; i < sh.start[k + 1]; i++) each(src[off + i], i);
  }
}

/**
 * maxPieces: most pieces a table keeps (a splice that would make more copies it into one array);
 * small: tables of fewer routes are one array (a splice copies them). Lowered by the tests that
 * run updates on small scenarios, so that their tables are made of pieces too.
 */
export const ribTableLimits = { maxPieces: 256, small: 2048 };

const NO_SRC: readonly (readonly RibRoute[])[] = [];
const NO_INTS = new Int32Array(0);

export class RibTable implements Iterable<RibRoute> {
  /** The empty table (one for every empty table). */
  static readonly empty: RibTable = new RibTable(0, [], NO_SRC, NO_INTS, NO_INTS);

  readonly length: number;
  /** The routes as one array, when the table is one piece covering an array from 0; else null. */
  private flat: readonly RibRoute[] | null;
  /** Piece k: src[k][from[k] + (i - start[k])] for i in [start[k], start[k + 1]). */
  private src: readonly (readonly RibRoute[])[];
  private from: Int32Array;
  private start: Int32Array;
  /** The piece read last. */
  private last = 0;
  /** A remapped table: its base (a table of its own routes) and the remap; its routes are made when first read. */
  private layer: { readonly base: RibTable; readonly remap: RouteRemap } | null = null;
  /** A table made of another's routes (RibTable.sharing); its routes are made when first read. */
  private shared: SharedLayer | null = null;

  private constructor(length: number, flat: readonly RibRoute[] | null, src: readonly (readonly RibRoute[])[], from: Int32Array, start: Int32Array) {
    this.length = length;
    this.flat = flat;
    this.src = src;
    this.from = from;
    this.start = start;
  }

  /** A table of the routes of `routes` (sorted by prefix; the array is the table's and must not change after). */
  static of(routes: readonly RibRoute[]): RibTable {
    return routes.length === 0 ? RibTable.empty : new RibTable(routes.length, routes, NO_SRC, NO_INTS, NO_INTS);
  }

  /**
   * `base`'s routes as `remap` changes them (base must not be remapped itself: a remap of a
   * remapped table is made from the first base, its remap composed). Made when first read.
   */
  static remapped(base: RibTable, remap: RouteRemap): RibTable {
    const t = new RibTable(base.length, null, NO_SRC, NO_INTS, NO_INTS);
    t.layer = { base, remap };
    return t;
  }

  /**
   * A table of `at.length` routes made of `base`'s and of `own` (SharedLayer): position i holds
   * base's route at[i] as `copier` copies it when at[i] ≥ 0, else own[-1 - at[i]]. `base` must
   * be one array (RibTable.of), and sorted and selected as the table is (the caller's checks).
   */
  static sharing(base: RibTable, at: Int32Array, own: readonly RibRoute[], copier: RouteCopier): RibTable {
    return RibTable.sharingPieces({ base, own, ordered: true, copier, src: [at], from: new Int32Array(1), start: Int32Array.of(0, at.length) });
  }

  private static sharingPieces(layer: SharedLayer): RibTable {
    const t = new RibTable(layer.start[layer.start.length - 1], null, NO_SRC, NO_INTS, NO_INTS);
    t.shared = layer;
    return t;
  }

  /** The values of a shared layer (SharedLayer) as one array, in position order. */
  static positions(layer: SharedLayer): Int32Array {
    if (layer.src.length === 1 && layer.from[0] === 0 && layer.src[0].length === layer.start[1]) return layer.src[0];
    const out = new Int32Array(layer.start[layer.start.length - 1]);
    for (let k = 0; k < layer.src.length; k++) out.set(layer.src[k].subarray(layer.from[k], layer.from[k] + layer.start[k + 1] - layer.start[k]), layer.start[k]);
    return out;
  }

  /** The own routes of a table made of another's, in table order (its own list when a splice did not reorder it). */
  static ownInOrder(layer: SharedLayer): readonly RibRoute[] {
    if (layer.ordered) return layer.own;
    const out: RibRoute[] = [];
    let sorted = true;
    forEachValue(layer, (p) => {
      if (p >= 0) return;
      if (-1 - p !== out.length) sorted = false;
      out.push(layer.own[-1 - p]);
    });
    return sorted && out.length === layer.own.length ? layer.own : out;
  }

  /** Whether the table is one array of routes of its own (what a table made of it needs: RibTable.sharing). */
  isOneArray(): boolean {
    return this.flat !== null && this.layer === null && this.shared === null;
  }

  /** The layer of a table made of another's whose routes are not made yet, else null. */
  sharedLayer(): SharedLayer | null {
    return this.flat === null ? this.shared : null;
  }

  /**
   * A route with the prefix, type, distance, selection, origin and state of the route at `i`
   * (its component and next hops may be another table's: read them through hopsAt). Reads no
   * route a table made of another's has not made.
   */
  shapeAt(i: number): RibRoute {
    const flat = this.flat;
    if (flat !== null) return flat[i];
    const sh = this.shared;
    if (sh === null) return this.pieceAt(i);
    const p = this.valueAt(sh, i);
    return p >= 0 ? sh.base.at(p) : sh.own[-1 - p];
  }

  /** The value of position i of this table's shared layer `sh` (from the piece read last when it holds i). */
  private valueAt(sh: SharedLayer, i: number): number {
    if (sh.src.length === 1) return sh.src[0][sh.from[0] + i];
    let k = this.last;
    if (k >= sh.src.length || i < sh.start[k] || i >= sh.start[k + 1]) this.last = k = layerPiece(sh, i);
    return layerValue(sh, i, k);
  }

  /** Whether position i of a table made of another's (not made yet) holds one of the other table's routes. */
  sharedAt(i: number): boolean {
    const sh = this.sharedLayer();
    return sh !== null && this.valueAt(sh, i) >= 0;
  }

  /** The route at `i` without making the table's routes: a copy of it for a table made of another's (not the table's own object), else at(i). */
  routeAt(i: number): RibRoute {
    const sh = this.sharedLayer();
    if (sh === null) return this.at(i);
    const p = this.valueAt(sh, i);
    return p >= 0 ? sh.copier.apply(sh.base.at(p)) : sh.own[-1 - p];
  }

  /** The base table and remap of a remapped table (whether or not its routes were made yet), else null. */
  remapLayer(): { readonly base: RibTable; readonly remap: RouteRemap } | null {
    return this.layer;
  }

  /** The next hops of the route at `i`, read without making a remapped table's routes. */
  hopsAt(i: number): readonly RibNextHop[] {
    if (this.flat === null) {
      const layer = this.layer;
      // (Through the base's shape and hops: a base made of another's stays unmade.)
      if (layer !== null) return layer.remap.hopsOfKey(layer.base.hopsAt(i), layer.base.shapeAt(i).origin);
      const sh = this.shared;
      if (sh !== null) {
        const p = this.valueAt(sh, i);
        return p >= 0 ? sh.copier.hopsOf(sh.base.at(p)) : sh.own[-1 - p].nextHops;
      }
    }
    return this.at(i).nextHops;
  }

  /** Makes a remapped table's (or a table made of another's) routes (once). */
  private made(): void {
    if (this.flat !== null) return;
    const sh = this.shared;
    if (sh !== null) {
      const base = sh.base;
      const copier = sh.copier;
      const out = new Array<RibRoute>(this.length);
      forEachValue(sh, (p, i) => void (out[i] = p >= 0 ? copier.apply(base.at(p)) : sh.own[-1 - p]));
      this.flat = out;
      this.shared = null;
      this.last = 0;
      return;
    }
    const layer = this.layer;
    if (layer === null) return;
    const base = layer.base.toArray();
    const remap = layer.remap;
    const out = new Array<RibRoute>(base.length);
    for (let i = 0; i < base.length; i++) out[i] = remap.apply(base[i]);
    this.flat = out;
  }

  /** The route at position `i` (0 ≤ i < length). Small, so that the compiler inlines it: a table of one array is an array read. */
  at(i: number): RibRoute {
    const flat = this.flat;
    return flat !== null ? flat[i] : this.pieceAt(i);
  }

  /** at() for a table of several pieces (or a remapped one whose routes are not made yet). */
  private pieceAt(i: number): RibRoute {
    if (this.layer !== null || this.shared !== null) {
      this.made();
      return this.flat![i];
    }
    const start = this.start;
    let k = this.last;
    if (i < start[k] || i >= start[k + 1]) this.last = k = pieceHolding(start, this.src.length, i);
    return this.src[k][this.from[k] + i - start[k]];
  }

  /**
   * The first position from `from` on whose route is not `before` the sought one (`before` true
   * for a prefix of routes, false after: a binary search; `before` reads the route's shape only:
   * shapeAt), searched piece by piece: the piece
   * first (by its last route), then inside it, without a piece look-up per step.
   */
  lowerBound(from: number, before: (r: RibRoute) => boolean): number {
    if (this.flat === null && this.shared !== null) {
      // A table made of another's: searched over its routes' shapes (prefix order), none made.
      let lo = from;
      let hi = this.length;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (before(this.shapeAt(m))) lo = m + 1;
        else hi = m;
      }
      return lo;
    }
    this.made();
    const flat = this.flat;
    if (flat !== null) return lowerBoundIn(flat, from, this.length, before);
    const start = this.start;
    const src = this.src;
    const base = this.from;
    // The first piece ending after `from` whose last route is not before: pieces in order hold ascending routes.
    let lo = 0;
    let hi = src.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (start[m + 1] <= from || before(src[m][base[m] + start[m + 1] - start[m] - 1])) lo = m + 1;
      else hi = m;
    }
    if (lo === src.length) return this.length;
    const at = Math.max(from, start[lo]);
    const off = base[lo] - start[lo];
    return lowerBoundIn(src[lo], at + off, start[lo + 1] + off, before) - off;
  }

  /** The routes as one array (a table of several pieces is copied into one, once). */
  toArray(): readonly RibRoute[] {
    this.made();
    if (this.flat !== null) return this.flat;
    const out = new Array<RibRoute>(this.length);
    let o = 0;
    this.forEachPiece((src, from, to) => {
      for (let i = from; i < to; i++) out[o++] = src[i];
    });
    this.adopt(out);
    return out;
  }

  /** Calls `each(src, from, to, at)` for every piece in order: the routes src[from, to) are the table's from position `at` on. */
  forEachPiece(each: (src: readonly RibRoute[], from: number, to: number, at: number) => void): void {
    this.made();
    if (this.flat !== null) {
      if (this.length) each(this.flat, 0, this.length, 0);
      return;
    }
    for (let k = 0; k < this.src.length; k++) each(this.src[k], this.from[k], this.from[k] + this.start[k + 1] - this.start[k], this.start[k]);
  }

  /**
   * This table with each range [at[2k], at[2k + 1]) (ascending, disjoint) replaced by runs[k]
   * (arrays that must not change after), as a new table of `size` routes sharing this one's
   * pieces around the ranges.
   */
  spliced(at: readonly number[], runs: readonly (readonly RibRoute[])[], size: number): RibTable {
    if (size === 0) return RibTable.empty;
    const sh = this.sharedLayer();
    if (sh !== null) {
      // A table made of another's stays so, its replaced ranges' new routes its own.
      const out = this.splicedShared(sh, at, runs, size);
      if (out !== null) return out;
    }
    // A small table, or many runs (more pieces than a table keeps): copied into one array.
    if (size < ribTableLimits.small || runs.length > ribTableLimits.maxPieces / 2) return RibTable.of(copySpliced(this, at, runs, size));
    const pieces = new PieceList<readonly RibRoute[]>();
    // The routes [lo, hi) of this table, as pieces.
    const keep = (lo: number, hi: number) => {
      if (lo >= hi) return;
      this.forEachPiece((s, f, t, a) => {
        const b = a + t - f;
        if (b <= lo || a >= hi) return;
        const x = Math.max(a, lo);
        const y = Math.min(b, hi);
        pieces.push(s, f + x - a, y - x);
      });
    };
    let pos = 0;
    for (let k = 0; k < runs.length; k++) {
      keep(pos, at[2 * k]);
      pieces.push(runs[k], 0, runs[k].length);
      pos = at[2 * k + 1];
    }
    keep(pos, this.length);
    const { src, from, lengths } = pieces;
    if (src.length === 1 && from[0] === 0 && lengths[0] === src[0].length) return RibTable.of(src[0]);
    if (src.length > ribTableLimits.maxPieces) return RibTable.of(copySpliced(this, at, runs, size));
    return new RibTable(size, null, src, Int32Array.from(from), pieces.starts());
  }

  /**
   * spliced() for a table made of another's: its position pieces shared around the replaced
   * ranges, each run's routes appended to its own routes (which are then not in table order:
   * ownInOrder) and their positions a piece of their own; past maxPieces, the positions copied
   * into one piece. Null when a run's prefix is one of a shared route beside it (a range that is
   * not a whole prefix's routes): then made and spliced as pieces.
   */
  private splicedShared(sh: SharedLayer, at: readonly number[], runs: readonly (readonly RibRoute[])[], size: number): RibTable | null {
    const own = sh.own.slice();
    const pieces = new PieceList<Int32Array>();
    // The positions [lo, hi) of this table, as pieces.
    const keep = (lo: number, hi: number) => {
      if (lo >= hi) return;
      for (let k = layerPiece(sh, lo); k < sh.src.length && sh.start[k] < hi; k++) {
        const a = Math.max(sh.start[k], lo);
        const b = Math.min(sh.start[k + 1], hi);
        pieces.push(sh.src[k], sh.from[k] + a - sh.start[k], b - a);
      }
    };
    /** Whether the route at `position` of this table is a shared one of r's prefix. */
    const sharedOfPrefix = (position: number, r: RibRoute) => {
      if (position < 0 || position >= this.length) return false;
      const p = this.valueAt(sh, position);
      if (p < 0) return false;
      const q = sh.base.at(p).prefix;
      return q.addr === r.prefix.addr && q.len === r.prefix.len;
    };
    let p = 0;
    let n = 0;
    for (let k = 0; k < runs.length; k++) {
      const lo = at[2 * k];
      const hi = at[2 * k + 1];
      const run = runs[k];
      // Each run's neighbours: not a shared route of its prefix.
      if (run.length && (sharedOfPrefix(lo - 1, run[0]) || sharedOfPrefix(hi, run[run.length - 1]))) return null;
      keep(p, lo);
      n += lo - p;
      if (run.length) {
        const values = new Int32Array(run.length);
        for (let j = 0; j < run.length; j++) {
          values[j] = -1 - own.length;
          own.push(run[j]);
        }
        pieces.push(values, 0, run.length);
        n += run.length;
      }
      p = hi;
    }
    keep(p, this.length);
    n += this.length - p;
    if (n !== size) return null;
    const layer: SharedLayer = { base: sh.base, own, ordered: false, copier: sh.copier, src: pieces.src, from: Int32Array.from(pieces.from), start: pieces.starts() };
    // Past maxPieces: the positions as one piece.
    if (pieces.src.length > ribTableLimits.maxPieces) return RibTable.sharingPieces({ ...layer, src: [RibTable.positions(layer)], from: new Int32Array(1), start: Int32Array.of(0, size) });
    return RibTable.sharingPieces(layer);
  }

  /** The routes [from, to) as an array (of a table made of another's not made yet: copies of its shared routes, see routeAt). */
  slice(from = 0, to = this.length): RibRoute[] {
    if (this.sharedLayer() !== null) {
      const out: RibRoute[] = [];
      for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.routeAt(i));
      return out;
    }
    this.made();
    if (this.flat !== null) return this.flat.slice(from, to);
    const out: RibRoute[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.at(i));
    return out;
  }

  [Symbol.iterator](): Iterator<RibRoute> {
    return this.toArray()[Symbol.iterator]();
  }

  // What readers outside the engine's hot paths (queries, tests) use, as on an array.
  find(test: (r: RibRoute, i: number) => boolean): RibRoute | undefined {
    return this.toArray().find(test);
  }

  findIndex(test: (r: RibRoute, i: number) => boolean): number {
    return this.toArray().findIndex(test);
  }

  filter(test: (r: RibRoute, i: number) => boolean): RibRoute[] {
    return this.toArray().filter(test);
  }

  some(test: (r: RibRoute, i: number) => boolean): boolean {
    return this.toArray().some(test);
  }

  every(test: (r: RibRoute, i: number) => boolean): boolean {
    return this.toArray().every(test);
  }

  forEach(each: (r: RibRoute, i: number) => void): void {
    this.toArray().forEach((r, i) => each(r, i));
  }

  map<T>(each: (r: RibRoute, i: number) => T): T[] {
    return this.toArray().map((r, i) => each(r, i));
  }

  /** Takes `routes` (this table's routes, in one array) as its only piece. */
  private adopt(routes: readonly RibRoute[]): void {
    this.flat = routes;
    this.src = NO_SRC;
    this.from = NO_INTS;
    this.start = NO_INTS;
    this.last = 0;
  }
}


/** Pieces being listed: (array, first index, length) each; a piece continuing the last one (the same array, right after it) extends it. */
class PieceList<A> {
  readonly src: A[] = [];
  readonly from: number[] = [];
  readonly lengths: number[] = [];

  push(a: A, from: number, n: number): void {
    if (n === 0) return;
    const k = this.src.length - 1;
    if (k >= 0 && this.src[k] === a && this.from[k] + this.lengths[k] === from) this.lengths[k] += n;
    else {
      this.src.push(a);
      this.from.push(from);
      this.lengths.push(n);
    }
  }

  /** Each piece's first position in the table (and the table's length after the last). */
  starts(): Int32Array {
    const start = new Int32Array(this.src.length + 1);
    for (let k = 0; k < this.src.length; k++) start[k + 1] = start[k] + this.lengths[k];
    return start;
  }
}

/** `table` with the ranges replaced by the runs, copied into one array of `size` routes. */
function copySpliced(table: RibTable, at: readonly number[], runs: readonly (readonly RibRoute[])[], size: number): RibRoute[] {
  const out = new Array<RibRoute>(size);
  let o = 0;
  let pos = 0;
  const copy = (lo: number, hi: number) => {
    if (lo >= hi) return;
    table.forEachPiece((s, f, t, a) => {
      const b = a + t - f;
      if (b <= lo || a >= hi) return;
      for (let i = f + Math.max(a, lo) - a, end = f + Math.min(b, hi) - a; i < end; i++) out[o++] = s[i];
    });
  };
  for (let k = 0; k < runs.length; k++) {
    copy(pos, at[2 * k]);
    const run = runs[k];
    for (let i = 0; i < run.length; i++) out[o++] = run[i];
    pos = at[2 * k + 1];
  }
  copy(pos, table.length);
  return out;
}

/** The first index of `a` in [lo, hi) whose route is not `before` (a binary search; hi when none). */
function lowerBoundIn(a: readonly RibRoute[], lo: number, hi: number, before: (r: RibRoute) => boolean): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (before(a[m])) lo = m + 1;
    else hi = m;
  }
  return lo;
}
