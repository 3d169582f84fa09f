// Edits of a scenario's virtual services shared by the load-balancer tests: a VIP given a new
// address, and a virtual service added as a copy of another (no FQDN, its own VIP).
import type { Draft } from 'immer';
import type { Scenario } from '../../src/topology/scenario.js';

type Recipe = (d: Draft<Scenario>) => void;

/** The i-th virtual service (of `names`, round) given the VIP 198.51.100.(10 + i mod 200). */
export const newVipRecipe = (names: readonly string[]) => (i: number): Recipe => (d) => void (d.avi!.virtualServices![names[i % names.length]].vip = { address: `198.51.100.${10 + (i % 200)}` });

/** `added-i`: a copy of the i-th virtual service with the VIP 198.51.101.(10 + i mod 200) and no FQDN. */
export const addVirtualServiceRecipe = (names: readonly string[]) => (i: number): Recipe => (d) => {
  const copy = JSON.parse(JSON.stringify(d.avi!.virtualServices![names[i % names.length]])) as Record<string, unknown>;
  delete copy.fqdns;
  copy.vip = { address: `198.51.101.${10 + (i % 200)}` };
  d.avi!.virtualServices![`added-${i}`] = copy as never;
};
