// Whether an edit of the Tier-0s and physical routers changed only what BGP sessions filter with:
// the in/out filters of neighbours and the prefix lists, community lists, AS-path lists and route
// maps, except those that redistribution reads (a redistribution rule's route map and the lists it
// names). Origination reads none of the rest: such an edit runs BGP whole from the previous run's
// origination (pipeline.ts), where any other configuration change originates anew.
import type { FrrRouteMapEntry, NsxRouteMapEntry, PhysicalRouterSpec, Scenario, Tier0Spec } from '../../topology/scenario.js';
import { keysOfMap } from '../../topology/scenario.js';
import { sameValue, sameValueExcept } from './same-value.js';

/** Whether the Tier-0s and physical routers of `s` and `was` differ at most in their session filters and the policies only those read. */
export function sessionFiltersOnly(s: Scenario, was: Scenario): boolean {
  return sameMapBy(s.tier0s, was.tier0s, tier0FiltersOnly) && sameMapBy(s.physicalRouters, was.physicalRouters, routerFiltersOnly);
}

function sameMapBy<T>(a: Readonly<Record<string, T>> | undefined, b: Readonly<Record<string, T>> | undefined, same: (x: T, y: T) => boolean): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const ka = keysOfMap(a);
  const kb = keysOfMap(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (a[k] !== b[k] && !same(a[k], b[k])) return false;
  }
  return true;
}

/** A list of objects the same item by item but for `skipped` fields. */
function sameListExcept(a: readonly object[] | undefined, b: readonly object[] | undefined, skipped: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValueExcept(a[i], b[i], skipped)) return false;
  return true;
}

const NSX_POLICY = new Set(['prefixLists', 'communityLists', 'routeMaps', 'bgp']);
const NSX_NEIGHBOR_FILTERS = new Set(['in', 'out']);
const NEIGHBORS = new Set(['neighbors']);

function tier0FiltersOnly(a: Tier0Spec, b: Tier0Spec): boolean {
  // Everything but the policies and BGP the same (redistribution included), then BGP but its neighbours' filters.
  if (!sameValueExcept(a, b, NSX_POLICY)) return false;
  if ((a.bgp === undefined) !== (b.bgp === undefined)) return false;
  if (a.bgp !== undefined && b.bgp !== undefined && (!sameValueExcept(a.bgp, b.bgp, NEIGHBORS) || !sameListExcept(a.bgp.neighbors, b.bgp.neighbors, NSX_NEIGHBOR_FILTERS))) return false;
  // What redistribution reads: its route maps and the lists they name.
  for (const rule of a.redistribution ?? []) {
    if (rule.routeMap === undefined) continue;
    const entries: readonly NsxRouteMapEntry[] | undefined = a.routeMaps?.[rule.routeMap];
    if (!sameValue(entries, b.routeMaps?.[rule.routeMap])) return false;
    for (const e of entries ?? []) {
      for (const pl of e.prefixLists ?? []) if (!sameValue(a.prefixLists?.[pl], b.prefixLists?.[pl])) return false;
      for (const c of e.communityLists ?? []) if (!sameValue(a.communityLists?.[c.communityList], b.communityLists?.[c.communityList])) return false;
    }
  }
  return true;
}

const FRR_POLICY = new Set(['prefixLists', 'communityLists', 'asPathLists', 'routeMaps', 'bgp']);
const FRR_NEIGHBOR_FILTERS = new Set(['routeMapIn', 'routeMapOut', 'prefixListIn', 'prefixListOut']);

function routerFiltersOnly(a: PhysicalRouterSpec, b: PhysicalRouterSpec): boolean {
  if (!sameValueExcept(a, b, FRR_POLICY)) return false;
  if ((a.bgp === undefined) !== (b.bgp === undefined)) return false;
  if (a.bgp !== undefined && b.bgp !== undefined && (!sameValueExcept(a.bgp, b.bgp, NEIGHBORS) || !sameListExcept(a.bgp.neighbors, b.bgp.neighbors, FRR_NEIGHBOR_FILTERS))) return false;
  for (const rule of a.bgp?.redistribute ?? []) {
    if (rule.routeMap === undefined) continue;
    const entries: readonly FrrRouteMapEntry[] | undefined = a.routeMaps?.[rule.routeMap];
    if (!sameValue(entries, b.routeMaps?.[rule.routeMap])) return false;
    for (const e of entries ?? []) {
      const m = e.match;
      if (m === undefined) continue;
      if (m.prefixList !== undefined && !sameValue(a.prefixLists?.[m.prefixList], b.prefixLists?.[m.prefixList])) return false;
      if (m.communityList !== undefined && !sameValue(a.communityLists?.[m.communityList], b.communityLists?.[m.communityList])) return false;
      if (m.asPathList !== undefined && !sameValue(a.asPathLists?.[m.asPathList], b.asPathLists?.[m.asPathList])) return false;
    }
  }
  return true;
}
