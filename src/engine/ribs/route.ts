// The RIB's data: route types and administrative distances, the route and next-hop shapes, and
// the routing state of a twin (one RIB table per component: table.ts). Every route is an instance
// of one class (one hidden class: passes over millions of routes stay monomorphic); routes are
// immutable once their table is final, so tables that did not change are shared between a twin
// and the twin an edit derives from, and a table patched at a few prefixes shares the pieces of
// the one it came from (spliceRuns); the table comparisons of an update (alignTables, sameRib).
import { comparePrefix, samePrefix, type Prefix } from '../../topology/ip.js';
import { RibTable, type RouteRemap } from './table.js';

export { RibTable };

export type RouteType = 'connected' | 'static' | 'auto' | 't1c' | 't1s' | 't1n' | 't1l' | 't1ls' | 't1d' | 't1ipsec' | 'bgp' | 'isr';

export const DISTANCE = { connected: 0, auto: 0, static: 1, tier1: 3, ebgp: 20, ibgp: 200 } as const;

export interface RibNextHop {
  /** Next-hop address; null for a connected route (the destination itself is the next hop). */
  readonly ip: number | null;
  /** Egress interface id once resolved, else null. */
  readonly interface: number | null;
  readonly blackhole: boolean;
  /** For a recursive static: the connected next hops it resolved through. */
  readonly via?: readonly { readonly ip: number; readonly interface: number }[];
}

export interface RibRoute {
  /** Index in `routing.routes` of the twin that last listed its routes (tables are shared between twins). */
  readonly id: number;
  readonly component: number;
  readonly prefix: Prefix;
  readonly type: RouteType;
  readonly distance: number;
  nextHops: readonly RibNextHop[];
  /** In the FIB (best distance for its prefix and usable). */
  selected: boolean;
  /** What created it: a segment, a static route entry, a Tier-1's advertisement... */
  readonly origin: string;
  /** Why the route cannot be used (unresolvable next hop), when it cannot. */
  inactive?: string;
}

export interface RoutingState {
  /** RIB per component id, sorted by prefix then distance then type. */
  readonly ribs: readonly RibTable[];
  /** Every route, component by component (listed when first read; `id` is the index here). */
  readonly routes: readonly RibRoute[];
}

/** A routing state over final tables; the flat route list is built when first asked. */
export class Ribs implements RoutingState {
  private flat: RibRoute[] | null = null;
  constructor(readonly ribs: readonly RibTable[]) {}

  get routes(): readonly RibRoute[] {
    if (this.flat === null) {
      let total = 0;
      for (const rib of this.ribs) total += rib.length;
      const out = new Array<RibRoute>(total);
      let id = 0;
      for (const rib of this.ribs) {
        rib.forEachPiece((src, from, to) => {
          for (let i = from; i < to; i++) {
            const r = src[i];
            (r as { id: number }).id = id;
            out[id++] = r;
          }
        });
      }
      this.flat = out;
    }
    return this.flat;
  }
}

/** Route types by their TYPE_ORDER (a route holds its type as that number). */
const TYPE_BY_ORDER: readonly RouteType[] = ['connected', 'auto', 'static', 't1c', 't1s', 't1n', 't1l', 't1ls', 't1d', 't1ipsec', 'bgp', 'isr'];
const SELECTED = 16;
const INACTIVE = 32;
const DISTANCE_SHIFT = 6;

/** Why a route cannot be used, for the few that cannot (their INACTIVE bit set). */
const inactiveReasons = new WeakMap<Route, string>();

/**
 * Every RIB route is one of these: one constructor, every field set in the same order, so all
 * routes share one hidden class. Routes are never copied by spreading; what several routes hold
 * in common (prefix, origin text, next-hop list) is shared, not duplicated. Type, distance,
 * selection and whether it is inactive are one small integer (`bits`: the type's TYPE_ORDER, the
 * selected and inactive flags, the distance above them), read through accessors; the reason of
 * an inactive route is kept aside. Millions of routes: six fields, 72 bytes each.
 */
export class Route implements RibRoute {
  id: number;
  readonly component: number;
  readonly prefix: Prefix;
  nextHops: readonly RibNextHop[];
  readonly origin: string;
  private bits: number;
  constructor(component: number, prefix: Prefix, type: RouteType, distance: number, nextHops: readonly RibNextHop[], origin: string, inactive?: string) {
    this.id = -1;
    this.component = component;
    this.prefix = prefix;
    this.nextHops = nextHops;
    this.origin = origin;
    this.bits = TYPE_ORDER[type] | (distance << DISTANCE_SHIFT);
    if (inactive !== undefined) this.inactive = inactive;
  }

  get type(): RouteType {
    return TYPE_BY_ORDER[this.bits & 15];
  }

  get distance(): number {
    return this.bits >>> DISTANCE_SHIFT;
  }

  get selected(): boolean {
    return (this.bits & SELECTED) !== 0;
  }

  set selected(on: boolean) {
    this.bits = on ? this.bits | SELECTED : this.bits & ~SELECTED;
  }

  get inactive(): string | undefined {
    return (this.bits & INACTIVE) === 0 ? undefined : inactiveReasons.get(this);
  }

  set inactive(why: string | undefined) {
    if (why === undefined) {
      this.bits &= ~INACTIVE;
      inactiveReasons.delete(this);
    } else {
      this.bits |= INACTIVE;
      inactiveReasons.set(this, why);
    }
  }
}

/**
 * What a remapped table (RibTable.remapped) does to its base's routes: a route holding one of a
 * few (next-hop list, origin) pairs — compared by identity: the routes of one BGP decision share
 * their list and origin — takes the pair it maps to, keeping its prefix, type, distance and
 * selection. A handful of pairs at most (a ToR's routes after an edge failed: one per decision),
 * searched from the pair found last.
 */
export class HopRemap implements RouteRemap {
  private readonly fromHops: (readonly RibNextHop[])[] = [];
  private readonly fromOrigin: string[] = [];
  private readonly toHops: (readonly RibNextHop[])[] = [];
  private readonly toOrigin: string[] = [];
  private last = 0;

  get size(): number {
    return this.fromHops.length;
  }

  /** Routes holding (hops, origin) take (toHops, toOrigin). */
  add(hops: readonly RibNextHop[], origin: string, toHops: readonly RibNextHop[], toOrigin: string): void {
    this.fromHops.push(hops);
    this.fromOrigin.push(origin);
    this.toHops.push(toHops);
    this.toOrigin.push(toOrigin);
  }

  /** The pair `r` holds, or -1 when it is not remapped. */
  indexOf(hops: readonly RibNextHop[], origin: string): number {
    const n = this.fromHops.length;
    for (let k = 0, i = this.last; k < n; k++, i = i + 1 === n ? 0 : i + 1) {
      if (this.fromHops[i] === hops && this.fromOrigin[i] === origin) return (this.last = i);
    }
    return -1;
  }

  /** The pair `k` maps to. */
  hopsTo(k: number): readonly RibNextHop[] {
    return this.toHops[k];
  }

  originTo(k: number): string {
    return this.toOrigin[k];
  }

  hopsOf(r: RibRoute): readonly RibNextHop[] {
    return this.hopsOfKey(r.nextHops, r.origin);
  }

  /** The next hops a route holding (hops, origin) holds once remapped. */
  hopsOfKey(hops: readonly RibNextHop[], origin: string): readonly RibNextHop[] {
    const k = this.indexOf(hops, origin);
    return k < 0 ? hops : this.toHops[k];
  }

  apply(r: RibRoute): RibRoute {
    const k = this.indexOf(r.nextHops, r.origin);
    if (k < 0) return r;
    const copy = new Route(r.component, r.prefix, r.type, r.distance, this.toHops[k], this.toOrigin[k]);
    copy.selected = r.selected;
    return copy;
  }
}

/** A copy of a route of a final table with another selection (the original stays as it was). */
export function withSelection(r: RibRoute, selected: boolean): Route {
  const copy = new Route(r.component, r.prefix, r.type, r.distance, r.nextHops, r.origin, r.inactive);
  copy.selected = selected;
  return copy;
}

/** A next hop, always of the same shape (`via` present, undefined unless recursive). */
export function nextHop(ip: number | null, iface: number | null, via?: RibNextHop['via'], blackhole = false): RibNextHop {
  return { ip, interface: iface, blackhole, via };
}

/** The null next hop (immutable, shared by every blackhole route). */
export const BLACKHOLE: RibNextHop = Object.freeze(nextHop(null, null, undefined, true));

/** A next hop from elsewhere (BGP) in the one shape. */
export function normalizedHop(h: RibNextHop): RibNextHop {
  return h.blackhole ? BLACKHOLE : nextHop(h.ip, h.interface, h.via);
}

export const TYPE_ORDER: Record<RouteType, number> = { connected: 0, auto: 1, static: 2, t1c: 3, t1s: 4, t1n: 5, t1l: 6, t1ls: 7, t1d: 8, t1ipsec: 9, bgp: 10, isr: 11 };

/** Same route content (prefix, type, distance, next hops, origin, selection, reason). */
export function sameRoute(a: RibRoute, b: RibRoute): boolean {
  if (a === b) return true;
  if (a.prefix.addr !== b.prefix.addr || a.prefix.len !== b.prefix.len || a.type !== b.type || a.distance !== b.distance) return false;
  if (a.selected !== b.selected || a.origin !== b.origin || a.inactive !== b.inactive) return false;
  return sameHops(a.nextHops, b.nextHops);
}

/** The same next hops, in order (address, interface, blackhole, recursive resolution). */
export function sameHops(x: readonly RibNextHop[], y: readonly RibNextHop[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === b) continue;
    if (a.ip !== b.ip || a.interface !== b.interface || a.blackhole !== b.blackhole) return false;
    const va = a.via;
    const vb = b.via;
    if (va === vb) continue;
    if (!va || !vb || va.length !== vb.length) return false;
    for (let k = 0; k < va.length; k++) if (va[k].ip !== vb[k].ip || va[k].interface !== vb[k].interface) return false;
  }
  return true;
}

/** Same table, route by route (the early cut-off of an update: an equal table is kept as it was). */
export function sameRib(a: RibTable, b: RibTable): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // One the other remapped: some of its routes hold other next hops (a remap holds only pairs
  // that differ from what its base's routes hold), without making its routes to see it.
  if (b.remapLayer()?.base === a || a.remapLayer()?.base === b) return false;
  // `b` spliced from `a`: the same table when each replaced prefix has the same routes again.
  const d = derivedFrom.get(b);
  if (d !== undefined && d.from === a) {
    for (let k = 0, shift = 0; k < d.runs.length; k++) {
      const lo = d.at[2 * k];
      const hi = d.at[2 * k + 1];
      if (!sameRun(a, lo, hi, b, lo + shift, lo + shift + d.runs[k].length, sameRoute)) return false;
      shift += d.runs[k].length - (hi - lo);
    }
    return true;
  }
  const x = a.toArray();
  const y = b.toArray();
  for (let i = 0; i < x.length; i++) if (!sameRoute(x[i], y[i])) return false;
  return true;
}

/** The first index of `rib` (sorted by prefix) from `from` on whose prefix is not before `p` (a binary search). */
export function firstAtOrAfter(rib: RibTable, p: Prefix, from = 0): number {
  return rib.lowerBound(from, (r) => comparePrefix(r.prefix, p) < 0);
}

/**
 * `table` with each range [at[2k], at[2k + 1]) (ascending, disjoint) replaced by runs[k], as a
 * table of `size` routes sharing `table`'s pieces around the ranges (RibTable.spliced). With
 * `prefixRuns` (each range one prefix's routes and its run that prefix's new routes), alignTables
 * and sameRib read the ranges from it instead of comparing the tables.
 */
export function spliceRuns(table: RibTable, at: readonly number[], runs: readonly (readonly RibRoute[])[], size: number, prefixRuns = true): RibTable {
  const out = table.spliced(at, runs, size);
  if (prefixRuns) derivedFrom.set(out, { from: table, at, runs });
  return out;
}

/**
 * Notes that `out` is `from` with each range [at[2k], at[2k + 1]) of one prefix's routes (ascending,
 * disjoint) holding runs[k] instead — that prefix's routes in `out` — and every other route the
 * very same object (a table installed over its table before BGP: ribs/install installed), as
 * spliceRuns notes the tables it makes.
 */
export function noteSplice(out: RibTable, from: RibTable, at: readonly number[], runs: readonly (readonly RibRoute[])[]): void {
  derivedFrom.set(out, { from, at, runs });
}

/**
 * Tables made by spliceRuns from another (or noted by noteSplice), each replaced range one
 * prefix's routes and its run the new routes of that prefix: alignTables reads where they differ
 * from this instead of comparing, either way round.
 */
interface Splice {
  readonly from: RibTable;
  readonly at: readonly number[];
  readonly runs: readonly (readonly RibRoute[])[];
}

const derivedFrom = new WeakMap<RibTable, Splice>();

/**
 * The end of prefix `p`'s routes in `rib` (sorted by prefix) starting at `lo` (firstAtOrAfter's
 * answer). Routes of one prefix often share the prefix object: compared by identity first.
 */
export function runEnd(rib: RibTable, p: Prefix, lo: number): number {
  let hi = lo;
  while (hi < rib.length) {
    const q = rib.shapeAt(hi).prefix;
    if (q !== p && !samePrefix(q, p)) break;
    hi++;
  }
  return hi;
}

/** Whether the runs a[i, i2) hold the same routes pairwise by `same`. */
export function sameRun(a: RibTable, i: number, i2: number, b: RibTable, j: number, j2: number, same: (x: RibRoute, y: RibRoute) => boolean): boolean {
  if (i2 - i !== j2 - j) return false;
  // (routeAt: a table made of another's is not made for a few runs.)
  for (let k = 0; k < i2 - i; k++) if (!same(a.routeAt(i + k), b.routeAt(j + k))) return false;
  return true;
}

/** Calls `each` for every prefix whose routes differ between two tables sorted by prefix. */
export function differingPrefixes(a: RibTable, b: RibTable, each: (p: Prefix) => void): void {
  alignTables(a, b, null, (i, i2, j, j2) => {
    if (!sameRun(a, i, i2, b, j, j2, sameRoute)) each(i2 > i ? a.shapeAt(i).prefix : b.shapeAt(j).prefix);
  });
}


/**
 * alignTables over a table and the one a splice made of it (`d`: its ranges of the base replaced
 * by runs): in the base's order when the base is `a` (`reversed` false: `a` of `n` routes is the
 * base), else with `a` the spliced one. Each replaced range whose run is not the very same routes
 * is a differing prefix; the stretches between are the same.
 */
function alignSplice(d: Splice, n: number, reversed: boolean, same: ((i: number, i2: number, shift: number) => void) | null, differ: (i: number, i2: number, j: number, j2: number) => boolean | void): void {
  let si = 0;
  let shift = 0;
  for (let k = 0; k < d.runs.length; k++) {
    const lo = d.at[2 * k];
    const hi = d.at[2 * k + 1];
    const run = d.runs[k];
    if (run.length === hi - lo && sameRefs(d.from, lo, run)) continue; // the same routes again
    // The range in the base, and where its run stands in the spliced table.
    const at = lo + shift;
    const [i, i2, j, j2] = reversed ? [at, at + run.length, lo, hi] : [lo, hi, at, at + run.length];
    if (same !== null && i > si) same(si, i, j - i);
    if (differ(i, i2, j, j2) === false) return;
    si = i2;
    shift += run.length - (hi - lo);
  }
  if (same !== null && n > si) same(si, n, reversed ? -shift : shift);
}

/**
 * Aligns two tables sorted by prefix, one made from the other (an update keeps the route objects
 * of what it did not change): `same(i, i2, shift)` for each stretch of the very same route
 * objects a[i, i2) = b[i + shift, i2 + shift), cut at prefix boundaries; `differ(i, i2, j, j2)`
 * for each prefix whose runs a[i, i2) and b[j, j2) are not the same objects (one may be empty);
 * `differ` returning false stops the alignment there (its caller has seen enough).
 * Comparing references reads no route: two 150k-route tables that differ in a few prefixes cost
 * a pass over two arrays of pointers, and routes are read only around the differences.
 */
export function alignTables(ta: RibTable, tb: RibTable, same: ((i: number, i2: number, shift: number) => void) | null, differ: (i: number, i2: number, j: number, j2: number) => boolean | void): void {
  const n = ta.length;
  const m = tb.length;
  // `b` spliced from `a` (an update's patched table): the replaced prefixes are where they differ;
  // `a` spliced from `b` (a table installed over its table before BGP, back to that table): the
  // same, read the other way.
  const d = derivedFrom.get(tb);
  if (d !== undefined && d.from === ta) return alignSplice(d, n, false, same, differ);
  const r = derivedFrom.get(ta);
  if (r !== undefined && r.from === tb) return alignSplice(r, n, true, same, differ);
  // A table made of another's (not made yet): compared through shapes and next-hop lists (a
  // shared route's shape is its base's route, its list the table's own for it; an own route is
  // both), without making its routes (a ToR's table made of another ToR's, back to its table
  // before BGP when it failed).
  if (ta.sharedLayer() !== null || tb.sharedLayer() !== null) {
    alignBy(n, m, (i) => ta.shapeAt(i).prefix, (j) => tb.shapeAt(j).prefix, (i, j) => ta.shapeAt(i) === tb.shapeAt(j) && ta.hopsAt(i) === tb.hopsAt(j), same, differ);
    return;
  }
  // Otherwise compared as arrays (a table of pieces copied into one: this reads all of it anyway).
  const a = ta.toArray();
  const b = tb.toArray();
  alignBy(n, m, (i) => a[i].prefix, (j) => b[j].prefix, (i, j) => a[i] === b[j], same, differ);
}

/**
 * alignTables over positions: `prefixA`/`prefixB` a position's prefix in either table, `eq`
 * whether two positions hold the same route.
 */
function alignBy(
  n: number,
  m: number,
  prefixA: (i: number) => Prefix,
  prefixB: (j: number) => Prefix,
  eq: (i: number, j: number) => boolean,
  same: ((i: number, i2: number, shift: number) => void) | null,
  differ: (i: number, i2: number, j: number, j2: number) => boolean | void,
): void {
  let i = 0;
  let j = 0;
  for (;;) {
    // A stretch of the same routes, ended at the start of the prefixes where the tables differ.
    const si = i;
    const shift = j - i;
    while (i < n && j < m && eq(i, j)) {
      i++;
      j++;
    }
    while (i > si && ((i < n && samePrefix(prefixA(i - 1), prefixA(i))) || (j < m && samePrefix(prefixB(j - 1), prefixB(j))))) {
      i--;
      j--;
    }
    if (same !== null && i > si) same(si, i, shift);
    if (i === n && j === m) return;
    // Prefix by prefix where they differ, until a prefix whose routes are the same again.
    while (i < n || j < m) {
      const order = i === n ? 1 : j === m ? -1 : comparePrefix(prefixA(i), prefixB(j));
      const p = order <= 0 ? prefixA(i) : prefixB(j);
      let i2 = i;
      if (order <= 0) while (i2 < n && samePrefix(prefixA(i2), p)) i2++;
      let j2 = j;
      if (order >= 0) while (j2 < m && samePrefix(prefixB(j2), p)) j2++;
      let sameRun = i2 - i === j2 - j;
      for (let k = 0; sameRun && k < i2 - i; k++) sameRun = eq(i + k, j + k);
      if (sameRun) break;
      if (differ(i, i2, j, j2) === false) return;
      i = i2;
      j = j2;
    }
    if (i === n && j === m) return;
  }
}

/** Whether a[i, i + run.length) are the very same route objects as `run`'s. */
function sameRefs(a: RibTable, i: number, run: readonly RibRoute[]): boolean {
  // (Through shapeAt: a table made of another's is not made for this; its shared routes, whose
  // shapes are the other table's objects, then never count as the same.)
  for (let k = 0; k < run.length; k++) if (a.shapeAt(i + k) !== run[k]) return false;
  return true;
}

