// Tables made of another's (RibTable.sharing). The DR and each SR of a Tier-0 hold the same
// Tier-1 advertised prefixes (140k at size L, eight SRs), the same routes but for their next hops
// (each SR reaches a Tier-1 through its own copy of the router link); the ToRs of a fabric hold
// the same BGP routes but for their next hops' interface (ribs/install alikeTable). Such a table
// lists the other's routes by position, with its own next-hop list for each of the other's
// (`HopCopier`), beside its own routes (connected, statics, BGP). It is exact only where the
// routes it shares are selected as in the other table and none of its own routes is for one of
// their prefixes: `sharedPositions` refuses a table where one is (the caller builds it whole),
// and installing BGP routes (ribs/install installedShared) keeps the sharing only when they
// resolve alone and none is for a shared prefix. `tableLists` reads a table others are made of
// once for them all (whether each route is alone for its prefix, its list's id).
import { comparePrefix, samePrefix } from '../../topology/ip.js';
import type { RibTable, RouteCopier } from './table.js';
import { Route, type RibNextHop, type RibRoute } from './route.js';

/** The route copier of a table made of another's: the other's next-hop list of each route to this table's (an SR: the DR's list of each Tier-1 to its own). */
export class HopCopier implements RouteCopier {
  constructor(
    private readonly component: number,
    private readonly hops: ReadonlyMap<readonly RibNextHop[], readonly RibNextHop[]>,
  ) {}

  hopsOf(r: RibRoute): readonly RibNextHop[] {
    return this.hops.get(r.nextHops)!;
  }

  apply(r: RibRoute): RibRoute {
    const copy = new Route(this.component, r.prefix, r.type, r.distance, this.hopsOf(r), r.origin, r.inactive);
    copy.selected = r.selected;
    return copy;
  }
}

/**
 * The positions of a table made of `base`'s routes at `shared` (ascending positions) and of
 * `own` (sorted by prefix): ≥ 0 a position of base, -1 - k own[k], in prefix order. Null when
 * one of `own` is for a prefix of a shared route (its selection would read both).
 */
export function sharedPositions(base: RibTable, shared: Int32Array, own: readonly RibRoute[]): Int32Array | null {
  const out = new Int32Array(shared.length + own.length);
  // Each own route's place among the shared ones by binary search, the shared ones between
  // copied as they are: an SR has a few thousand own routes, a ToR a few, beside 140k shared.
  let j = 0;
  let k = 0;
  for (let i = 0; i < own.length; i++) {
    const p = own[i].prefix;
    let lo = j;
    let hi = shared.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (comparePrefix(base.at(shared[m]).prefix, p) < 0) lo = m + 1;
      else hi = m;
    }
    if (lo < shared.length && comparePrefix(base.at(shared[lo]).prefix, p) === 0) return null;
    out.set(shared.subarray(j, lo), k);
    k += lo - j;
    j = lo;
    out[k++] = -1 - i;
  }
  out.set(shared.subarray(j), k);
  return out;
}

/**
 * Whether routes just resolved in a table of their own routes alone (not the shared ones) hold
 * what resolving them in the whole table gives: each usable, every next hop resolved directly
 * (a recursive one, or one missing, might resolve through a shared route). `given`: each route's
 * number of next hops before resolution.
 */
export function resolvedAlone(routes: readonly RibRoute[], given: Int32Array): boolean {
  for (let k = 0; k < routes.length; k++) {
    const r = routes[k];
    if (r.inactive !== undefined || r.nextHops.length !== given[k]) return false;
    for (const h of r.nextHops) if (h.via !== undefined) return false;
  }
  return true;
}

/** Per position of a table: whether its route is alone for its prefix, and the id of its next-hop list in `lists`. */
export interface TableLists {
  readonly alone: Uint8Array;
  readonly listId: Int32Array;
  /** The distinct next-hop list objects, by id (first met first). */
  readonly lists: readonly (readonly RibNextHop[])[];
}

const tableListsOf = new WeakMap<RibTable, TableLists>();

/**
 * TableLists of a table others are made of (a Tier-0 DR's, a ToR's), made once per table: the
 * tables made of it (their FIB blocks, an alike ToR's installation) read these typed arrays, not
 * a route object per position.
 */
export function tableLists(table: RibTable): TableLists {
  let known = tableListsOf.get(table);
  if (known !== undefined) return known;
  const routes = table.toArray();
  const n = routes.length;
  const alone = new Uint8Array(n);
  const listId = new Int32Array(n);
  const lists: (readonly RibNextHop[])[] = [];
  const ids = new Map<readonly RibNextHop[], number>();
  let last: readonly RibNextHop[] | null = null;
  let lastId = -1;
  for (let i = 0; i < n; i++) {
    const r = routes[i];
    const prefix = r.prefix;
    alone[i] = (i === 0 || !samePrefix(routes[i - 1].prefix, prefix)) && (i + 1 === n || !samePrefix(routes[i + 1].prefix, prefix)) ? 1 : 0;
    const list = r.nextHops;
    if (list !== last) {
      let id = ids.get(list);
      if (id === undefined) {
        ids.set(list, (id = lists.length));
        lists.push(list);
      }
      last = list;
      lastId = id;
    }
    listId[i] = lastId;
  }
  known = { alone, listId, lists };
  tableListsOf.set(table, known);
  return known;
}
