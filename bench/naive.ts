// The naive baseline the compiled core is compared against: longest-prefix match by a linear scan
// of a route list held as strings, parsed with ipaddr.js on every lookup; and a "naive walker"
// that replays, for a trace, exactly the route lookups the compiled walker made (one per router
// visit, in depth-first order), each with that naive scan over the component's selected routes.
// The replay counts route lookups only (no ARP, no tunnels, no path bookkeeping), so it is a lower
// bound on what a naive walker would cost — the ratio it yields is conservative.
import ipaddr from 'ipaddr.js';
import { formatIp, formatPrefix } from '../src/topology/ip.js';
import { routeOfHop, type CompiledNetwork } from '../src/engine/fib/compile.js';
import { OBS_DELIVERED, ROW_ROUTER, WHY_NONE, Walker, type PathSink } from '../src/engine/walk/packet-walk.js';

/**
 * Index of the longest prefix in `routes` (strings "a.b.c.d/len") containing `dst`, or -1.
 * Uses the IPv4-specific parsers: the generic ipaddr.parseCIDR tries IPv6 first and throws, which
 * would make the baseline slower than a reasonable naive implementation.
 */
export function naiveLookup(routes: readonly string[], dst: string): number {
  const addr = ipaddr.IPv4.parse(dst);
  let best = -1;
  let bestLen = -1;
  for (let i = 0; i < routes.length; i++) {
    const [net, len] = ipaddr.IPv4.parseCIDR(routes[i]);
    if (len > bestLen && addr.match(net, len)) {
      best = i;
      bestLen = len;
    }
  }
  return best;
}

/** Each component's selected routes as prefix strings, in RIB order (what the naive scan reads). */
export function naiveRouteLists(c: CompiledNetwork): string[][] {
  return c.routing.ribs.map((rib) => rib.filter((r) => r.selected).map((r) => formatPrefix(r.prefix)));
}

/** The route lookups of one trace: component ids, in the order the compiled walker visited them. */
export interface LookupPlan {
  dst: string;
  components: number[];
  /** Per lookup: the prefix the compiled core used ("" for no route); for the agreement check. */
  expected: string[];
}

/**
 * Runs the compiled walker once and records its route lookups: every router row that is new in
 * depth-first order (a path shares its prefix with the previous one up to the ECMP branch) and
 * that did a FIB lookup (not an own-address delivery, not a loop/TTL stop).
 */
export function planLookups(c: CompiledNetwork, walker: Walker, src: number, dst: number): LookupPlan {
  const plan: LookupPlan = { dst: formatIp(dst), components: [], expected: [] };
  let prevRef: number[] = [];
  let prevNode: number[] = [];
  let prevNh: number[] = [];
  const sink: PathSink = {
    path(w, length) {
      // First row that differs from the previous path: the ECMP branch point (same visit).
      let d = 0;
      while (d < length && d < prevRef.length && w.rowRef[d] === prevRef[d] && w.rowNode[d] === prevNode[d] && w.rowNh[d] === prevNh[d]) d++;
      const firstNew = prevRef.length === 0 ? 0 : d + 1;
      for (let i = firstNew; i < length; i++) {
        if (w.rowType[i] !== ROW_ROUTER || w.rowObs[i] === OBS_DELIVERED || w.rowWhy[i] !== WHY_NONE) continue;
        plan.components.push(w.rowRef[i]);
        const nh = w.rowNh[i];
        plan.expected.push(nh >= 0 ? formatPrefix(routeOfHop(c, w.rowRef[i], dst, nh).prefix) : '');
      }
      prevRef = Array.from(w.rowRef.subarray(0, length));
      prevNode = Array.from(w.rowNode.subarray(0, length));
      prevNh = Array.from(w.rowNh.subarray(0, length));
    },
  };
  walker.trace(src, dst, sink);
  return plan;
}

/** The naive cost of one trace: its recorded lookups, each a linear ipaddr.js scan. */
export function naiveTrace(lists: readonly (readonly string[])[], plan: LookupPlan): number {
  let acc = 0;
  for (let i = 0; i < plan.components.length; i++) acc += naiveLookup(lists[plan.components[i]], plan.dst);
  return acc;
}

/** How many recorded lookups the naive scan answers with the same prefix as the compiled core. */
export function agreement(lists: readonly (readonly string[])[], plans: readonly LookupPlan[]): { agree: number; total: number } {
  let agree = 0;
  let total = 0;
  for (const p of plans) {
    p.components.forEach((comp, i) => {
      const idx = naiveLookup(lists[comp], p.dst);
      const got = idx < 0 ? '' : lists[comp][idx];
      total++;
      if (got === p.expected[i]) agree++;
    });
  }
  return { agree, total };
}
