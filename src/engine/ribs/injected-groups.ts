// The routes the Avi controller injects, grouped by Tier-1 (in list order within each group): what
// each Tier-1's tables take. After an edit, the grouping is the previous one with the changed
// routes replaced in their groups when the new list is the previous one with some routes replaced
// (on the same Tier-1) and some appended: a virtual service added, disabled or failed over costs a
// pass over two arrays of references, not a regrouping of 100,000 routes.
import type { InjectedRoute } from './advertise.js';

export type InjectedGroups = ReadonlyMap<string, readonly InjectedRoute[]>;

/** Most routes replaced or appended for which the previous grouping is patched (beyond: grouped again). */
const PATCH_MAX = 4096;

export function groupByTier1(routes: readonly InjectedRoute[]): InjectedGroups {
  const byTier1 = new Map<string, InjectedRoute[]>();
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i];
    const list = byTier1.get(r.tier1);
    if (list) list.push(r);
    else byTier1.set(r.tier1, [r]);
  }
  return byTier1;
}

/**
 * The grouping of `routes` from the previous list and its grouping, or null when `routes` is not
 * the previous list with some routes replaced by routes of the same Tier-1 and some appended.
 */
export function patchGroups(before: readonly InjectedRoute[], groups: InjectedGroups, routes: readonly InjectedRoute[]): InjectedGroups | null {
  if (routes.length < before.length) return null;
  const changed: number[] = [];
  for (let i = 0; i < before.length; i++) {
    if (routes[i] === before[i]) continue;
    if (routes[i].tier1 !== before[i].tier1 || changed.length === PATCH_MAX) return null;
    changed.push(i);
  }
  if (changed.length + routes.length - before.length > PATCH_MAX) return null;
  const out = new Map(groups) as Map<string, readonly InjectedRoute[]>;
  // Each group touched is copied once, then its routes replaced (found by reference: a group holds
  // its Tier-1's routes, a few dozen) and the appended ones pushed, in list order.
  const copied = new Set<string>();
  const own = (tier1: string): InjectedRoute[] => {
    const list = out.get(tier1);
    if (copied.has(tier1)) return list as InjectedRoute[];
    copied.add(tier1);
    const copy = list ? list.slice() : [];
    out.set(tier1, copy);
    return copy;
  };
  for (const i of changed) {
    const list = own(routes[i].tier1);
    const at = list.indexOf(before[i]);
    if (at < 0) return null;
    list[at] = routes[i];
  }
  for (let i = before.length; i < routes.length; i++) own(routes[i].tier1).push(routes[i]);
  return out;
}
