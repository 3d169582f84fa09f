// Installs routes computed elsewhere (BGP) into the tables: next hops that are not directly
// connected resolve recursively, then each receiving table is sorted and re-selected. The tables
// given are never changed: a receiving table is a new array, and a route whose selection changes
// is copied (withSelection), so the tables before BGP stay valid (BGP originates from them, an
// update compares against them). A table can be taken from a previous installation instead when
// the caller knows its inputs are the same (`reuse`). After an update, a previous installed table
// is patched at a few prefixes (patchInstalled), or per speaker from what BGP changed
// (installChanged: kept, patched, remapped — its BGP routes given their new decisions' next hops
// in a table made when first read (remappedTable, tableKeys) — or installed whole).
import { comparePrefix, samePrefix, sortedPrefixes, type Prefix } from '../../topology/ip.js';
import { resolveNextHops } from './next-hops.js';
import { HopRemap, RibTable, Ribs, Route, firstAtOrAfter, noteSplice, runEnd, sameHops, spliceRuns, normalizedHop, withSelection, type RibNextHop, type RibRoute, type RoutingState, type RouteType } from './route.js';
import { HopCopier, resolvedAlone, sharedPositions, tableLists, type TableLists } from './shared-tables.js';
import type { SharedLayer } from './table.js';
import { compareRoutes, forEachSelection, forEachTouchedSelection, mergeRuns, sortRoutes } from './select.js';

const INSTALLED_TYPES: readonly RouteType[] = ['bgp', 'isr'];

export function installRoutes(routing: RoutingState, extra: readonly Omit<RibRoute, 'id' | 'selected'>[], alike: readonly AlikeSpeaker[] = []): RoutingState {
  if (!extra.length && !alike.length) return routing;
  const ribs = routing.ribs.slice();
  const added = new Map<number, Route[]>();
  for (let k = 0; k < extra.length; k++) {
    const r = extra[k];
    let list = added.get(r.component);
    if (!list) added.set(r.component, (list = []));
    list.push(adopt(r));
  }
  for (const [c, routes] of added) ribs[c] = installed(routing.ribs[c], routes);
  // A speaker alike to one installed above: its table made of that one's, else installed whole.
  for (const s of alike) ribs[s.component] = alikeTable(ribs[s.like], routing.ribs[s.component], s) ?? installed(routing.ribs[s.component], s.whole().map(adopt));
  return new Ribs(ribs);
}

/**
 * The installed table of an alike speaker `s` (AlikeSpeaker) made of its like's installed table
 * `likeTable` (RibTable.sharing): the like's BGP routes by position, each with this speaker's
 * next hops (resolved once per list; a HopCopier maps each of like's resolved lists to one of
 * this speaker's), beside this speaker's table before BGP (`baseTable`: its own routes). Null
 * when that is not what installing its routes whole gives: like's table not one array, or one of
 * its BGP routes not alone for its prefix, inactive, of another prefix than this speaker's; one
 * of this speaker's lists not resolved directly by its connected routes; one list of like's going
 * with two different lists here; an own route for one of the shared prefixes (sharedPositions).
 */
function alikeTable(likeTable: RibTable, baseTable: RibTable, s: AlikeSpeaker): RibTable | null {
  if (!likeTable.isOneArray() || baseTable.sharedLayer() !== null || baseTable.remapLayer() !== null) return null;
  const like = likeRoutes(likeTable);
  const count = s.listAt.length;
  if (like === null || like.positions.length !== count) return null;
  const routes = likeTable.toArray();
  const connected = connectedRoutes(baseTable);
  const resolved = new Array<readonly RibNextHop[] | null | undefined>(s.lists.length).fill(undefined);
  // Per list id of like: this speaker's list index its routes hold (-1: none met yet).
  const paired = new Int32Array(like.lists.length).fill(-1);
  const hops = new Map<readonly RibNextHop[], readonly RibNextHop[]>();
  for (let k = 0; k < count; k++) {
    const p = like.prefixes[k];
    const q = s.prefixAt(k);
    if (p !== q && !samePrefix(p, q)) return null;
    const id = like.listId[k];
    const li = s.listAt[k];
    const was = paired[id];
    if (was === li) continue;
    let to = resolved[li];
    if (to === undefined) resolved[li] = to = resolvedDirectly(s.lists[li], routes[like.positions[k]], connected);
    if (to === null) return null;
    if (was === -1) {
      paired[id] = li;
      hops.set(like.lists[id], to);
    } else if (!sameHops(resolved[was]!, to)) return null;
  }
  const own = baseTable.toArray();
  const positions = sharedPositions(likeTable, like.positions, own);
  if (positions === null) return null;
  const out = RibTable.sharing(likeTable, positions, own, new HopCopier(s.component, hops));
  connectedOf.set(out, connected);
  return out;
}

/**
 * The BGP routes of a table others are made of (alikeTable), read once for all of them (the seven
 * ToRs made of the first one's): their positions, prefixes and next-hop list ids (the table's
 * tableLists ids). Null when one is not alone for its prefix, inactive or not selected (no table
 * can be made of it).
 */
interface LikeRoutes {
  readonly positions: Int32Array;
  readonly prefixes: readonly Prefix[];
  readonly listId: Int32Array;
  readonly lists: readonly (readonly RibNextHop[])[];
}

const likeRoutesOf = new WeakMap<RibTable, LikeRoutes | null>();

function likeRoutes(table: RibTable): LikeRoutes | null {
  let known = likeRoutesOf.get(table);
  if (known !== undefined) return known;
  known = readLikeRoutes(table.toArray(), tableLists(table));
  likeRoutesOf.set(table, known);
  return known;
}

function readLikeRoutes(routes: readonly RibRoute[], { alone, listId, lists }: TableLists): LikeRoutes | null {
  const positions: number[] = [];
  const prefixes: Prefix[] = [];
  const ids: number[] = [];
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i];
    const type = r.type;
    if (type !== 'bgp' && type !== 'isr') continue;
    if (r.inactive !== undefined || !r.selected || alone[i] === 0) return null;
    positions.push(i);
    prefixes.push(r.prefix);
    ids.push(listId[i]);
  }
  return { positions: Int32Array.from(positions), prefixes, listId: Int32Array.from(ids), lists };
}

/**
 * The next hops `given` resolved as a route of `shape`'s type and distance resolves them in a
 * table whose directly connected routes are `connected`, when every one resolves directly; null
 * otherwise (a recursive or missing one would read the rest of the table).
 */
function resolvedDirectly(given: readonly RibNextHop[], shape: Omit<RouteShape, 'nextHops'>, connected: readonly RibRoute[]): readonly RibNextHop[] | null {
  const r = new Route(shape.component, ANY_PREFIX, shape.type, shape.distance, given, shape.origin);
  resolveNextHops(connected.concat(r), [], INSTALLED_TYPES, [r], connected);
  return resolvedAlone([r], Int32Array.of(given.length)) ? r.nextHops : null;
}

/**
 * A speaker whose BGP routes are those of an earlier speaker (`like`) but for their next hops:
 * the same prefixes, each with the same type, distance and origin (the ToRs of a fabric, each
 * learning every prefix from the same edges over its own link). Its installed table can be made
 * of `like`'s (alikeTable) instead of a route per prefix.
 */
export interface AlikeSpeaker {
  readonly component: number;
  readonly like: number;
  /** The distinct next-hop lists (as BGP gives them, unresolved) of this speaker's routes. */
  readonly lists: readonly (readonly RibNextHop[])[];
  /** Per BGP route, in table order (like's k-th is this one's k-th): the index of its list in `lists`. */
  readonly listAt: Int32Array;
  /** The prefix of the k-th BGP route. */
  prefixAt(k: number): Prefix;
  /** The speaker's BGP routes as BGP makes them (bgp/control-plane bgpRibInstallation) (when its table cannot be made of like's). */
  whole(): readonly Omit<RibRoute, 'id' | 'selected'>[];
}

/** A table before BGP with the routes `routes` (adopted: Routes of resolved types) installed. */
function installed(baseTable: RibTable, routes: readonly Route[]): RibTable {
  const layer = baseTable.sharedLayer();
  if (layer !== null) {
    // An SR's table made of its DR's: the routes installed in its own routes alone, the table
    // still made of the DR's (shared-tables.ts), when that is exact; else in the whole table.
    const out = installedShared(baseTable, layer, routes);
    if (out !== null) return out;
  }
  const base = baseTable.toArray();
  // The table is sorted and BGP routes come in prefix order: merged, else sorted.
  let rib: RibRoute[];
  let own: Uint8Array;
  if (isSorted(routes)) {
    ({ rib, own } = mergeRuns(base, routes));
    // Resolved in the merged table, which lists the routes of each prefix and distance as the
    // table followed by the new routes would (the BGP types order after every type a table
    // holds before BGP): what resolution reads of table order is the same. Only the new routes
    // are walked, through the table's connected routes listed once.
    resolveNextHops(rib, [], INSTALLED_TYPES, routes, connectedRoutes(baseTable));
    // The table before BGP is selected: only the prefixes that took a new route are selected again.
    selectTouched(rib, own);
    if (routes.length <= Math.max(NOTED_RUNS_MIN, base.length >> 4)) {
      const out = RibTable.of(rib);
      noteInstalledRuns(out, baseTable, rib, own);
      return out;
    }
  } else {
    rib = base.concat(routes);
    resolveNextHops(rib, [], INSTALLED_TYPES);
    sortRoutes(rib);
    const added = new Set<RibRoute>(routes);
    own = Uint8Array.from(rib, (r) => (added.has(r) ? 1 : 0));
    selectCopying(rib, own);
  }
  return RibTable.of(rib);
}

/**
 * installed() for a table made of another's (an SR's of its DR's): `routes` installed in the
 * table's own routes alone (copies of them: the originals stay as given for the whole table's
 * installation when this one is refused), then each of their prefixes' runs spliced into the
 * table (spliceRuns: a few pieces, noted for the FIB), which stays made of the same shared
 * routes; null when that is not what installing them in the whole table gives (a route for a
 * shared prefix, a next hop that did not resolve directly through the own routes' connected ones).
 */
function installedShared(baseTable: RibTable, layer: SharedLayer, routes: readonly Route[]): RibTable | null {
  if (!isSorted(routes)) return null;
  const copies = routes.map((r) => new Route(r.component, r.prefix, r.type, r.distance, r.nextHops, r.origin, r.inactive));
  const given = Int32Array.from(copies, (r) => r.nextHops.length);
  const own = installed(RibTable.of(RibTable.ownInOrder(layer)), copies);
  if (!resolvedAlone(copies, given)) return null;
  const at: number[] = [];
  const runs: RibRoute[][] = [];
  let size = baseTable.length;
  let from = 0;
  let fromOwn = 0;
  for (let k = 0; k < copies.length; k++) {
    const p = copies[k].prefix;
    if (k > 0 && samePrefix(p, copies[k - 1].prefix)) continue;
    // The prefix's routes in the table: its own alone (a shared route of it would be selected with them).
    const lo = firstAtOrAfter(baseTable, p, from);
    from = runEnd(baseTable, p, lo);
    for (let i = lo; i < from; i++) if (baseTable.sharedAt(i)) return null;
    // Its routes once the BGP routes are installed among the own ones.
    const j = firstAtOrAfter(own, p, fromOwn);
    fromOwn = runEnd(own, p, j);
    at.push(lo, from);
    runs.push(own.slice(j, fromOwn));
    size += fromOwn - j - (from - lo);
  }
  const out = spliceRuns(baseTable, at, runs, size);
  return out.sharedLayer() !== null ? out : null;
}

/** A table installed with at most this many BGP routes (or a sixteenth of its table before BGP) notes where it differs from that table. */
const NOTED_RUNS_MIN = 4096;

/**
 * Notes `out` (the merged table `rib`, `own` flagging its BGP routes) as its table before BGP with
 * the runs of the prefixes that took a BGP route replaced (noteSplice), so that the FIB finds
 * where the two differ without comparing them (a Tier-0 SR whose BGP routes went away with its
 * edge, and back). Every other prefix's routes are the table's very objects (selectTouched).
 */
function noteInstalledRuns(out: RibTable, baseTable: RibTable, rib: readonly RibRoute[], own: Uint8Array): void {
  const at: number[] = [];
  const runs: RibRoute[][] = [];
  // BGP routes before position k of `rib`: its base position is k less those.
  let owned = 0;
  for (let k = 0; k < rib.length; ) {
    if (own[k] === 0) {
      k++;
      continue;
    }
    // The prefix of this BGP route: its run in `rib`, from its first route.
    let lo = k;
    while (lo > 0 && samePrefix(rib[lo - 1].prefix, rib[k].prefix)) lo--;
    let hi = k + 1;
    while (hi < rib.length && samePrefix(rib[hi].prefix, rib[k].prefix)) hi++;
    let mine = 0;
    for (let j = k; j < hi; j++) mine += own[j];
    at.push(lo - owned, hi - owned - mine);
    runs.push(rib.slice(lo, hi));
    owned += mine;
    k = hi;
  }
  noteSplice(out, baseTable, at, runs);
}

/** What one speaker's installed BGP routes became between two BGP runs (bgp/control-plane installChanges). */
export type InstallChange =
  /** The same routes for every prefix. */
  | { readonly how: 'same'; readonly component: number }
  /** Other routes for a few prefixes (sorted): theirs now, in table order; `whole()` makes every BGP route of the speaker. */
  | { readonly how: 'patch'; readonly component: number; readonly prefixes: readonly Prefix[]; readonly routes: readonly Route[]; readonly whole: () => Route[] }
  /** Every BGP route of the speaker, in table order (a new speaker, or most prefixes changed). */
  | { readonly how: 'whole'; readonly component: number; readonly routes: readonly Route[] }
  /**
   * Other routes for many prefixes, each of the same type and distance as the one it replaces:
   * per distinct pair of decisions (old, new) of the speaker's prefixes, what the routes were and
   * what they are now (`remappedTable`).
   */
  | { readonly how: 'swap'; readonly component: number; readonly pairs: readonly SwapPair[]; readonly whole: () => Route[] };

/** What the BGP routes of one decision hold in common (bgp/control-plane RouteTemplate): everything but the prefix. */
export interface RouteShape {
  readonly component: number;
  readonly type: RouteType;
  readonly distance: number;
  readonly nextHops: readonly RibNextHop[];
  readonly origin: string;
}

/** The routes of the prefixes with one pair of decisions: what they were, what they are. */
export interface SwapPair {
  readonly from: RouteShape;
  readonly to: RouteShape;
}

/**
 * The installed tables after BGP ran again from a previous run's origination (an edge or a
 * physical router failed or back: bgp/control-plane installChanges), speaker by speaker: a
 * speaker whose BGP routes are all the same keeps its previous installed table (its table before
 * BGP is the same: installChanges says so); one with other routes for a few prefixes has them
 * replaced as patchInstalled replaces them; one whose routes mostly changed, each keeping its type
 * and distance, is its previous table remapped to the new next hops (`remappedTable`); a new speaker,
 * or any other change, is installed whole. A component that is no longer a speaker has its table
 * before BGP.
 */
export function installChanged(previous: RoutingState, base: RoutingState, changes: readonly InstallChange[]): RoutingState {
  const ribs = base.ribs.slice();
  for (const ch of changes) {
    const c = ch.component;
    if (ch.how === 'same') ribs[c] = previous.ribs[c];
    else if (ch.how === 'patch') ribs[c] = replaceRuns(previous.ribs[c], base.ribs[c], ch.prefixes, ch.routes) ?? installed(base.ribs[c], ch.whole());
    else if (ch.how === 'swap') ribs[c] = remappedTable(previous.ribs[c], ch.pairs) ?? installed(base.ribs[c], ch.whole());
    else ribs[c] = ch.routes.length ? installed(base.ribs[c], ch.routes) : base.ribs[c];
  }
  return new Ribs(ribs);
}

/**
 * `table` (a previous installed table) with each BGP route of an old decision taking its new
 * decision's next hops and origin (`pairs`: one per distinct pair of decisions, the same type and
 * distance on both sides), as a remapped table (RibTable.remapped: its routes made when first
 * read; the FIB compiles it from the old block). A route is matched to its pair by what it holds
 * (type, distance, origin and resolved next hops: the routes of one decision share them), once
 * per distinct (next-hop list, origin) of the table. A remapped `table` is remapped again from its
 * base, the two remaps composed; a remap that gives every route back what its base holds is the
 * base itself (an edge failed and back). Null when a new list does not resolve directly, an old
 * route is inactive or matches no pair, or two pairs give one route two answers: a whole
 * installation decides.
 */
function remappedTable(table: RibTable, pairs: readonly SwapPair[]): RibTable | null {
  const layer = table.remapLayer();
  const before = layer !== null ? (layer.remap as HopRemap) : null;
  const base = layer !== null ? layer.base : table;
  const connected = connectedRoutes(base);
  // Each shape's next hops resolved as the table resolves them: directly, once per list.
  const resolvedOf = new Map<readonly RibNextHop[], readonly RibNextHop[] | null>();
  const resolve = (shape: RouteShape): readonly RibNextHop[] | null => {
    let to = resolvedOf.get(shape.nextHops);
    if (to !== undefined) return to;
    to = resolvedDirectly(shape.nextHops, shape, connected);
    resolvedOf.set(shape.nextHops, to);
    return to;
  };
  const entries: { type: RouteType; distance: number; origin: string; hops: readonly RibNextHop[]; toHops: readonly RibNextHop[]; toOrigin: string }[] = [];
  for (const { from, to } of pairs) {
    const hops = resolve(from);
    const toHops = resolve(to);
    if (hops === null || toHops === null) return null;
    const e = entries.find((x) => x.type === from.type && x.distance === from.distance && x.origin === from.origin && sameHops(x.hops, hops));
    if (e === undefined) entries.push({ type: from.type, distance: from.distance, origin: from.origin, hops, toHops, toOrigin: to.origin });
    else if (e.toOrigin !== to.origin || !sameHops(e.toHops, toHops)) return null;
  }
  // Each BGP route of the base table holds one of its keys (tableKeys): each key matched once.
  const keys = tableKeys(base);
  if (keys === null) return null;
  const remap = new HopRemap();
  for (let k = 0; k < keys.hops.length; k++) {
    if (keys.inactive[k]) return null;
    const hops = keys.hops[k];
    const origin = keys.origin[k];
    // What the key's routes hold in `table`.
    const i = before !== null ? before.indexOf(hops, origin) : -1;
    const now = i >= 0 ? before!.hopsTo(i) : hops;
    const nowOrigin = i >= 0 ? before!.originTo(i) : origin;
    const e = entries.find((x) => x.type === keys.type[k] && x.distance === keys.distance[k] && x.origin === nowOrigin && sameHops(x.hops, now));
    if (e === undefined) return null;
    if (e.toOrigin !== origin || !sameHops(e.toHops, hops)) remap.add(hops, origin, e.toHops, e.toOrigin);
  }
  if (remap.size === 0) return base;
  const out = RibTable.remapped(base, remap);
  // The same connected routes (no connected route is remapped).
  connectedOf.set(out, connected);
  return out;
}

/** Any prefix: the one a next-hop list is resolved with when no route of the table holds it yet (no recursion: the prefix is not read). */
const ANY_PREFIX: Prefix = { addr: 0, len: 0 };

/**
 * Whether two tables are remaps of one base table (or one is the other's base): the same
 * prefixes, routes, types and selection at every position, only some routes' next hops and origin
 * differ (RibTable.hopsAt reads them). The FIB compiles such a table from the other's block.
 */
export function sameLayout(a: RibTable, b: RibTable): boolean {
  const ra = a.remapLayer()?.base ?? a;
  const rb = b.remapLayer()?.base ?? b;
  return ra === rb && a !== b && (a !== ra || b !== rb);
}

/**
 * The BGP routes of a table (not a remapped one) by what they hold: each distinct (next-hop list,
 * origin) pair of its BGP routes is a key (the routes of one decision share it), and per position
 * the key its route holds (index + 1; 0: not a BGP route) and whether its prefix selects more than
 * one route. Made by one pass over the table, once (cached): what a remap of the table is made of
 * (remappedTable), and what the FIB compiles a remapped table's block from without reading its
 * routes. Null when the table has too many keys to be worth it.
 */
export interface TableKeys {
  readonly hops: readonly (readonly RibNextHop[])[];
  readonly origin: readonly string[];
  readonly type: readonly RouteType[];
  readonly distance: readonly number[];
  /** Per key: whether one of its routes is inactive (its next hops did not resolve). */
  readonly inactive: readonly boolean[];
  readonly keyAt: Uint16Array;
  readonly multi: Uint8Array;
}

/** Per key of `keys` (the keys of `table`'s base table), the next-hop list its routes hold in `table`. */
export function keyHops(table: RibTable, keys: TableKeys): readonly (readonly RibNextHop[])[] {
  const remap = table.remapLayer()?.remap;
  return remap === undefined ? keys.hops : keys.hops.map((hops, k) => remap.hopsOfKey(hops, keys.origin[k]));
}

const MAX_KEYS = 4096;
const keysOf = new WeakMap<RibTable, TableKeys | null>();

export function tableKeys(table: RibTable): TableKeys | null {
  let known = keysOf.get(table);
  if (known !== undefined) return known;
  known = walkKeys(table);
  keysOf.set(table, known);
  return known;
}

function walkKeys(table: RibTable): TableKeys | null {
  // Read through shapes and hopsAt: a table made of another's (an alike ToR's) stays unmade.
  const n = table.length;
  const hops: (readonly RibNextHop[])[] = [];
  const origin: string[] = [];
  const type: RouteType[] = [];
  const distance: number[] = [];
  const inactive: boolean[] = [];
  const keyAt = new Uint16Array(n);
  const multi = new Uint8Array(n);
  // Keys by next-hop list (then origin); the key found last first.
  const byHops = new Map<readonly RibNextHop[], number[]>();
  let lastHops: readonly RibNextHop[] | null = null;
  let lastOrigin = '';
  let lastKey = -1;
  let runStart = 0;
  let selected = 0;
  let prefix: Prefix | null = null;
  for (let i = 0; i <= n; i++) {
    const r = i < n ? table.shapeAt(i) : null;
    // A prefix's run ended: its positions flagged when it selects several routes.
    if (i > 0 && (r === null || (r.prefix !== prefix && !samePrefix(r.prefix, prefix!)))) {
      if (selected > 1) multi.fill(1, runStart, i);
      runStart = i;
      selected = 0;
    }
    if (r === null) break;
    prefix = r.prefix;
    if (r.selected) selected++;
    const t = r.type;
    if (t !== 'bgp' && t !== 'isr') continue;
    const h = table.hopsAt(i);
    const o = r.origin;
    if (h !== lastHops || o !== lastOrigin) {
      let list = byHops.get(h);
      if (list === undefined) byHops.set(h, (list = []));
      lastKey = -1;
      for (const k of list) if (origin[k] === o) lastKey = k;
      if (lastKey < 0) {
        if (hops.length === MAX_KEYS) return null;
        lastKey = hops.length;
        list.push(lastKey);
        hops.push(h);
        origin.push(o);
        type.push(t);
        distance.push(r.distance);
        inactive.push(false);
      }
      lastHops = h;
      lastOrigin = o;
    }
    // (A key whose routes differ in type or distance, or one of them inactive, is never remapped.)
    if (r.inactive !== undefined || type[lastKey] !== t || distance[lastKey] !== r.distance) inactive[lastKey] = true;
    keyAt[i] = lastKey + 1;
  }
  return { hops, origin, type, distance, inactive, keyAt, multi };
}

/**
 * A route to install as a Route of the table: a fresh Route of a resolved type (what
 * bgpRibRoutes makes) is taken as it is; anything else is copied, its next hops in the one shape
 * (those of the resolved types are rebuilt by the resolution).
 */
function adopt(r: Omit<RibRoute, 'id' | 'selected'>): Route {
  const resolved = INSTALLED_TYPES.includes(r.type);
  if (resolved && r instanceof Route && r.id === -1 && !r.selected) return r;
  return new Route(r.component, r.prefix, r.type, r.distance, resolved ? r.nextHops : r.nextHops.map(normalizedHop), r.origin, r.inactive);
}

/** selectSorted that writes only routes it created (`own[k]` = 1); another route whose selection changes is replaced by a copy. */
function selectCopying(rib: RibRoute[], own: Uint8Array): void {
  forEachSelection(rib, copyingSetter(rib, own));
}

/**
 * selectCopying for the prefixes holding a route created here alone: every other prefix's routes
 * are those of a selected table, whose selection stands.
 */
function selectTouched(rib: RibRoute[], own: Uint8Array): void {
  forEachTouchedSelection(rib, own, copyingSetter(rib, own));
}

function copyingSetter(rib: RibRoute[], own: Uint8Array): (k: number, selected: boolean) => void {
  return (k, selected) => {
    const r = rib[k];
    if (own[k] === 1) r.selected = selected;
    else if (r.selected !== selected) rib[k] = withSelection(r, selected);
  };
}

function isSorted(routes: readonly RibRoute[]): boolean {
  for (let i = 1; i < routes.length; i++) if (compareRoutes(routes[i - 1], routes[i]) > 0) return false;
  return true;
}


/**
 * The installed tables after BGP re-decided some prefixes (`changed`, keys of prefixKey): each
 * speaker's new table is its previous installed table with the routes of the changed prefixes
 * replaced — by its table before BGP's routes for them (`base`) and the new BGP routes
 * (`fresh`), merged in table order and selected as installRoutes selects — and every other
 * prefix's routes kept as they were (the same objects: neither their table before BGP nor their
 * BGP routes changed, by what `changed` is). Each changed prefix's routes are found by binary
 * search, so a speaker's table costs a copy of its array, not a pass over its routes. Null when a
 * new route's next hop resolves recursively (table order could then decide, and only a whole
 * installation is exact).
 */
export function patchInstalled(
  previous: RoutingState,
  previousBase: RoutingState,
  base: RoutingState,
  speakers: readonly number[],
  changed: ReadonlySet<number>,
  fresh: readonly Omit<RibRoute, 'id' | 'selected'>[],
  key: (p: RibRoute['prefix']) => number,
): RoutingState | null {
  const ribs = base.ribs.slice();
  const added = new Map<number, Route[]>();
  for (const r of fresh) {
    if (!changed.has(key(r.prefix))) continue;
    let list = added.get(r.component);
    if (!list) added.set(r.component, (list = []));
    list.push(adopt(r));
  }
  const prefixes = sortedPrefixes(changed);
  for (const c of speakers) {
    const mine = added.get(c) ?? [];
    // No BGP route before (its installed table was its table before BGP) nor now: its table before BGP.
    if (previous.ribs[c] === previousBase.ribs[c] && !mine.length) continue;
    // New BGP routes out of table order: table order could decide, only a whole installation is exact.
    const rib = isSorted(mine) ? replaceRuns(previous.ribs[c], base.ribs[c], prefixes, mine) : null;
    if (rib === null) return null;
    ribs[c] = rib;
  }
  return new Ribs(ribs);
}

/**
 * `table` (a previous installed table) with the routes of `prefixes` (sorted) replaced by
 * `base`'s and the new BGP routes `mine` (sorted) for them, each replaced prefix selected again.
 * Null when a new route is inactive or resolves recursively.
 */
function replaceRuns(table: RibTable, base: RibTable, prefixes: readonly Prefix[], mine: readonly Route[]): RibTable | null {
  if (mine.length) {
    // Resolved against the table's connected routes (what a BGP next hop resolves through).
    const connected = connectedRoutes(table);
    const index: RibRoute[] = connected.concat(mine);
    resolveNextHops(index, [], INSTALLED_TYPES, mine, connected);
    for (const r of mine) if (r.inactive || r.nextHops.some((h) => h.via !== undefined)) return null;
  }
  // The replaced runs first (positions in `table`, new routes), then the table in one array of its final size.
  const at: number[] = [];
  const runs: RibRoute[][] = [];
  let size = table.length;
  let from = 0;
  let b = 0;
  let m = 0;
  // Whether a replaced prefix has a connected route (else the new table's are the old one's).
  let connectedChanged = false;
  const isConnected = (r: RibRoute) => r.type === 'connected' && r.nextHops[0]?.ip === null;
  for (const p of prefixes) {
    const lo = firstAtOrAfter(table, p, from);
    const hi = runEnd(table, p, lo);
    const bLo = firstAtOrAfter(base, p, b);
    const bHi = runEnd(base, p, bLo);
    b = bHi;
    while (m < mine.length && comparePrefix(mine[m].prefix, p) < 0) m++;
    let mHi = m;
    while (mHi < mine.length && samePrefix(mine[mHi].prefix, p)) mHi++;
    const run = mergeRuns(base.slice(bLo, bHi), mine.slice(m, mHi));
    selectCopying(run.rib, run.own);
    if (!connectedChanged) for (let k = lo; k < hi && !connectedChanged; k++) connectedChanged = isConnected(table.shapeAt(k));
    if (!connectedChanged) connectedChanged = run.rib.some(isConnected);
    at.push(lo, hi);
    runs.push(run.rib);
    size += run.rib.length - (hi - lo);
    m = mHi;
    from = hi;
  }
  const out = spliceRuns(table, at, runs, size);
  if (!connectedChanged) {
    const connected = connectedOf.get(table);
    if (connected !== undefined) connectedOf.set(out, connected);
    else connectedAsIn.set(out, table);
  }
  return out;
}


/** The directly connected routes of an installed table (interface routes), listed once per table. */
const connectedOf = new WeakMap<RibTable, readonly RibRoute[]>();

/**
 * A patched table whose connected routes are those of the table it was patched from, when that
 * one's were not listed yet: they are listed (once, for the first table of the chain) when asked,
 * so a table patched without new BGP routes (a prefix withdrawn) leaves no 150k-route pass to
 * the next patch that has some.
 */
const connectedAsIn = new WeakMap<RibTable, RibTable>();

function connectedRoutes(table: RibTable): readonly RibRoute[] {
  let list = connectedOf.get(table);
  const layer = list === undefined ? table.sharedLayer() : null;
  if (layer !== null) {
    // A table made of another's: its connected routes are among its own (in table order).
    connectedOf.set(table, (list = RibTable.ownInOrder(layer).filter((r) => r.type === 'connected' && r.nextHops[0]?.ip === null)));
    return list;
  }
  if (list === undefined) {
    // Up the chain of tables patched alike to one whose list is known, or the first.
    const chain: RibTable[] = [];
    for (let t = connectedAsIn.get(table); t !== undefined; t = connectedAsIn.get(t)) {
      chain.push(t);
      list = connectedOf.get(t);
      if (list !== undefined) break;
    }
    if (chain.length) {
      list ??= connectedRoutes(chain[chain.length - 1]);
      connectedOf.set(table, list);
      for (const t of chain) connectedOf.set(t, list);
      return list;
    }
    const found: RibRoute[] = [];
    table.forEachPiece((src, from, to) => {
      for (let i = from; i < to; i++) {
        const r = src[i];
        if (r.type === 'connected' && r.nextHops[0]?.ip === null) found.push(r);
      }
    });
    connectedOf.set(table, (list = found));
  }
  return list;
}
