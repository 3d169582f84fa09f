// The load balancer's tables patched from the previous ones (fib/load-balancer.ts
// patchLoadBalancer: a few virtual services placed differently, the VIP host table copied and
// those virtual services' pairs removed and added again) must equal the tables built from
// scratch: every (SE NIC, VIP) → virtual service pair, the ARP entries in order, the SE of each
// NIC. Checked on a generated deployment for virtual services disabled, added, given another VIP,
// turned off for traffic, for chains of such edits, and for random subsets of them (property).
import fc from 'fast-check';
import { applyPatches, enablePatches, freeze, produce, produceWithPatches, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/topology/generate.js';
import { aviRuntimeChange, realize } from '../../src/topology/realize/index.js';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { compileLoadBalancer, type CompiledLoadBalancer } from '../../src/engine/fib/load-balancer.js';
import { MISSING } from '../../src/engine/fib/pair-hash.js';
import type { ExpandedNetwork } from '../../src/engine/model/expand.js';
import { addVirtualServiceRecipe, newVipRecipe } from './avi-edit-recipes.js';

enablePatches();
const base = generateScenario({ tier1s: 6, segmentsPerTier1: 2, workloadsPerSegment: 2, hosts: 4, edges: 2, centralizedEvery: 2, virtualServices: 60 });
freeze(base, true);
const twin = new Twin(base);
const names = Object.keys(base.avi!.virtualServices!);

/** Every pair the table answers for, the ARP entries and the SEs of the NICs, as text. */
function tablesOf(net: ExpandedNetwork, lb: CompiledLoadBalancer): string[] {
  const out: string[] = [`pairs ${lb.vipHost.size}`];
  // The pairs a build makes: every placed VIP on every SE NIC endpoint (and nothing else, by size).
  for (const vs of lb.avi.virtualServices) {
    for (const nic of vs.nics) {
      const ep = net.endpointByName.get(nic)!;
      const v = lb.vipHost.get(ep, vs.vip);
      out.push(`${nic} ${vs.vip} → ${v === MISSING ? '-' : lb.avi.virtualServices[v].name}`);
    }
  }
  for (const e of lb.arpEntries) out.push(`arp ${e.domain} ${e.vip} ${e.endpoint}`);
  for (const [ep, se] of [...lb.seOfEndpoint].sort((a, b) => a[0] - b[0])) out.push(`se ${ep} ${se}`);
  // The VIPs each NIC holds: what the table holds on it, as a set.
  for (const [ep, vips] of [...lb.nicVips].sort((a, b) => a[0] - b[0])) out.push(`nic ${ep}: ${[...vips].sort((x, y) => x - y).join(' ')}`);
  let held = 0;
  lb.vipHost.scan((ep, vip) => {
    held++;
    if (!lb.nicVips.get(ep)?.includes(vip)) out.push(`pair ${ep} ${vip} missing from its NIC's list`);
  });
  out.push(`listed ${[...lb.nicVips.values()].reduce((n, l) => n + l.length, 0)} of ${held}`);
  return out;
}

type Recipe = (d: Draft<Scenario>) => void;
const edits: Record<string, (i: number) => Recipe> = {
  disable: (i) => (d) => void (d.avi!.virtualServices![names[i % names.length]].enabled = false),
  noTraffic: (i) => (d) => void (d.avi!.virtualServices![names[i % names.length]].trafficEnabled = false),
  newVip: newVipRecipe(names),
  add: addVirtualServiceRecipe(names),
};

/** Patched from `from`'s tables (when the model is the same) and built whole: the same tables. */
function expectPatchedEqualsBuilt(from: Twin, next: Scenario): boolean {
  const avi = realize(next).avi!;
  const net = from.network;
  const previous = from.compiled.lb!;
  const patched = compileLoadBalancer(net, avi, previous);
  const built = compileLoadBalancer(net, avi);
  expect(tablesOf(net, patched)).toEqual(tablesOf(net, built));
  // Whether the update patched (a new table, not the previous one, not a build of its own).
  return patched.vipHost !== previous.vipHost && patched.vipHost.size !== 0;
}

describe('load balancer tables patched from the previous ones', () => {
  it('equal a build for each kind of edit, and are patched (not built again)', () => {
    for (const [kind, edit] of Object.entries(edits)) {
      for (const i of [0, 7, 31, 59]) {
        const next = produce(base, edit(i));
        expect(expectPatchedEqualsBuilt(twin, next), `${kind} ${i}`).toBe(true);
      }
    }
  });

  it('equal a build after random sets of edits, the previous tables themselves patched (property)', () => {
    const edit = fc.tuple(fc.constantFrom(...Object.keys(edits)), fc.nat({ max: 500 }));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (first, second) => {
        const mid = produce(base, (d) => {
          for (const [k, i] of first) edits[k](i)(d);
        });
        const from = twin.update(mid);
        const next = produce(mid, (d) => {
          for (const [k, i] of second) edits[k](i)(d);
        });
        expectPatchedEqualsBuilt(from, next);
      }),
      { numRuns: 40, seed: 20261127 },
    );
  });

  it('a VIP inside an SE data subnet (its SE answers ARP): the ARP entries follow the edit', () => {
    const lab = loadScenarioFile('scenarios/avi/vip-in-se-subnet.yaml').scenario;
    const labTwin = new Twin(lab);
    expect(labTwin.compiled.lb!.arpEntries.length).toBe(1);
    const vs = 'ops-portal';
    const off = produce(lab, (d) => void (d.avi!.virtualServices![vs].trafficEnabled = false));
    expectPatchedEqualsBuilt(labTwin, off);
    expect(compileLoadBalancer(labTwin.network, realize(off).avi!, labTwin.compiled.lb!).arpEntries).toEqual([]);
    // And back on, from the twin where it was off.
    const offTwin = labTwin.update(off);
    const on = produce(off, (d) => void (d.avi!.virtualServices![vs].trafficEnabled = true));
    expectPatchedEqualsBuilt(offTwin, on);
    expect(compileLoadBalancer(offTwin.network, realize(on).avi!, offTwin.compiled.lb!).arpEntries.length).toBe(1);
  });

  it('across a failure (another model of the same shape): SEs, hosts and SE NICs failed and restored, patched equals built', () => {
    const ses = Object.keys(base.avi!.seGroups!).flatMap((g) => Object.keys(base.avi!.seGroups![g].serviceEngines));
    const hosts = Object.keys(base.transportNodes).filter((n) => base.transportNodes[n].type === 'host');
    // A data NIC other than an SE's first (that one is named like the SE): failed on its own, the
    // SE stays up and its virtual services stay placed — only the NIC's pairs go (and come back).
    const nic = twin.realized.avi!.serviceEngines.flatMap((se) => se.nics.slice(1)).find((n) => n.tier1 !== null)!.workload;
    expect(twin.realized.avi!.virtualServices.some((vs) => vs.nics.includes(nic))).toBe(true);
    const failures = [[ses[0]], [ses[1], ses[2]], [hosts[0]], [nic], [ses[0], nic]];
    let patchedAcross = 0;
    for (const names of failures) {
      const failed = produce(base, (d) => void (d.failed = names));
      const down = twin.update(failed);
      // Failed, from the twin without failures; and restored, from the failed twin.
      for (const [from, to] of [
        [twin, down],
        [down, twin.update(produce(failed, (d) => void delete d.failed))],
      ] as const) {
        const avi = to.realized.avi!;
        const patched = compileLoadBalancer(to.network, avi, from.compiled.lb!, from.network);
        expect(tablesOf(to.network, patched), names.join(',')).toEqual(tablesOf(to.network, compileLoadBalancer(to.network, avi)));
        // What the update itself compiled is the same.
        expect(tablesOf(to.network, to.compiled.lb!)).toEqual(tablesOf(to.network, patched));
        // Patched, not built again (a build makes its own map of SE NICs).
        if (patched.seOfEndpoint === from.compiled.lb!.seOfEndpoint) patchedAcross++;
      }
    }
    expect(patchedAcross).toBeGreaterThan(4);
  });

  it('an undo of virtual services appended: the tables patched back (the appended pairs removed), not built again', () => {
    for (const i of [0, 7, 31]) {
      const [added, , inverse] = produceWithPatches(base, (d) => {
        edits.add(i)(d);
        edits.add(i + 100)(d);
      });
      const up = twin.update(added);
      expect(aviRuntimeChange(up.realized.avi!)?.from).toBe(twin.realized.avi);
      const back = applyPatches(added, inverse);
      const down = up.update(back);
      // The realization the addition was patched from, and tables patched from the added ones.
      expect(down.realized.avi).toBe(twin.realized.avi);
      expect(down.compiled.lb!.seOfEndpoint).toBe(up.compiled.lb!.seOfEndpoint);
      expect(tablesOf(down.network, down.compiled.lb!), `undo of add ${i}`).toEqual(tablesOf(down.network, compileLoadBalancer(down.network, down.realized.avi!)));
      expect(tablesOf(down.network, down.compiled.lb!)).toEqual(tablesOf(twin.network, twin.compiled.lb!));
    }
  });

  it('the update of a twin serves the same VIPs as a fresh build (a trace to an added VIP)', () => {
    const next = produce(base, edits.add(3));
    const updated = twin.update(next);
    const fresh = new Twin(next);
    expect(tablesOf(updated.network, updated.compiled.lb!)).toEqual(tablesOf(fresh.network, fresh.compiled.lb!));
  });
});
