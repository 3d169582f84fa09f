// A FIB block patched from the previous block (fib/compile.ts BlockWriter.patch: the same route
// objects keep their entries, only the prefixes whose routes differ are compiled) equals the block
// compiled from the whole table: every LPM interval of every component, the entry it lands on
// (prefix, route position) and that entry's next hops, after random edits of the bundled
// scenarios and of a generated BGP fabric.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { produce, type Draft } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { validateScenario } from '../../src/topology/validate.js';
import { generateSize } from '../../src/topology/generate.js';
import { formatIp } from '../../src/topology/ip.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { compile, entryGroups, type CompiledNetwork } from '../../src/engine/fib/compile.js';
import { intervalValue, lpmLookup } from '../../src/engine/fib/lpm.js';
import { Ribs, Route, nextHop, type RibRoute } from '../../src/engine/ribs/route.js';
import { editsOf } from './incremental-edits.js';

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** Every component's FIB as what a lookup finds: each LPM interval with its entry's prefix, route and next hops. */
function fibState(c: CompiledNetwork): string[] {
  return c.fib.map((t, comp) => {
    const rib = c.routing.ribs[comp];
    const lines: string[] = [];
    for (let i = 0; i < t.size; i++) {
      const e = intervalValue(t, i);
      if (e < 0) {
        lines.push(`${formatIp(t.starts[i])} -`);
        continue;
      }
      const hops: string[] = [];
      for (let nh = entryGroups(c)[2 * e]; nh < entryGroups(c)[2 * e] + entryGroups(c)[2 * e + 1]; nh++) {
        const route = rib[c.entryRoute[e] + c.nhRoute[nh]];
        hops.push(`${c.nhKind[nh]}:${formatIp(c.nhIp[nh])}:${c.nhInterface[nh]}:${c.nhDomain[nh]}:${c.nhExternal[nh]}:${c.nhComponent[nh]}:${c.nhOwner[nh]}:${c.nhProxy[nh]}:${route.origin}`);
      }
      const first = rib[c.entryRoute[e]];
      lines.push(`${formatIp(t.starts[i])} ${formatIp(c.entryAddr[e])}/${c.entryLen[e]} route ${c.entryRoute[e]} (${formatIp(first.prefix.addr)}/${first.prefix.len}) ${hops.join(' ')}`);
    }
    return lines.join('\n');
  });
}

/** The updated twin's FIB compiled from the previous one with every changed block patched, and with every changed block compiled whole. */
function bothWays(before: Twin, after: Twin): [string[], string[]] {
  const changed = new Set<number>();
  after.routing.ribs.forEach((rib, c) => rib !== before.routing.ribs[c] && changed.add(c));
  const s = after.realized.scenario;
  const patched = compile(after.network, after.routing, s, after.compiled.lb, { previous: before.compiled, changed, patchFrom: 0 });
  const whole = compile(after.network, after.routing, s, after.compiled.lb, { previous: before.compiled, changed, patchFrom: Infinity });
  expect(patched.blockEntries).toEqual(whole.blockEntries);
  return [fibState(patched), fibState(whole)];
}

const edit = (s: Scenario, recipe: (d: Draft<Scenario>) => void) => produce(s, recipe);

describe('a patched FIB block = the block compiled from the whole table', () => {
  const lab = loadScenarioFile('scenarios/reference-lab.yaml').scenario;
  const tier0 = Object.keys(lab.tier0s!)[0];
  const addStatic = (network: string) => (d: Draft<Scenario>) => void (d.tier0s![tier0].staticRoutes ??= []).push({ network, nextHops: [{ blackhole: true }] });

  it('a prefix added before, between and after the others, and one removed', () => {
    const t = new Twin(lab);
    for (const network of ['0.0.0.1/32', '10.0.0.0/9', '172.16.99.0/24', '255.255.255.255/32']) {
      const u = t.update(edit(lab, addStatic(network)));
      const [patched, whole] = bothWays(t, u);
      expect(patched, network).toEqual(whole);
      // And back: the prefix removed.
      const back = u.update(lab);
      const [p2, w2] = bothWays(u, back);
      expect(p2, `${network} removed`).toEqual(w2);
      expect(p2).toEqual(fibState(t.compiled));
    }
  });

  it('a prefix whose routes change but stay (another route of the same prefix, another selection)', () => {
    const t = new Twin(lab);
    const table = t.routes({ gateway: tier0, component: 'dr' }).routes;
    const prefix = table.find((r) => r.type !== 'connected' && r.prefix !== '0.0.0.0/0')!.prefix;
    for (const distance of [250, 1]) {
      const u = t.update(edit(lab, (d) => void (d.tier0s![tier0].staticRoutes ??= []).push({ network: prefix, nextHops: [{ blackhole: true, distance }] })));
      const [patched, whole] = bothWays(t, u);
      expect(patched, `${prefix} distance ${distance}`).toEqual(whole);
    }
  });

  it('a route added to or removed from a prefix whose first route stays the same object (ECMP grown or shrunk)', () => {
    const t = new Twin(lab);
    const comp = t.network.gateways.get(tier0)!.dr;
    const table = t.routing.ribs[comp];
    const k = table.findIndex((r) => r.selected && r.type !== 'connected' && r.nextHops.length === 1 && r.nextHops[0].interface !== null && r.nextHops[0].ip !== null);
    const r = table[k];
    const other = new Route(comp, r.prefix, r.type, r.distance, [nextHop((r.nextHops[0].ip! + 1) | 0, r.nextHops[0].interface)], 'a second path');
    other.selected = true;
    const at = (rib: readonly RibRoute[]) => {
      const ribs = t.routing.ribs.slice();
      ribs[comp] = rib;
      return new Ribs(ribs);
    };
    const grown = [...table.slice(0, k + 1), other, ...table.slice(k + 1)];
    const compiled = (routing: Ribs, previous: CompiledNetwork, patchFrom: number) => compile(t.network, routing, t.realized.scenario, t.compiled.lb, { previous, changed: new Set([comp]), patchFrom });
    const patched = compiled(at(grown), t.compiled, 0);
    expect(fibState(patched)).toEqual(fibState(compiled(at(grown), t.compiled, Infinity)));
    // Two next hops for that prefix now, the first one's route still at the same position.
    const e = lpmLookup(patched.fib[comp], r.prefix.addr >>> 0);
    expect(entryGroups(patched)[2 * e + 1]).toBe(2);
    // And shrunk back to the one route.
    const shrunk = compile(t.network, t.routing, t.realized.scenario, t.compiled.lb, { previous: patched, changed: new Set([comp]), patchFrom: 0 });
    expect(fibState(shrunk)).toEqual(fibState(t.compiled));
  });

  it('blocks with the same prefixes share one LPM table, each with its own base (the ToRs, the A/A SRs of a Tier-0)', () => {
    const t = new Twin(generateSize('S'));
    const c = t.compiled;
    const tors = [...t.network.routerByName.values()];
    const srs = [...t.network.gateways.values()].find((g) => g.srs.length > 2)!.srs;
    for (const group of [tors, srs]) {
      expect(group.length).toBeGreaterThan(2);
      for (const comp of group) {
        expect(c.fib[comp].starts, t.network.components[comp].name).toBe(c.fib[group[0]].starts);
        expect(c.fib[comp].base).toBe(c.blockStart[comp]);
      }
    }
    // Each looks up its own entries: every selected prefix lands in its own block, on an entry of that prefix.
    for (const comp of [...tors, ...srs]) {
      for (const r of t.routing.ribs[comp]) {
        if (!r.selected || r.prefix.len === 0) continue;
        const e = lpmLookup(c.fib[comp], r.prefix.addr >>> 0);
        expect(e - c.blockStart[comp]).toBeGreaterThanOrEqual(0);
        expect(e - c.blockStart[comp]).toBeLessThan(c.blockEntries[comp]);
        if (c.entryLen[e] === r.prefix.len) expect(c.entryAddr[e]).toBe(r.prefix.addr >>> 0);
      }
    }
  });

  it('a block whose prefixes did not move keeps its entries in place, only the changed ones given new groups; a table mostly emptied is compiled whole', () => {
    const s = generateSize('S');
    const t = new Twin(s);
    const tor = [...t.network.routerByName.keys()][0];
    const u = t.update(produce(s, (d) => void (d.failed ??= []).push(tor)));
    const srs = [...u.network.gateways.values()].find((g) => g.srs.length > 2)!.srs;
    const patch = u.compiled.groupPatch!;
    expect(patch).not.toBeNull();
    for (const sr of srs) {
      // The SR's table changed (its default route lost the ToR's path), its prefixes did not:
      // its block is where it was, with its LPM arrays, and only its default route's entry has a new group.
      expect(u.routing.ribs[sr]).not.toBe(t.routing.ribs[sr]);
      expect(u.compiled.fib[sr].starts, u.network.components[sr].name).toBe(t.compiled.fib[sr].starts);
      expect(u.compiled.blockStart[sr]).toBe(t.compiled.blockStart[sr]);
      expect(u.compiled.fib[sr].base).toBe(u.compiled.blockStart[sr]);
      const from = u.compiled.blockStart[sr];
      const to = from + u.compiled.blockEntries[sr];
      const mine: number[] = [];
      for (let k = 0; k < patch.length; k += 3) if (patch[k] >= from && patch[k] < to) mine.push(patch[k]);
      // The patched entries are those whose prefix's routes are other objects now (at the same positions).
      const changed: number[] = [];
      for (let x = from; x < to; x++) if (u.routing.ribs[sr][u.compiled.entryRoute[x]] !== t.routing.ribs[sr][u.compiled.entryRoute[x]]) changed.push(x);
      expect(mine).toEqual(changed);
      const e = lpmLookup(u.compiled.fib[sr], 0x08080808);
      expect(mine).toContain(e);
      expect(mine.length).toBeLessThan(u.compiled.blockEntries[sr] / 8);
      expect(entryGroups(u.compiled)[2 * e + 1]).toBe(entryGroups(t.compiled)[2 * e + 1] - 1);
    }
    // No entry was written again for them: the entry columns are the previous ones (the failed ToR's block aside).
    expect(u.compiled.entryRoute.length - t.compiled.entryRoute.length).toBe(u.compiled.blockEntries[u.network.routerByName.get(tor)!]);
    // The failed ToR's block holds its connected routes alone, in a table of its own, equal to a compilation from scratch.
    const comp = u.network.routerByName.get(tor)!;
    expect(u.compiled.blockEntries[comp]).toBeLessThan(t.compiled.blockEntries[comp] / 2);
    expect(u.compiled.fib[comp].starts).not.toBe(t.compiled.fib[comp].starts);
    const [patched, whole] = bothWays(t, u);
    expect(patched).toEqual(whole);
  });

  it('entries given new groups in place stay right through later edits: blocks patched from them, kept, compacted, and given their old groups back', () => {
    const s = generateSize('S');
    const t = new Twin(s);
    const tor = [...t.network.routerByName.keys()][1];
    const vs = Object.keys(s.avi!.virtualServices!)[0];
    const steps: Scenario[] = [];
    let cur = produce(s, (d) => void (d.failed ??= []).push(tor));
    steps.push(cur);
    // A host failed (Tier-1 tables change, the SRs' do not: their blocks and patched entries kept), and back.
    const host = Object.keys(s.transportNodes).find((n) => s.transportNodes[n].type === 'host')!;
    steps.push((cur = produce(cur, (d) => void d.failed!.push(host))));
    steps.push((cur = produce(cur, (d) => void (d.failed = d.failed!.filter((n) => n !== host)))));
    // A VIP withdrawn (the SR blocks written again, from the patched ones), then the ToR back, then the VIP back.
    steps.push((cur = produce(cur, (d) => void (d.avi!.virtualServices![vs].enabled = false))));
    steps.push((cur = produce(cur, (d) => void (d.failed = d.failed!.filter((n) => n !== tor)))));
    steps.push((cur = produce(cur, (d) => void (d.avi!.virtualServices![vs].enabled = true))));
    // The ToR down and up again a few times: the previous patches carried, then replaced.
    for (let k = 0; k < 6; k++) steps.push((cur = produce(cur, (d) => void (k % 2 === 0 ? (d.failed ??= []).push(tor) : (d.failed = d.failed!.filter((n) => n !== tor))))));
    let twin = t;
    let patched = 0;
    let compacted = 0;
    let carried = 0;
    const srs = [...t.network.gateways.values()].find((g) => g.srs.length > 2)!.srs;
    for (const [k, next] of steps.entries()) {
      const before = twin;
      twin = twin.update(next);
      if (before.compiled.groupPatch !== null && srs.every((sr) => twin.routing.ribs[sr] === before.routing.ribs[sr])) carried++;
      if (twin.compiled.groupPatch !== null) patched++;
      if (twin.compiled.compacted) compacted++;
      expect(fibState(twin.compiled), `step ${k}`).toEqual(fibState(new Twin(next).compiled));
    }
    expect(patched).toBeGreaterThan(2);
    expect(compacted).toBeGreaterThan(0);
    expect(carried).toBeGreaterThan(0);
    // Back where it started: the same answers as the first build.
    expect(fibState(twin.compiled)).toEqual(fibState(t.compiled));
  });

  const scenarios: [string, Scenario][] = [...bundled().map((f): [string, Scenario] => [f, loadScenarioFile(f).scenario]), ['generated S', generateSize('S')]];
  for (const [name, start] of scenarios) {
    it(`random edits of ${name}`, () => {
      const edits = editsOf(start);
      if (!edits.length) return;
      const base = new Twin(start);
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (picks) => {
          let s = start;
          let t = base;
          for (const k of picks) {
            const next = edit(s, editsOf(s)[k % editsOf(s).length]?.recipe ?? (() => {}));
            if (validateScenario(next, () => ({ file: 'edit' })).length) continue;
            const u = t.update(next);
            const [patched, whole] = bothWays(t, u);
            expect(patched).toEqual(whole);
            s = next;
            t = u;
          }
        }),
        { numRuns: name === 'generated S' ? 4 : 6, seed: 7 },
      );
    }, 120_000);
  }
});
