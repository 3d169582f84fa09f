// The routes the Avi controller injects, grouped by Tier-1 (in list order within each group): what
// each Tier-1's tables take. After an edit, the grouping is the previous one with the changed
// routes replaced in their groups when the new list is the previous one with some routes replaced
// (on the same Tier-1) and some appended, or when the load balancer's patch says which routes it
// replaced, removed and inserted: a virtual service added, disabled, enabled again or failed over
// costs a pass over two arrays of references at most, not a regrouping of 100,000 routes.
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
 * PATCH_MAX routes differ. A list made by editing the previous one (noteEdited) is regrouped
 * from the edit alone. Other lists of the same length are aligned position by position (routes
 * replaced on their own Tier-1); others by reference: the same route; a route gone (the next old
 * one follows); a route replaced by one of the same Tier-1 (the next old one follows it); and
 * what is left at the end appended — two changes next to each other are not told apart there
 * (null). Either way the edit found is applied by editedGroups. Any such alignment turns `before` into `routes` step by step, and
 * each step keeps every Tier-1's routes in list order, so the groups are the regrouping's (a group
 * left empty is gone; the groups' order, which no reader uses, may differ). A route kept keeps
 * its place among the others (load-balancer injectedRoutes reuses a route only for the same
 * virtual service, and lists them in virtual-service order).
 */
export function patchGroups(before: readonly InjectedRoute[], groups: InjectedGroups, routes: readonly InjectedRoute[]): InjectedGroups | null {
  const replaced: number[] = [];
  const removed: number[] = [];
  let j = 0;
  const known = editedIn.get(routes);
  if (known !== undefined && known.from === before) {
    // What changed is known (the list was made by editing those positions): no pass over the lists.
    if (known.replaced.length + known.removed.length + known.inserted.length > PATCH_MAX) return null;
    return editedGroups(before, groups, routes, known);
  }
  if (routes.length === before.length) {
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
  // What is left at the end: appended (each joins its group last: the routes before it are all in).
  const pairs: (readonly [number, number])[] = [];
  for (let k = 0; k < replaced.length; k += 2) pairs.push([replaced[k], replaced[k + 1]]);
  const appended: number[] = [];
  for (; j < routes.length; j++) appended.push(j);
  return editedGroups(before, groups, routes, { replaced: pairs, removed, inserted: appended });
}

/** How a list of routes was made from another: positions replaced (old, new), removed (old) and inserted (new), each ascending. */
export interface RoutesEdit {
  readonly replaced: readonly (readonly [number, number])[];
  readonly removed: readonly number[];
  readonly inserted: readonly number[];
}

/**
 * Records that `list` is `from` edited as `edit` says (what the load balancer's patch of the
 * injected routes makes): patchGroups then applies it instead of comparing the two lists.
 */
export function noteEdited(list: readonly InjectedRoute[], from: readonly InjectedRoute[], edit: RoutesEdit): void {
  editedIn.set(list, { from, ...edit });
}

const editedIn = new WeakMap<readonly InjectedRoute[], RoutesEdit & { readonly from: readonly InjectedRoute[] }>();

/**
 * The grouping of `routes`, made from `before` by `edit`: each group touched copied once; a route
 * replaced on its own Tier-1 takes its place, one moved to another Tier-1 leaves its group and
 * joins the other; a route removed leaves its group; a route inserted joins its group after the
 * route of its Tier-1 listed before it in `routes` (found walking back from it: the routes of one
 * Tier-1 are spread over the list, not far apart), or first.
 */
function editedGroups(before: readonly InjectedRoute[], groups: InjectedGroups, routes: readonly InjectedRoute[], edit: RoutesEdit): InjectedGroups | null {
  const out = new Map(groups) as Map<string, readonly InjectedRoute[]>;
  const copied = new Set<string>();
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
  const leave = (r: InjectedRoute): boolean => {
    const list = own(r.tier1);
    const at = list.indexOf(r);
    if (at < 0) return false;
    list.splice(at, 1);
    return true;
  };
  const join = (j: number) => {
    const r = routes[j];
    const list = own(r.tier1);
    let k = j - 1;
    while (k >= 0 && routes[k].tier1 !== r.tier1) k--;
    list.splice(k < 0 ? 0 : list.indexOf(routes[k]) + 1, 0, r);
  };
  const joining: number[] = [];
  for (const [i, j] of edit.replaced) {
    const was = before[i];
    const now = routes[j];
    if (was.tier1 === now.tier1) {
      const list = own(was.tier1);
      const at = list.indexOf(was);
      if (at < 0) return null;
      list[at] = now;
    } else {
      if (!leave(was)) return null;
      joining.push(j);
    }
  }
  for (const i of edit.removed) if (!leave(before[i])) return null;
  // Joined in list order: each finds the routes of its Tier-1 before it already in their group.
  for (const j of joining.concat(edit.inserted).sort((a, b) => a - b)) join(j);
  for (const tier1 of touched) if (!out.get(tier1)!.length) out.delete(tier1);
  touchedIn.set(out, { from: groups, tier1s: touched });
  return out;
}

/** For a grouping made by patchGroups: the grouping it was patched from and the Tier-1s whose groups differ (every other group is the same array). */
export function groupsChange(groups: InjectedGroups): { readonly from: InjectedGroups; readonly tier1s: ReadonlySet<string> } | null {
  return touchedIn.get(groups) ?? null;
}

const touchedIn = new WeakMap<InjectedGroups, { readonly from: InjectedGroups; readonly tier1s: ReadonlySet<string> }>();
