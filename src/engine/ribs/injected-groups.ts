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
 * The grouping of `routes` from the previous list and its grouping, or null when more than
 * PATCH_MAX routes differ. Lists of the same length are aligned position by position (routes
 * replaced on their own Tier-1); others by reference: the same route; a route gone (the next old
 * one follows); a route replaced by one of the same Tier-1 (the next old one follows it); and
 * what is left at the end appended — two changes next to each other are not told apart there
 * (null). Any such alignment turns `before` into `routes` step by step, and
 * each step keeps every Tier-1's routes in list order, so the groups are the regrouping's (a group
 * left empty is gone; the groups' order, which no reader uses, may differ). A route kept keeps
 * its place among the others (load-balancer injectedRoutes reuses a route only for the same
 * virtual service, and lists them in virtual-service order).
 */
export function patchGroups(before: readonly InjectedRoute[], groups: InjectedGroups, routes: readonly InjectedRoute[]): InjectedGroups | null {
  const replaced: number[] = [];
  const removed: number[] = [];
  let j = 0;
  const known = replacedIn.get(routes);
  if (known !== undefined && known.from === before) {
    // The positions replaced are known (the list was made by replacing them): no pass over the lists.
    for (const i of known.positions) {
      if (routes[i].tier1 !== before[i].tier1 || replaced.length === 2 * PATCH_MAX) return null;
      replaced.push(i, i);
    }
    j = routes.length;
  } else if (routes.length === before.length) {
    // The same length: position by position (routes replaced on their Tier-1, any number side by side).
    for (let i = 0; i < before.length; i++) {
      if (routes[i] === before[i]) continue;
      if (routes[i].tier1 !== before[i].tier1 || replaced.length === 2 * PATCH_MAX) return null;
      replaced.push(i, i);
    }
    j = routes.length;
  } else {
    for (let i = 0; i < before.length; i++) {
      if (j < routes.length && routes[j] === before[i]) {
        j++;
        continue;
      }
      if (replaced.length / 2 + removed.length === PATCH_MAX) return null;
      // Each change must be confirmed by the route after it (or by the end of the old list):
      // changes next to each other are not told apart, and the grouping is made again.
      const next = i + 1 < before.length ? before[i + 1] : null;
      if (next !== null && routes[j] === next) removed.push(i);
      else if (j < routes.length && routes[j].tier1 === before[i].tier1 && (next === null || routes[j + 1] === next)) {
        replaced.push(i, j);
        j++;
      } else if (next === null) removed.push(i); // the last one gone, what follows appended
      else return null;
    }
  }
  if (replaced.length / 2 + removed.length + routes.length - j > PATCH_MAX) return null;
  const out = new Map(groups) as Map<string, readonly InjectedRoute[]>;
  // Each group touched is copied once, then its routes replaced or removed (found by reference: a
  // group holds its Tier-1's routes, a few dozen) and the appended ones pushed, in list order.
  const copied = new Set<string>();
  /** Every Tier-1 whose group changed (a group emptied and dropped included). */
  const touched = new Set<string>();
  const own = (tier1: string): InjectedRoute[] => {
    touched.add(tier1);
    const list = out.get(tier1);
    if (copied.has(tier1)) return list as InjectedRoute[];
    copied.add(tier1);
    const copy = list ? list.slice() : [];
    out.set(tier1, copy);
    return copy;
  };
  for (let k = 0; k < replaced.length; k += 2) {
    const was = before[replaced[k]];
    const list = own(was.tier1);
    const at = list.indexOf(was);
    if (at < 0) return null;
    list[at] = routes[replaced[k + 1]];
  }
  for (const i of removed) {
    const list = own(before[i].tier1);
    const at = list.indexOf(before[i]);
    if (at < 0) return null;
    list.splice(at, 1);
    if (!list.length) {
      out.delete(before[i].tier1);
      copied.delete(before[i].tier1);
    }
  }
  for (; j < routes.length; j++) own(routes[j].tier1).push(routes[j]);
  touchedIn.set(out, { from: groups, tier1s: touched });
  return out;
}

/**
 * Records that `list` is `from` with the routes at `positions` replaced (the same length; what
 * the load balancer's patch of the injected routes makes): patchGroups then takes those
 * positions instead of comparing the two lists.
 */
export function noteReplaced(list: readonly InjectedRoute[], from: readonly InjectedRoute[], positions: readonly number[]): void {
  replacedIn.set(list, { from, positions });
}

const replacedIn = new WeakMap<readonly InjectedRoute[], { readonly from: readonly InjectedRoute[]; readonly positions: readonly number[] }>();

/** For a grouping made by patchGroups: the grouping it was patched from and the Tier-1s whose groups differ (every other group is the same array). */
export function groupsChange(groups: InjectedGroups): { readonly from: InjectedGroups; readonly tier1s: ReadonlySet<string> } | null {
  return touchedIn.get(groups) ?? null;
}

const touchedIn = new WeakMap<InjectedGroups, { readonly from: InjectedGroups; readonly tier1s: ReadonlySet<string> }>();
