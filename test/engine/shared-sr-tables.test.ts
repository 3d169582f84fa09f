// A Tier-0 SR's table made of its DR's (ribs/shared-tables.ts: RibTable.sharing) against the
// same twin with every SR table built whole (ribSharing.srTables off): the same routing tables,
// FIBs, ARP and rules, BGP tables and traces, on the bundled scenarios and a generated fabric,
// built and after random edits; the stages that read every table (BGP, installation, the FIB)
// leave the shared tables unmade; and the cases where sharing would not be exact (an SR's own
// route for an advertised prefix, a static resolving through one, a BGP route for one) build the
// table whole.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { produce, type Draft } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { validateScenario } from '../../src/topology/validate.js';
import { generateSize } from '../../src/topology/generate.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { ribSharing } from '../../src/engine/ribs/compute.js';
import { RibTable, ribTableLimits } from '../../src/engine/ribs/table.js';
import { sameRoute, type RibRoute } from '../../src/engine/ribs/route.js';
import { arpOf, bgpOf, fibsOf, rulesOf, tablesOf, tracesOf } from './incremental-edits.js';
import { agreesWithPlainBuild, builtWith, bundledScenarios, madeOfAnother } from './shared-tables-helpers.js';

const sharing = ribSharing.srTables;
afterEach(() => void (ribSharing.srTables = sharing));

/** The twin of `s` built with SR tables shared (true) or each built whole. */
const built = (s: Scenario, share: boolean): Twin => builtWith(ribSharing, 'srTables', share, s);

/** The Tier-0 SRs whose table is made of the DR's and not made yet. */
const sharedSrs = (t: Twin): string[] => madeOfAnother(t, 'T0_SR', (c) => `${c.name}#${c.id}`);

/**
 * Everything a user can read of a twin: the load balancer's view (its NSX routes per virtual
 * service) and the traces first, read while a shared table's routes are not made; then every
 * table (which makes them).
 */
function stateOf(t: Twin): Record<string, string[]> {
  const avi = t.realized.avi ? [JSON.stringify(t.avi())] : [];
  const traces = tracesOf(t);
  return { avi, traces, tables: tablesOf(t), fibs: fibsOf(t), arp: arpOf(t), rules: rulesOf(t), bgp: bgpOf(t) };
}

const scenarios: [string, Scenario][] = [...bundledScenarios().map((f): [string, Scenario] => [f, loadScenarioFile(f).scenario]), ['generated S', generateSize('S')]];

describe('Tier-0 SR tables made of the DR\'s = built whole', () => {
  it('the generated fabric\'s eight SRs share the DR\'s table through BGP, installation and the FIB; the state is the whole build\'s', () => {
    const s = generateSize('S');
    const t = built(s, true);
    const srs = sharedSrs(t);
    expect(srs).toHaveLength(8);
    // The DR's Tier-1 routes are not copied: each SR's table lists the DR's by position.
    const sr = t.network.components.find((c) => c.type === 'T0_SR')!.id;
    const layer = t.routing.ribs[sr].sharedLayer()!;
    const dr = t.network.gateways.get(t.network.components[sr].name)!.dr;
    let shared = 0;
    for (const p of RibTable.positions(layer)) if (p >= 0) shared++;
    expect(shared).toBeGreaterThan(500);
    expect(layer.own.length + shared).toBe(t.routing.ribs[sr].length);
    expect(layer.base.length).toBe(t.base.ribs[dr].length);
    // A trace through an SR reports its route without making the table.
    const vip = t.realized.avi!.virtualServices[0].vip;
    const trace = t.trace({ from: 'client-01', to: `${vip >>> 24}.${(vip >>> 16) & 255}.${(vip >>> 8) & 255}.${vip & 255}`, proto: 'tcp', dport: 443 });
    expect(trace.paths.some((p) => p.hops.some((h) => h.componentType === 'T0_SR' && h.route !== undefined))).toBe(true);
    // So does the load balancer's view: a VIP's NSX routes on the SRs, with the SR's next hops.
    const view = t.avi({ vs: t.realized.avi!.virtualServices[0].name });
    const onSrs = view.virtualServices[0].nsxRoutes.filter((r) => r.component.includes('T0_SR'));
    expect(onSrs).toHaveLength(8);
    expect(new Set(onSrs.map((r) => r.component)).size).toBe(8);
    expect(sharedSrs(t)).toEqual(srs);
    const whole = built(s, false);
    expect(sharedSrs(whole)).toEqual([]);
    expect(stateOf(t)).toEqual(stateOf(whole));
    // Made when read: the SR routes are the SR's (its component, its next hops).
    const r = t.routing.ribs[sr].at(t.routing.ribs[sr].length - 1);
    expect(r.component).toBe(sr);
    expect(t.routing.ribs[sr].sharedLayer()).toBeNull();
  });

  agreesWithPlainBuild(scenarios, built, stateOf, 'every SR table built whole', (name) => (name === 'generated S' ? 4 : 5), 11);
});

describe('where sharing is not exact, the SR table is built whole', () => {
  const s = generateSize('S');
  const t0 = Object.keys(s.tier0s!)[0];
  const advertised = (t: Twin): string => {
    // A Tier-1 segment's prefix, advertised to the Tier-0.
    const dr = t.network.gateways.get(t0)!.dr;
    const r = t.base.ribs[dr].find((x) => x.type === 't1c')!;
    return `${r.prefix.addr >>> 24}.${(r.prefix.addr >>> 16) & 255}.${(r.prefix.addr >>> 8) & 255}.${r.prefix.addr & 255}/${r.prefix.len}`;
  };
  const first = built(s, true);
  const prefix = advertised(first);
  const uplinkPeer = (t: Twin): string => {
    const sr = t.network.gateways.get(t0)!.srs[0];
    const up = t.network.components[sr].interfaces.map((i) => t.network.interfaces[i]).find((i) => i.kind === 'uplink')!;
    const ip = up.ip + 1;
    return `${ip >>> 24 & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
  };
  const cases: [string, (d: Draft<Scenario>) => void][] = [
    // The SRs' own static for an advertised prefix: its selection reads the Tier-1 route too.
    ['a Tier-0 static route for an advertised prefix', (d) => void (d.tier0s![t0].staticRoutes ??= []).push({ network: prefix, nextHops: [uplinkPeer(first)] })],
    // A static whose next hop lies in an advertised prefix resolves recursively through it.
    ['a Tier-0 static route through an advertised prefix', (d) => void (d.tier0s![t0].staticRoutes ??= []).push({ network: '198.18.0.0/24', nextHops: [prefix.replace(/\.0\/\d+$/, '.10')] })],
  ];
  for (const [label, recipe] of cases) {
    it(`${label}: no SR table shared; the state is the whole build's`, () => {
      const next = produce(s, recipe);
      expect(validateScenario(next, () => ({ file: 'edit' }))).toEqual([]);
      const t = built(next, true);
      expect(sharedSrs(t)).toEqual([]);
      expect(stateOf(t)).toEqual(stateOf(built(next, false)));
    });
  }

  it('a BGP route for a shared prefix (a VIP the Tier-0 does not redistribute, advertised back by a ToR): installed in the whole SR tables; the state is the whole build\'s', () => {
    const tor = Object.keys(s.physicalRouters!)[0];
    const vip = first.realized.avi!.virtualServices[0].vip;
    const vipPrefix = `${vip >>> 24}.${(vip >>> 16) & 255}.${(vip >>> 8) & 255}.${vip & 255}/32`;
    const next = produce(s, (d) => {
      d.tier0s![t0].redistribution = [{ name: 'segments-only', types: ['TIER1_CONNECTED'] }];
      (d.physicalRouters![tor].bgp!.networks ??= []).push(vipPrefix);
      (d.physicalRouters![tor].staticRoutes ??= []).push({ network: vipPrefix, nextHops: [{ blackhole: true }] });
    });
    const problems = validateScenario(next, () => ({ file: 'edit' }));
    if (problems.length) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    // Without the ToR's route the SRs share the DR's table; with it, each is installed whole.
    const without = built(produce(s, (d) => void (d.tier0s![t0].redistribution = [{ name: 'segments-only', types: ['TIER1_CONNECTED'] }])), true);
    expect(sharedSrs(without)).toHaveLength(8);
    const t = built(next, true);
    const srs = t.network.gateways.get(t0)!.srs;
    expect(sharedSrs(t)).toEqual([]);
    expect(t.routing.ribs[srs[0]].some((r) => r.type === 'bgp' && r.prefix.addr === vip)).toBe(true);
    expect(stateOf(t)).toEqual(stateOf(built(next, false)));
  });

  it('the table positions: each own route between the shared ones in prefix order', () => {
    const t = built(s, true);
    const sr = t.network.gateways.get(t0)!.srs[0];
    const table = t.routing.ribs[sr];
    const layer = table.sharedLayer()!;
    const shapes = Array.from({ length: table.length }, (_, i) => table.shapeAt(i));
    const made = table.toArray();
    expect(made.map((r) => r.prefix)).toEqual(shapes.map((r) => r.prefix));
    expect(made.map((r) => r.selected)).toEqual(shapes.map((r) => r.selected));
    const at = RibTable.positions(layer);
    for (let i = 0; i < at.length; i++) if (at[i] < 0) expect(made[i]).toBe(layer.own[-1 - at[i]]);
    expect(table).toBeInstanceOf(RibTable);
  });
});

describe('a splice of a table made of another\'s = the splice of its made routes', () => {
  const limits = { ...ribTableLimits };
  afterEach(() => void Object.assign(ribTableLimits, limits));
  const t = built(generateSize('S'), true);
  const sr = t.network.components.find((c) => c.type === 'T0_SR')!.id;
  const table = t.routing.ribs[sr];
  const layer = table.sharedLayer()!;
  /** Position ranges of whole prefixes (each prefix's routes), as the engine's splices replace them. */
  const prefixStarts: number[] = [];
  for (let i = 0; i < table.length; i++) if (i === 0 || comparePrefixAt(table, i - 1, i) !== 0) prefixStarts.push(i);
  prefixStarts.push(table.length);

  it('random prefixes replaced, removed or given new routes, again and again (pieces past the limit copied into one): each table\'s routes are the plain splice\'s, none made until read', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.nat({ max: prefixStarts.length - 2 }), fc.nat({ max: 2 })), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), fc.constantFrom(2, 4, 256), (edits, maxPieces) => {
        ribTableLimits.maxPieces = maxPieces;
        let shared = table;
        let plain = RibTable.of(Array.from({ length: table.length }, (_, i) => table.routeAt(i)));
        for (const edit of edits) {
          // Whole prefixes of the current table, ascending, distinct.
          const starts: number[] = [];
          for (let i = 0; i < shared.length; i++) if (i === 0 || comparePrefixAt(shared, i - 1, i) !== 0) starts.push(i);
          starts.push(shared.length);
          const picked = [...new Set(edit.map(([k]) => k % (starts.length - 1)))].sort((a, b) => a - b);
          const at: number[] = [];
          const runs: RibRoute[][] = [];
          let size = shared.length;
          for (const k of picked) {
            const lo = starts[k];
            const hi = starts[k + 1];
            const how = edit.find(([x]) => x % (starts.length - 1) === k)![1];
            // 0: removed; 1: the same routes as new objects; 2: and one more of the prefix.
            const run = how === 0 ? [] : Array.from({ length: hi - lo }, (_, i) => shared.routeAt(lo + i));
            if (how === 2) run.push(shared.routeAt(lo));
            at.push(lo, hi);
            runs.push(run);
            size += run.length - (hi - lo);
          }
          const next = shared.spliced(at, runs, size);
          plain = plain.spliced(at, runs, size);
          expect(next.length).toBe(size);
          expect(next.sharedLayer()).not.toBeNull();
          shared = next;
        }
        for (let i = 0; i < shared.length; i++) expect(sameRoute(shared.routeAt(i), plain.at(i)), `position ${i}`).toBe(true);
        const made = shared.toArray();
        expect(made.length).toBe(plain.length);
        for (let i = 0; i < made.length; i++) expect(sameRoute(made[i], plain.at(i))).toBe(true);
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it('a run for the prefix of a shared route beside it is refused: the table is made and spliced as pieces', () => {
    // A route inserted before a shared route of its own prefix: that prefix would have own and shared routes.
    const s = RibTable.positions(layer).findIndex((p) => p >= 0);
    expect(s).toBeGreaterThanOrEqual(0);
    const fresh = () => RibTable.sharing(layer.base, RibTable.positions(layer), layer.own, layer.copier);
    const out = fresh().spliced([s, s], [[table.routeAt(s)]], table.length + 1);
    expect(out.sharedLayer()).toBeNull();
    expect(out.length).toBe(table.length + 1);
    expect(sameRoute(out.at(s), out.at(s + 1))).toBe(true);
    // The same route put in place of its prefix's routes is kept shared.
    const end = prefixStarts[prefixStarts.indexOf(s) + 1];
    const kept = fresh().spliced([s, end], [Array.from({ length: end - s }, (_, i) => table.routeAt(s + i))], table.length);
    expect(kept.sharedLayer()).not.toBeNull();
  });
});

function comparePrefixAt(t: RibTable, i: number, j: number): number {
  const a = t.shapeAt(i).prefix;
  const b = t.shapeAt(j).prefix;
  return a.addr === b.addr && a.len === b.len ? 0 : 1;
}
