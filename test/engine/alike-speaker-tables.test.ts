// A BGP speaker whose routes are an earlier speaker's but for their next hops (the ToRs of a
// fabric: bgp/control-plane bgpRibInstallation, ribs/install alikeTable) has its installed table
// made of that speaker's (RibTable.sharing) instead of one route per prefix. Against the same
// twin with every speaker installed whole (alikeSpeakers.enabled off): the same routing tables,
// FIBs, ARP and rules, BGP tables and traces, on the bundled scenarios and a generated fabric,
// built and after random edits (edges and ToRs failing and back: the alike tables remapped and
// patched); where the routes are not alike, or sharing would not be exact, the table is
// installed whole.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { produce, type Draft } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { validateScenario } from '../../src/topology/validate.js';
import { generateSize } from '../../src/topology/generate.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { alikeSpeakers } from '../../src/engine/bgp/control-plane.js';
import { RibTable } from '../../src/engine/ribs/table.js';
import { alignTables, type RibRoute } from '../../src/engine/ribs/route.js';
import { samePrefix } from '../../src/topology/ip.js';
import { HopCopier } from '../../src/engine/ribs/shared-tables.js';
import { arpOf, bgpOf, fibsOf, rulesOf, tablesOf, tracesOf } from './incremental-edits.js';
import { agreesWithPlainBuild, builtWith, bundledScenarios, madeOfAnother } from './shared-tables-helpers.js';

const defaults = { ...alikeSpeakers };
// Every speaker considered, however few its routes (the default leaves small tables whole).
beforeEach(() => void (alikeSpeakers.minRoutes = 0));
afterEach(() => void Object.assign(alikeSpeakers, defaults));

/** The twin of `s` with alike speakers' tables made of another's (true) or every one installed whole. */
const built = (s: Scenario, share: boolean): Twin => builtWith(alikeSpeakers, 'enabled', share, s);

/** The physical routers whose installed table is made of another component's and not made yet. */
const sharedRouters = (t: Twin): string[] => madeOfAnother(t, 'PHYSICAL_ROUTER');

/** Everything a user can read of a twin; the traces first, read while shared tables are not made. */
function stateOf(t: Twin): Record<string, string[]> {
  const traces = tracesOf(t);
  return { traces, tables: tablesOf(t), fibs: fibsOf(t), arp: arpOf(t), rules: rulesOf(t), bgp: bgpOf(t) };
}

const scenarios: [string, Scenario][] = [...bundledScenarios().map((f): [string, Scenario] => [f, loadScenarioFile(f).scenario]), ['generated S', generateSize('S')]];

describe('a ToR\'s table made of another ToR\'s = installed whole', () => {
  it('the generated fabric: seven ToRs made of the first one\'s BGP routes, through installation and the FIB; the state is the whole installation\'s', () => {
    const s = generateSize('S');
    const t = built(s, true);
    const tors = Object.keys(s.physicalRouters!);
    expect(tors).toHaveLength(8);
    expect(sharedRouters(t)).toEqual(tors.slice(1));
    const first = t.network.components.find((c) => c.name === tors[0])!.id;
    const second = t.network.components.find((c) => c.name === tors[1])!.id;
    const layer = t.routing.ribs[second].sharedLayer()!;
    // The first ToR's BGP routes by position; the second's own routes are its connected ones.
    expect(layer.base).toBe(t.routing.ribs[first]);
    expect(layer.own.every((r) => r.type === 'connected' && r.component === second)).toBe(true);
    let shared = 0;
    for (const p of RibTable.positions(layer)) if (p >= 0) shared++;
    expect(shared).toBe(t.routing.ribs[first].filter((r) => r.type === 'bgp').length);
    expect(shared).toBeGreaterThan(500);
    // A trace from a client crosses a ToR: its route is reported without making the table.
    const vip = t.realized.avi!.virtualServices[0].vip;
    const trace = t.trace({ from: 'client-01', to: `${vip >>> 24}.${(vip >>> 16) & 255}.${(vip >>> 8) & 255}.${vip & 255}`, proto: 'tcp', dport: 443 });
    expect(trace.paths.some((p) => p.hops.some((h) => h.componentType === 'PHYSICAL_ROUTER' && h.route?.type === 'bgp'))).toBe(true);
    expect(sharedRouters(t)).toEqual(tors.slice(1));
    const whole = built(s, false);
    expect(sharedRouters(whole)).toEqual([]);
    expect(stateOf(t)).toEqual(stateOf(whole));
    // Made when read: the second ToR's BGP routes are its own (its component, its uplink).
    const r = t.routing.ribs[second].find((x) => x.type === 'bgp')!;
    expect(r.component).toBe(second);
    const itf = t.network.interfaces[r.nextHops[0].interface!];
    expect(t.network.components[itf.component].name).toBe(tors[1]);
  });

  agreesWithPlainBuild(scenarios, built, stateOf, 'every speaker installed whole', (name) => (name === 'generated S' ? 6 : 4), 17);

  it('the generated fabric, an edge failed and back, then a ToR: each state the whole installation\'s', () => {
    const s = generateSize('S');
    const edge = Object.keys(s.transportNodes).filter((n) => s.transportNodes[n].type === 'edge')[1];
    const tor = Object.keys(s.physicalRouters!)[2];
    const steps: ((d: Draft<Scenario>) => void)[] = [
      (d) => void (d.failed = [edge]),
      (d) => void (d.failed = []),
      (d) => void (d.failed = [tor]),
      (d) => void (d.failed = []),
    ];
    const second = (t: Twin) => t.network.components.find((c) => c.name === Object.keys(s.physicalRouters!)[1])!.id;
    let at = built(s, true);
    let cur = s;
    for (const [k, step] of steps.entries()) {
      cur = produce(cur, step);
      expect(validateScenario(cur, () => ({ file: 'edit' }))).toEqual([]);
      at = at.update(cur);
      if (k === 0) {
        // The edge failed: the second ToR lost a path of every route, its table the previous one
        // remapped, and the update (installation, FIB, route diff) made neither.
        const table = at.routing.ribs[second(at)];
        expect(table.remapLayer()?.base.sharedLayer()).not.toBeNull();
        expect(at.report.changedTables).toBeGreaterThan(0);
      }
      expect(stateOf(at)).toEqual(stateOf(built(cur, false)));
    }
  });
});

describe('where a ToR\'s routes are not alike, or sharing would not be exact, its table is installed whole', () => {
  const s = generateSize('S');
  const tors = Object.keys(s.physicalRouters!);
  const first = built(s, true);
  // A Tier-1 segment's prefix, which every ToR learns by BGP.
  const dr = first.network.gateways.get(Object.keys(s.tier0s!)[0])!.dr;
  const t1c = first.base.ribs[dr].find((x) => x.type === 't1c')!.prefix;
  const learned = `${t1c.addr >>> 24}.${(t1c.addr >>> 16) & 255}.${(t1c.addr >>> 8) & 255}.${t1c.addr & 255}/${t1c.len}`;
  const cases: [string, (d: Draft<Scenario>) => void, string[]][] = [
    // Its own static for a learned prefix: its selection reads the BGP route too.
    ['a ToR\'s static route for a learned prefix', (d) => void (d.physicalRouters![tors[3]].staticRoutes ??= []).push({ name: 'pin', network: learned, nextHops: [{ blackhole: true }] }), tors.filter((_, k) => k !== 0 && k !== 3)],
    // The first ToR's own static for a learned prefix: its BGP route there is not selected, so no
    // other ToR's table can be made of its table (every other one is alike to it by BGP).
    ['the first ToR\'s static route for a learned prefix', (d) => void (d.physicalRouters![tors[0]].staticRoutes ??= []).push({ name: 'pin', network: learned, nextHops: [{ blackhole: true }] }), []],
  ];
  for (const [label, recipe, expected] of cases) {
    it(`${label}: the others shared or not as said; the state is the whole installation's`, () => {
      const next = produce(s, recipe);
      expect(validateScenario(next, () => ({ file: 'edit' }))).toEqual([]);
      const t = built(next, true);
      expect(sharedRouters(t)).toEqual(expected);
      expect(stateOf(t)).toEqual(stateOf(built(next, false)));
    });
  }

  it('at the default threshold, small tables are installed whole', () => {
    alikeSpeakers.minRoutes = defaults.minRoutes;
    expect(sharedRouters(built(s, true))).toEqual([]);
  });
});

describe('tables made of another\'s aligned through their shapes (ribs/route alignTables), none made', () => {
  it('a ToR\'s table against its table before BGP (the ToR failed): every BGP prefix differs, its connected routes are the same', () => {
    alikeSpeakers.minRoutes = 0;
    const s = generateSize('S');
    const t = built(s, true);
    const second = t.network.components.find((c) => c.name === Object.keys(s.physicalRouters!)[1])!.id;
    const table = t.routing.ribs[second];
    const before = t.base.ribs[second];
    const differ: string[] = [];
    const same: [number, number, number][] = [];
    alignTables(table, before, (i, i2, shift) => void same.push([i, i2, shift]), (i, i2, j, j2) => void differ.push(`${i}-${i2}/${j}-${j2}`));
    expect(table.sharedLayer()).not.toBeNull();
    // What a walk over the made routes finds: each BGP route's prefix on its own, the connected ones the same.
    const made = table.toArray();
    const expected: string[] = [];
    let j = 0;
    for (let i = 0; i < made.length; i++) {
      if (made[i].type === 'bgp') expected.push(`${i}-${i + 1}/${j}-${j}`);
      else j++;
    }
    expect(differ).toEqual(expected);
    expect(same.reduce((n, [i, i2]) => n + i2 - i, 0)).toBe(before.length);
  });

  it('an SR\'s table against itself spliced at random prefixes: exactly those prefixes differ', () => {
    const t = built(generateSize('S'), true);
    const sr = t.network.components.find((c) => c.type === 'T0_SR')!.id;
    const table = t.routing.ribs[sr];
    const starts: number[] = [];
    for (let i = 0; i < table.length; i++) if (i === 0 || !samePrefix(table.shapeAt(i - 1).prefix, table.shapeAt(i).prefix)) starts.push(i);
    starts.push(table.length);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: starts.length - 2 }), { minLength: 1, maxLength: 6 }), (picked) => {
        const ks = [...picked].sort((a, b) => a - b);
        const at: number[] = [];
        const runs: RibRoute[][] = [];
        const size = table.length;
        for (const k of ks) {
          at.push(starts[k], starts[k + 1]);
          // The same routes as new objects: the same content, never the same references.
          runs.push(Array.from({ length: starts[k + 1] - starts[k] }, (_, q) => table.routeAt(starts[k] + q)));
        }
        const spliced = table.spliced(at, runs, size);
        expect(spliced.sharedLayer()).not.toBeNull();
        const differ: number[] = [];
        alignTables(table, spliced, null, (i) => void differ.push(i));
        expect(differ).toEqual(ks.map((k) => starts[k]));
        expect(table.sharedLayer()).not.toBeNull();
      }),
      { numRuns: 30, seed: 5 },
    );
  });
});

describe('two tables made of one base with other next hops', () => {
  it('align where their lists differ, though their shapes are the same objects', () => {
    const t = built(generateSize('S'), true);
    const sr = t.network.components.find((c) => c.type === 'T0_SR')!.id;
    const table = t.routing.ribs[sr];
    const layer = table.sharedLayer()!;
    const positions = RibTable.positions(layer);
    // The copier's lists, one of them replaced by a copy (the same hops, another list).
    const lists = new Map<RibRoute['nextHops'], RibRoute['nextHops']>();
    for (let i = 0; i < table.length; i++) if (positions[i] >= 0) lists.set(layer.base.at(positions[i]).nextHops, table.hopsAt(i));
    const [from, to] = [...lists][1];
    const other = new Map(lists).set(from, to.slice());
    const copy = RibTable.sharing(layer.base, positions, layer.own, new HopCopier(sr, other));
    const differ: number[] = [];
    alignTables(table, copy, null, (i, i2) => {
      for (let k = i; k < i2; k++) differ.push(k);
    });
    const expected: number[] = [];
    for (let i = 0; i < table.length; i++) if (positions[i] >= 0 && layer.base.at(positions[i]).nextHops === from) expected.push(i);
    expect(expected.length).toBeGreaterThan(0);
    expect(differ).toEqual(expected);
  });
});
