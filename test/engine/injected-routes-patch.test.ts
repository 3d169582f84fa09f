// The VIP routes of a realization patched from the previous one (fib/load-balancer injectedRoutes:
// only the virtual services the patch made anew looked at; a route replaced, removed or inserted
// in a copy of the previous list) must equal the routes listed from scratch, and their grouping by
// Tier-1 patched from the edit (ribs/injected-groups) must equal the grouping made from scratch.
// Checked for virtual services disabled and enabled again, turned off for traffic, given another
// VIP, added, and SEs failed, along random chains of such edits (each step patched from the last).
import fc from 'fast-check';
import { freeze, produce, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/topology/generate.js';
import { realize, type Realized } from '../../src/topology/realize/index.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { injectedRoutes } from '../../src/engine/fib/load-balancer.js';
import { groupByTier1, groupsChange, patchGroups, type InjectedGroups } from '../../src/engine/ribs/injected-groups.js';
import type { InjectedRoute } from '../../src/engine/ribs/advertise.js';
import { addVirtualServiceRecipe, newVipRecipe } from './avi-edit-recipes.js';

const base = generateScenario({ tier1s: 6, segmentsPerTier1: 2, workloadsPerSegment: 2, hosts: 4, edges: 2, centralizedEvery: 2, virtualServices: 60 });
freeze(base, true);
const names = Object.keys(base.avi!.virtualServices!);
const ses = Object.values(base.avi!.seGroups!).flatMap((g) => Object.keys(g.serviceEngines));

type Recipe = (d: Draft<Scenario>) => void;
const edits: Record<string, (i: number) => Recipe> = {
  toggle: (i) => (d) => {
    const vs = d.avi!.virtualServices![names[i % names.length]];
    vs.enabled = vs.enabled === false;
  },
  noTraffic: (i) => (d) => {
    const vs = d.avi!.virtualServices![names[i % names.length]];
    vs.trafficEnabled = vs.trafficEnabled === false;
  },
  newVip: newVipRecipe(names),
  add: addVirtualServiceRecipe(names),
  failSe: (i) => (d) => {
    const list = (d.failed ??= []);
    const se = ses[i % ses.length];
    const k = list.indexOf(se);
    if (k >= 0) list.splice(k, 1);
    else list.push(se);
  },
};

const text = (routes: readonly InjectedRoute[]) => routes.map((r) => `${r.tier1} ${r.prefix.addr}/${r.prefix.len} ${r.nextHops.join(',')} ${r.advertiseAs} ${r.origin}`);
const groupsText = (g: InjectedGroups) => [...g].sort((a, b) => a[0].localeCompare(b[0])).map(([t, list]) => `${t}: ${text(list).join(' | ')}`);

interface Step {
  readonly scenario: Scenario;
  readonly realized: Realized;
  readonly routes: readonly InjectedRoute[];
  readonly groups: InjectedGroups;
}

const first: Step = (() => {
  const realized = realize(base);
  const routes = injectedRoutes(realized.avi);
  return { scenario: base, realized, routes, groups: groupByTier1(routes) };
})();

/** One edit from `from`: its routes and grouping patched, checked against scratch. Returns the step and whether the grouping was patched. */
function step(from: Step, recipe: Recipe): { next: Step; regrouped: boolean } {
  const scenario = produce(from.scenario, recipe);
  const realized = realize(scenario, from.scenario);
  const routes = injectedRoutes(realized.avi, { avi: from.realized.avi, routes: from.routes });
  expect(text(routes)).toEqual(text(injectedRoutes(realized.avi)));
  const patched = patchGroups(from.routes, from.groups, routes);
  const groups = patched ?? groupByTier1(routes);
  expect(groupsText(groups)).toEqual(groupsText(groupByTier1(routes)));
  if (patched !== null && routes !== from.routes) {
    // The groups not touched are the previous arrays.
    const change = groupsChange(patched)!;
    for (const [t, list] of patched) if (!change.tier1s.has(t)) expect(list).toBe(from.groups.get(t));
  }
  return { next: { scenario, realized, routes, groups }, regrouped: patched === null };
}

describe('VIP routes and their grouping by Tier-1, patched from the previous realization', () => {
  it('a virtual service disabled, then enabled again: a route removed, then inserted at its place, each patched without regrouping', () => {
    for (const i of [0, 17, 59]) {
      const off = step(first, edits.toggle(i));
      expect(off.next.routes.length).toBe(first.routes.length - 1);
      expect(off.regrouped).toBe(false);
      const on = step(off.next, edits.toggle(i));
      expect(on.next.routes.length).toBe(first.routes.length);
      expect(on.regrouped).toBe(false);
      expect(text(on.next.routes)).toEqual(text(first.routes));
    }
  });

  it('equal the lists and groupings made from scratch along random chains of edits (property)', () => {
    const edit = fc.tuple(fc.constantFrom(...Object.keys(edits)), fc.nat({ max: 500 }));
    fc.assert(
      fc.property(fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }), (chain) => {
        let at = first;
        for (const batch of chain) {
          at = step(at, (d) => {
            for (const [k, i] of batch) edits[k](i)(d);
          }).next;
        }
      }),
      { numRuns: 40, seed: 20261127 },
    );
  });
});
