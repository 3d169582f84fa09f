// Installs routes computed elsewhere (BGP) into the tables: next hops that are not directly
// connected resolve recursively, then each receiving table is sorted and re-selected. The tables
// given are never changed: a receiving table is a new array, and a route whose selection changes
// is copied (withSelection), so the tables before BGP stay valid (BGP originates from them, an
// update compares against them). A table can be taken from a previous installation instead when
// the caller knows its inputs are the same (`reuse`).
import { resolveNextHops } from './next-hops.js';
import { Ribs, Route, normalizedHop, withSelection, type RibRoute, type RoutingState, type RouteType } from './route.js';
import { compareRoutes, forEachSelection, mergeRuns, sortRoutes } from './select.js';

const INSTALLED_TYPES: readonly RouteType[] = ['bgp', 'isr'];

export function installRoutes(routing: RoutingState, extra: readonly Omit<RibRoute, 'id' | 'selected'>[], reuse?: (component: number) => readonly RibRoute[] | null): RoutingState {
  if (!extra.length) return routing;
  const ribs = routing.ribs.slice();
  const added = new Map<number, Route[]>();
  for (let k = 0; k < extra.length; k++) {
    const r = extra[k];
    let list = added.get(r.component);
    if (!list) added.set(r.component, (list = []));
    list.push(adopt(r));
  }
  for (const [c, routes] of added) {
    const kept = reuse?.(c);
    if (kept) {
      ribs[c] = kept;
      continue;
    }
    const base = routing.ribs[c];
    let rib: RibRoute[] = base.concat(routes);
    resolveNextHops(rib, [], INSTALLED_TYPES);
    // The table is sorted and BGP routes come in prefix order: merged, else sorted.
    let own: Uint8Array;
    if (isSorted(routes)) ({ rib, own } = mergeRuns(base, routes));
    else {
      sortRoutes(rib);
      const added = new Set<RibRoute>(routes);
      own = Uint8Array.from(rib, (r) => (added.has(r) ? 1 : 0));
    }
    selectCopying(rib, own);
    ribs[c] = rib;
  }
  return new Ribs(ribs);
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
  forEachSelection(rib, (k, selected) => {
    const r = rib[k];
    if (own[k] === 1) r.selected = selected;
    else if (r.selected !== selected) rib[k] = withSelection(r, selected);
  });
}

function isSorted(routes: readonly RibRoute[]): boolean {
  for (let i = 1; i < routes.length; i++) if (compareRoutes(routes[i - 1], routes[i]) > 0) return false;
  return true;
}


/**
 * The installed tables after BGP re-decided some prefixes (`changed`, keys of prefixKey): each
 * speaker's new table is its table before BGP, the BGP routes it held for the other prefixes (the
 * same objects: their decision and next hops are unchanged) and the new routes for the changed
 * ones, merged in table order and selected as installRoutes selects. Null when a new route's next
 * hop resolves recursively (table order could then decide, and only a whole installation is exact).
 */
export function patchInstalled(
  previous: RoutingState,
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
  for (const c of speakers) {
    const kept = previous.ribs[c].filter((r) => INSTALLED_TYPES.includes(r.type) && !changed.has(key(r.prefix)));
    const mine = added.get(c) ?? [];
    if (!kept.length && !mine.length) continue;
    const index: RibRoute[] = base.ribs[c].concat(kept, mine);
    resolveNextHops(index, [], INSTALLED_TYPES, new Set(mine));
    for (const r of mine) if (r.inactive || r.nextHops.some((h) => h.via !== undefined)) return null;
    if (!isSorted(kept) || !isSorted(mine)) return null;
    const bgp = mergeRuns(kept, mine);
    const all = mergeRuns(base.ribs[c], bgp.rib);
    // Own: the new routes only (the kept ones are shared with the previous tables).
    const own = new Uint8Array(all.rib.length);
    const isNew = new Set<RibRoute>(mine);
    for (let k = 0; k < all.rib.length; k++) if (all.own[k] && isNew.has(all.rib[k])) own[k] = 1;
    selectCopying(all.rib, own);
    ribs[c] = all.rib;
  }
  return new Ribs(ribs);
}
