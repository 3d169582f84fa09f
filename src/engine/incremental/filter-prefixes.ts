// Which prefixes an edit of BGP session filters alone (session-filters.ts sessionFiltersOnly) can
// decide otherwise: the edited Tier-0s' and physical routers' prefix lists and route maps compared
// with their versions before (Policy.prefixesChangedFrom), as one predicate over prefixes. BGP then
// decides those prefixes again alone (pipeline.ts, bgp/partial-run.ts) where it ran whole: a
// route-map entry that matches on a prefix list, or a prefix-list entry, flipped at size L
// re-decides the few prefixes it reads instead of 144,000.
import { keysOfMap, type PhysicalRouterSpec, type Scenario, type Tier0Spec } from '../../topology/scenario.js';
import type { Prefix } from '../../topology/ip.js';
import { anyPrefixTest, frrPolicy, nsxPolicy, type ChangedPrefixes, type Policy, type PrefixTest } from '../bgp/policy.js';
import { sameValue } from './same-value.js';

/**
 * The prefixes whose BGP decisions the edit from `was` to `s` can change, when it changed only
 * session filters and the policies they read; null when that may be any prefix: a neighbour's
 * filter changed (another list or route map named), a community or AS-path list changed, a list
 * or route map came or went, a changed route-map entry matches on something else than prefix
 * lists (Policy.prefixesChangedFrom), or a policy does not compile.
 */
export function filterChangedPrefixes(s: Scenario, was: Scenario): ChangedPrefixes | null {
  const tests: PrefixTest[] = [];
  const within: Prefix[] = [];
  const gather = <T extends Tier0Spec | PhysicalRouterSpec>(after: Readonly<Record<string, T>> | undefined, before: Readonly<Record<string, T>> | undefined, compile: (spec: T) => Policy): boolean => {
    if (after === before) return true;
    if (after === undefined || before === undefined) return false;
    for (const name of keysOfMap(after)) {
      const a = after[name];
      const b = before[name];
      if (a === b) continue;
      if (b === undefined || !sameValue(neighbourFilters(a), neighbourFilters(b))) return false;
      if (!sameValue(a.communityLists, b.communityLists) || !sameValue((a as PhysicalRouterSpec).asPathLists, (b as PhysicalRouterSpec).asPathLists)) return false;
      if (sameValue(a.prefixLists, b.prefixLists) && sameValue(a.routeMaps, b.routeMaps)) continue;
      let test: ChangedPrefixes | null | undefined;
      try {
        test = compile(a).prefixesChangedFrom?.(compile(b), filterLists(a));
      } catch {
        return false; // validation reports it; BGP as a whole says what it makes of it
      }
      if (!test) return false;
      tests.push(test.test);
      for (const p of test.within) within.push(p);
    }
    return true;
  };
  if (!gather(s.tier0s, was.tier0s, nsxPolicy) || !gather(s.physicalRouters, was.physicalRouters, frrPolicy)) return null;
  return { test: anyPrefixTest(tests), within };
}

/** The prefix lists a speaker's neighbours' filters name directly (their verdicts count, not only whether an entry matches). */
function filterLists(spec: Tier0Spec | PhysicalRouterSpec): ReadonlySet<string> {
  const names = new Set<string>();
  for (const n of spec.bgp?.neighbors ?? []) {
    const x = n as unknown as Record<string, { prefixList?: unknown } | string | undefined>;
    for (const f of [x.in, x.out]) if (f && typeof f === 'object' && typeof f.prefixList === 'string') names.add(f.prefixList);
    for (const f of [x.prefixListIn, x.prefixListOut]) if (typeof f === 'string') names.add(f);
  }
  return names;
}

/** A speaker's neighbours' in/out filters, in order (NSX `in`/`out`; FRR route maps and prefix lists). */
function neighbourFilters(spec: Tier0Spec | PhysicalRouterSpec): unknown[] {
  return (spec.bgp?.neighbors ?? []).map((n) => {
    const x = n as unknown as Record<string, unknown>;
    return [x.in, x.out, x.routeMapIn, x.routeMapOut, x.prefixListIn, x.prefixListOut];
  });
}
