// The incremental update (Twin.update, src/engine/pipeline.ts) against a fresh build: random
// sequences of what-if edits and undos on every bundled scenario and on generated fabrics give,
// after every step, the same routing tables, FIB groups, BGP tables and traces as building the
// edited scenario from scratch, and the same route diff as comparing every table. Then what each
// kind of edit recomputes (the update report), stage by stage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatches, enablePatches, freeze, produce, produceWithPatches, type Patch } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { validateScenario } from '../../src/topology/validate.js';
import { generateSize } from '../../src/topology/generate.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { undoneDefaults } from '../../src/engine/pipeline.js';
import { diffRoutes } from '../../src/engine/queries/route-diff.js';
import { arpOf, bgpOf, editsOf, fibsOf, rulesOf, tablesOf, tracesOf, type EditKind } from './incremental-edits.js';
import { formatIp, formatPrefix } from '../../src/topology/ip.js';
import { ribTableLimits } from '../../src/engine/ribs/table.js';
import { bgpRibRoutes, installChanges } from '../../src/engine/bgp/control-plane.js';
import { wholeRunOf } from '../../src/engine/bgp/partial-run.js';
import { sameLayout } from '../../src/engine/ribs/install.js';
import { fullOf } from './bgp/bgp-full-state.js';
import { aviRuntimeChange } from '../../src/topology/realize/index.js';

enablePatches();

const RUNS = Number(process.env.NSX_TWIN_INCREMENTAL_RUNS ?? 6);

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** The full state of a twin, part by part (compared one part at a time for readable failures). */
function expectSameState(updated: Twin, fresh: Twin, what: string): void {
  expect(tablesOf(updated), `${what}: routing tables`).toEqual(tablesOf(fresh));
  expect(fibsOf(updated), `${what}: FIB groups`).toEqual(fibsOf(fresh));
  expect(bgpOf(updated), `${what}: BGP tables`).toEqual(bgpOf(fresh));
  expect(rulesOf(updated), `${what}: gateway firewall and NAT tables`).toEqual(rulesOf(fresh));
  expect(arpOf(updated), `${what}: ARP, own addresses, proxy ARP index`).toEqual(arpOf(fresh));
  expect(tracesOf(updated), `${what}: traces`).toEqual(tracesOf(fresh));
}

type Step = { op: 'edit'; index: number } | { op: 'undo' };
const steps = (n: number) =>
  fc.array(
    fc.oneof({ weight: 4, arbitrary: fc.nat().map((index): Step => ({ op: 'edit', index })) }, { weight: 1, arbitrary: fc.constant<Step>({ op: 'undo' }) }),
    { minLength: 1, maxLength: n },
  );

/** Replays steps from `start`; after each one, the updated twin must equal a fresh build. */
function replay(start: Scenario, edits: readonly EditKind[], plan: readonly Step[], what: string): void {
  let scenario = start;
  let twin = new Twin(scenario);
  const undo: Patch[][] = [];
  for (const step of plan) {
    let next: Scenario;
    let label: string;
    if (step.op === 'undo') {
      const inverse = undo.pop();
      if (!inverse) continue;
      next = applyPatches(scenario, inverse);
      label = 'undo';
    } else {
      const edit = edits[step.index % edits.length];
      const [edited, , inverse] = produceWithPatches(scenario, edit.recipe);
      if (validateScenario(edited, () => ({ file: 'edit' })).length) continue; // an edit the scenario refuses
      undo.push(inverse);
      next = edited;
      label = edit.label;
    }
    const updated = twin.update(next);
    // From a copy that shares nothing and is not frozen: realized from scratch, never a realization reused.
    const fresh = new Twin(structuredClone(next));
    expectSameState(updated, fresh, `${what}, after ${label}`);
    expect(diffRoutes(twin, updated), `${what}, after ${label}: route diff`).toEqual(diffRoutes(twin, fresh, { everyComponent: true }));
    scenario = next;
    twin = updated;
  }
}


// Each edit's way back is computed here (an undone edit would otherwise take the state before it again: pipeline.ts).
const undone = { ...undoneDefaults };
beforeAll(() => void (undoneDefaults.take = false));
afterAll(() => Object.assign(undoneDefaults, undone));

describe('incremental update = fresh build, on every bundled scenario', () => {
  for (const file of bundled()) {
    it(file, () => {
      const start = loadScenarioFile(file).scenario;
      const edits = editsOf(start);
      expect(edits.length).toBeGreaterThan(0);
      fc.assert(fc.property(steps(5), (plan) => replay(start, edits, plan, file)), { numRuns: RUNS, seed: 42 });
    }, 120_000);
  }
});

describe('incremental update = fresh build, on a generated BGP fabric (8 SRs × 8 ToRs, VIPs)', () => {
  const start = generateSize('S');
  const edits = editsOf(start);
  it('a virtual service disabled: its VIP decided again alone on every speaker, the rest of BGP kept', () => {
    const t = new Twin(start);
    const vs = Object.keys(start.avi!.virtualServices!)[3];
    const next = produceWithPatches(start, (d) => void (d.avi!.virtualServices![vs].enabled = false))[0];
    const u = t.update(next);
    expect(u.report.stages.find((x) => x.stage === 'ribs')!.detail).toBe('2 gateway(s)/router(s) rebuilt (1 Tier-0 patched), 11 table(s) changed');
    expect(u.report.stages.find((x) => x.stage === 'bgp')!).toMatchObject({ how: 'updated', detail: '1 prefix(es) decided again' });
    expectSameState(u, new Twin(next), 'virtual service disabled');
  }, 60_000);
  it('an SE group\'s placement settings edited: the realization patched (that group placed again), every state as a fresh build; and back', () => {
    // Frozen, as the app's scenarios are (realizations are kept and patched for frozen ones).
    const s0 = produce(start, () => {});
    const t = new Twin(s0);
    const groupEdits = edits.filter((e) => e.kind === 'se-group');
    expect(groupEdits.length).toBeGreaterThanOrEqual(2);
    for (const e of groupEdits) {
      const next = produceWithPatches(s0, (d) => void e.recipe(d))[0];
      const u = t.update(next);
      // Patched from the twin's runtime, not realized whole.
      expect(aviRuntimeChange(u.realized.avi!)?.from, e.label).toBe(t.realized.avi);
      // Some VIP routes moved or went (SEs full, or pairs): the FIB changed.
      expect(u.report.stages.find((x) => x.stage === 'fib')!.how, e.label).not.toBe('kept');
      expectSameState(u, new Twin(next), e.label);
      const back = u.update(s0, { takeUndone: false });
      expectSameState(back, t, `${e.label}, back`);
    }
  }, 120_000);
  it('a ToR failed: the prefixes it had a say in decided again without it (not BGP as a whole), every view of BGP as in a fresh build', () => {
    const t = new Twin(start);
    const tor = Object.keys(start.physicalRouters!)[2];
    const next = produceWithPatches(start, (d) => void (d.failed = [...(d.failed ?? []), tor]))[0];
    const u = t.update(next);
    const bgp = u.report.stages.find((x) => x.stage === 'bgp')!;
    expect(bgp.how).toBe('updated');
    expect(bgp.detail).toMatch(/^\d+ prefix\(es\) decided again$/);
    // The default route (the ToRs originate it) and the ToR's own networks, nothing of the Tier-1s.
    expect(Number(bgp.detail.split(' ')[0])).toBeLessThan(20);
    const fresh = new Twin(structuredClone(next));
    expectSameState(u, fresh, `${tor} failed`);
    const a = u.bgpState;
    const b = fresh.bgpState;
    expect(a.speakers.map((sp) => sp.name)).toEqual(b.speakers.map((sp) => sp.name));
    expect(a.speakers.map((sp) => sp.name)).not.toContain(tor);
    for (const sp of b.speakers) {
      expect(a.size(sp.index), sp.name).toEqual(b.size(sp.index));
      expect(a.speakers[sp.index].local.map((l) => `${formatPrefix(l.attrs.prefix)} ${l.source}`), sp.name).toEqual(sp.local.map((l) => `${formatPrefix(l.attrs.prefix)} ${l.source}`));
      expect(a.speakers[sp.index].sessions.map((x) => formatIp(x.peerAddress))).toEqual(sp.sessions.map((x) => formatIp(x.peerAddress)));
      expect(a.speakers[sp.index].down).toEqual(sp.down);
      for (const p of b.table(sp.index).slice(0, 50)) expect(a.entry(sp.index, p.prefix)?.paths.map((x) => x.session)).toEqual(p.paths.map((x) => x.session));
    }
    expect(diffRoutes(t, u)).toEqual(diffRoutes(t, fresh, { everyComponent: true }));
    // And back up (BGP as a whole: the ToR learns every prefix again), equal to the first build.
    const back = u.update(start);
    expectSameState(back, new Twin(structuredClone(start)), `${tor} back`);
  }, 120_000);
  it('an edge failed and back: BGP run whole from the previous origination, the ToRs\' tables remapped, the SRs\' tables kept; every view of BGP as in a fresh build', () => {
    const t = new Twin(start);
    const edge = Object.entries(start.transportNodes).filter(([, n]) => n.type === 'edge')[2][0];
    const next = produceWithPatches(start, (d) => void (d.failed = [...(d.failed ?? []), edge]))[0];
    const u = t.update(next);
    const stage = (x: Twin, name: string) => x.report.stages.find((st) => st.stage === name)!;
    // Fifteen speakers now (an SR gone), each taking the origination it had.
    expect(stage(u, 'bgp')).toMatchObject({ how: 'built', detail: 'a Tier-0 SR or physical router changed state (origination reused where a table is the same: 15 of 15 speakers)' });
    // The eight ToRs lost a path of every prefix; the seven other SRs' routes are all the same.
    expect(stage(u, 'install').detail).toBe('BGP routes of 8 speaker(s) installed again');
    const fresh = new Twin(structuredClone(next));
    expectSameState(u, fresh, `${edge} failed`);
    expect(fullOf(u.bgpState, bgpRibRoutes(u.bgpState, u.network))).toEqual(fullOf(fresh.bgpState, bgpRibRoutes(fresh.bgpState, fresh.network)));
    // What each speaker's installation became, by the prefix classes = prefix by prefix.
    const sameBase = (c: number) => u.base.ribs[c] === t.base.ribs[c];
    const shape = (chs: ReturnType<typeof installChanges>) =>
      chs!.map((ch) => (ch.how === 'swap' ? { ...ch, whole: null, pairs: ch.pairs.map((p) => `${p.from.origin} ${p.from.nextHops.length} → ${p.to.origin} ${p.to.nextHops.length}`).sort() } : { ...ch, whole: null }));
    const byClass = installChanges(u.bgpState, wholeRunOf(t.bgpState), u.network, sameBase);
    expect(byClass!.filter((ch) => ch.how === 'swap')).toHaveLength(8);
    expect(shape(byClass)).toEqual(shape(installChanges(u.bgpState, wholeRunOf(t.bgpState), u.network, sameBase, { byPrefix: true })));
    for (const sp of u.bgpState.speakers) {
      if (sp.kind === 'tier0-sr') expect(u.routing.ribs[sp.component], sp.name).toBe(t.routing.ribs[sp.component]);
      else {
        // Each ToR's table: the previous one remapped to the new next hops (its routes made only
        // when read; its FIB block copied from the previous one with the groups remapped).
        const rib = u.routing.ribs[sp.component];
        expect(rib, sp.name).not.toBe(t.routing.ribs[sp.component]);
        expect(rib.remapLayer()?.base, sp.name).toBe(t.routing.ribs[sp.component]);
        expect(sameLayout(rib, t.routing.ribs[sp.component]), sp.name).toBe(true);
        expect(u.compiled.blockEntries[sp.component]).toBe(t.compiled.blockEntries[sp.component]);
      }
    }
    // Back: the SR's table installed whole (its table before BGP is a new one), each ToR's remap composed back to its first table.
    const back = u.update(start);
    // The SR back takes the origination its run before the failure made (parked by the run without it).
    expect(stage(back, 'bgp').detail).toMatch(/origination reused where a table is the same: 16 of 16 speakers/);
    expect(stage(back, 'install').detail).toBe('BGP routes of 9 speaker(s) installed again');
    // Each ToR's remap composed with the way back gives every route its first next hops: the first table itself.
    for (const sp of back.bgpState.speakers) if (sp.kind === 'router') expect(back.routing.ribs[sp.component], sp.name).toBe(t.routing.ribs[sp.component]);
    const first = new Twin(structuredClone(start));
    expectSameState(back, first, `${edge} back`);
    expect(fullOf(back.bgpState, bgpRibRoutes(back.bgpState, back.network))).toEqual(fullOf(first.bgpState, bgpRibRoutes(first.bgpState, first.network)));
  }, 120_000);
  it('an edge failed: each Tier-1 whose SRs only changed state has its DR\'s default route patched, its SRs\' tables and advertisements kept', () => {
    const t = new Twin(start);
    const edges = Object.entries(start.transportNodes).filter(([, n]) => n.type === 'edge').map(([name]) => name);
    let seen = 0;
    for (const edge of edges.slice(0, 4)) {
      const u = t.update(produceWithPatches(start, (d) => void (d.failed = [...(d.failed ?? []), edge]))[0]);
      const detail = u.report.stages.find((x) => x.stage === 'ribs')!.detail;
      const n = Number(/(\d+) Tier-1 default route\(s\) patched/.exec(detail)?.[1] ?? 0);
      seen += n;
      for (const [name, gw] of u.network.gateways) {
        if (!gw.routerLink || !gw.srs.length || !gw.srs.some((sr) => u.network.components[sr].ha !== t.network.components[sr].ha)) continue;
        for (const sr of gw.srs) expect(u.base.ribs[sr], `${edge}: ${name} SR`).toBe(t.base.ribs[sr]);
        expect(u.base.adverts.get(name), name).toBe(t.base.adverts.get(name));
        const dflt = (x: Twin) => x.routes({ gateway: name, component: 'dr' }).routes.find((r) => r.prefix === '0.0.0.0/0');
        expect(dflt(u)?.nextHops.length ?? 0, name).toBe(gw.srs.filter((sr) => u.network.components[sr].ha === 'active').length);
      }
      expectSameState(u, new Twin(structuredClone(u.scenario)), `${edge} failed`);
    }
    expect(seen).toBeGreaterThan(0);
  }, 120_000);
  it('two edges failed one after the other, then the first back: each ToR\'s table a remap of the first one (the remaps composed), every state as a fresh build', () => {
    const t = new Twin(start);
    const edges = Object.entries(start.transportNodes).filter(([, n]) => n.type === 'edge').map(([name]) => name);
    const one = produceWithPatches(start, (d) => void (d.failed = [...(d.failed ?? []), edges[1]]))[0];
    const two = produceWithPatches(one, (d) => void d.failed!.push(edges[4]))[0];
    const back = produceWithPatches(two, (d) => void d.failed!.splice(0, 1))[0];
    let x = t;
    for (const [label, next] of [['one edge failed', one], ['two edges failed', two], ['the first back', back]] as const) {
      const was = x;
      x = x.update(next);
      // The route diff of remapped tables (read through their keys) = the diff of every table.
      const diff = diffRoutes(was, x);
      expect(diff.length, label).toBeGreaterThan(1000);
      expect(diff, label).toEqual(diffRoutes(was, new Twin(structuredClone(next)), { everyComponent: true }));
      expect(x.report.stages.find((st) => st.stage === 'install')!.detail, label).toMatch(/installed again/);
      for (const sp of x.bgpState.speakers) if (sp.kind === 'router') expect(x.routing.ribs[sp.component].remapLayer()?.base, `${label}: ${sp.name}`).toBe(t.routing.ribs[sp.component]);
      expectSameState(x, new Twin(structuredClone(next)), label);
    }
  }, 120_000);
  it('an edit undone takes the state before it again (while that twin lives), a redo the edited one; a scenario equal to an older one is computed', () => {
    const t = new Twin(start);
    const edge = Object.entries(start.transportNodes).filter(([, n]) => n.type === 'edge')[3][0];
    const [next, , inverse] = produceWithPatches(start, (d) => void (d.failed = [...(d.failed ?? []), edge]));
    const u = t.update(next, { takeUndone: true });
    const back = applyPatches(next, inverse);
    const undo = u.update(back, { takeUndone: true });
    expect(undo.scenario).toBe(back);
    for (const x of [undo.routing, undo.compiled, undo.bgpState, undo.network, undo.base]) expect([t.routing, t.compiled, t.bgpState, t.network, t.base]).toContain(x);
    expect(undo.report.stages.map((st) => `${st.stage} ${st.how}`)).toEqual(['realize kept', 'model kept', 'ribs kept', 'bgp kept', 'install kept', 'fib kept']);
    expect(undo.report.stages[0].detail).toBe('the edit undone: the state before it taken again');
    expect(undo.report.changedTables).toBe(u.routing.ribs.filter((rib, c) => rib !== t.routing.ribs[c]).length);
    expect(undo.report.changedTables).toBeGreaterThan(8);
    expect(undo.trace({ from: Object.keys(start.workloads!)[0], to: '8.8.8.8' })).toEqual(t.trace({ from: Object.keys(start.workloads!)[0], to: '8.8.8.8' }));
    // Redo: the edited state again.
    const redo = undo.update(next, { takeUndone: true });
    expect(redo.compiled).toBe(u.compiled);
    // Turned off, the way back is computed (as the rest of this file does), to an equal state.
    const computed = u.update(back, { takeUndone: false });
    expect(computed.compiled).not.toBe(t.compiled);
    expectSameState(computed, undo, 'computed back');
    // Back to the first scenario after two edits: not an undo of the last one, computed.
    const two = produceWithPatches(next, (d) => void d.failed!.push(Object.keys(start.transportNodes).filter((n) => n !== edge && start.transportNodes[n].type === 'edge')[0]))[0];
    const again = u.update(two, { takeUndone: true }).update(start, { takeUndone: true });
    expect(again.report.stages.find((st) => st.stage === 'bgp')!.how).toBe('built');
    expectSameState(again, t, 'back after two edits');
  }, 120_000);
  it('a ToR back after it failed: BGP run whole from the origination of the whole run the partial one stands for', () => {
    const t = new Twin(start);
    const tor = Object.keys(start.physicalRouters!)[5];
    const down = t.update(produceWithPatches(start, (d) => void (d.failed = [...(d.failed ?? []), tor]))[0]);
    expect(down.report.stages.find((x) => x.stage === 'bgp')!.how).toBe('updated');
    const back = down.update(start);
    expect(back.report.stages.find((x) => x.stage === 'bgp')!.detail).toMatch(/origination reused/);
    const first = new Twin(structuredClone(start));
    expectSameState(back, first, `${tor} back`);
    expect(fullOf(back.bgpState, bgpRibRoutes(back.bgpState, back.network))).toEqual(fullOf(first.bgpState, bgpRibRoutes(first.bgpState, first.network)));
    // What the partial state answers from a whole run (stopped paths, advertised, rounds) is made from its predecessor's origination too.
    expect(fullOf(down.bgpState, [])).toEqual(fullOf(new Twin(structuredClone(down.scenario)).bgpState, []));
  }, 120_000);
  it('every edit kind once, then undo', () => {
    const firstOfKind = [...new Map(edits.map((e, i) => [e.kind, i])).values()];
    replay(start, edits, [...firstOfKind.map((index): Step => ({ op: 'edit', index })), { op: 'undo' }, { op: 'undo' }], 'generated S');
  }, 180_000);
  it('random sequences', () => {
    fc.assert(fc.property(steps(3), (plan) => replay(start, edits, plan, 'generated S')), { numRuns: Math.max(2, RUNS >> 1), seed: 7 });
  }, 180_000);
});

describe('incremental update = fresh build, on a generated BGP fabric with an export route map (routePolicy)', () => {
  // Session filters that read prefixes: BGP decides per prefix class split by the prefix lists,
  // and a failure reuses the classes of the run before.
  const start = generateSize('S', { routePolicy: true });
  const edits = editsOf(start);
  it('an edge failed, then back; a ToR failed; every route-map and prefix-list entry flipped; then undo', () => {
    const index = (pred: (e: EditKind) => boolean) => edits.findIndex(pred);
    const edge = index((e) => e.label === 'toggle failure of edge-1');
    const tor = index((e) => e.label === 'toggle failure of tor-01');
    const policy = edits.flatMap((e, i) => (e.kind === 'policy' ? [i] : []));
    expect(edge).toBeGreaterThanOrEqual(0);
    expect(tor).toBeGreaterThanOrEqual(0);
    expect(policy.length).toBe(4);
    const plan: Step[] = [edge, edge, tor, ...policy].map((i): Step => ({ op: 'edit', index: i }));
    replay(start, edits, [...plan, { op: 'undo' }, { op: 'undo' }], 'generated S, route policy');
  }, 180_000);

  for (const ncp of [false, true]) {
    it(`with Kubernetes clusters (kubernetes${ncp ? ', NCP: a node takes its pods down' : ', Antrea'}): a node failed, another, the first back; an edge failed; virtual services added before AKO's (a fixed VIP, an allocated one); then undo`, () => {
      // Room in the VIP range (the generator's holds its own VIPs exactly) for the one added that allocates.
      const k8s = freeze(produce(generateSize('S', { routePolicy: true, kubernetes: 2, ncp }), (d) => void (d.avi!.networks!['vip-net'].ranges![0].to = '172.24.3.253')), true);
      const all = editsOf(k8s);
      const at = (label: string) => {
        const i = all.findIndex((e) => e.label === label);
        expect(i, label).toBeGreaterThanOrEqual(0);
        return i;
      };
      const added = all.findIndex((e) => e.kind === 'vip');
      expect(added).toBeGreaterThanOrEqual(0);
      // One allocating its VIP before AKO's, which are allocated again past it.
      const allocated = all.findIndex((e) => e.kind === 'vip-alloc');
      expect(allocated).toBeGreaterThanOrEqual(0);
      expect(validateScenario(produce(k8s, all[allocated].recipe), () => ({ file: 'edit' }))).toEqual([]);
      const plan: Step[] = ['toggle failure of k8s-1-worker-1', 'toggle failure of k8s-2-worker-3', 'toggle failure of k8s-1-worker-1', 'toggle failure of edge-2'].map((l): Step => ({ op: 'edit', index: at(l) }));
      replay(k8s, all, [...plan, { op: 'edit', index: added }, { op: 'edit', index: allocated }, { op: 'edit', index: at('toggle failure of k8s-2-worker-1') }, { op: 'undo' }, { op: 'undo' }, { op: 'undo' }, { op: 'undo' }], `generated S, Kubernetes${ncp ? ' (NCP)' : ''}`);
    }, 180_000);
  }
});

// The same with every table spliced into pieces at any size, and copied into one array past a
// few pieces (ribs/table.ts): small scenarios then go through what only big tables do by default.
describe('incremental update = fresh build, every table of pieces', () => {
  const limits = { ...ribTableLimits };
  beforeAll(() => Object.assign(ribTableLimits, { small: 0, maxPieces: 6 }));
  afterAll(() => Object.assign(ribTableLimits, limits));
  it('generated S: every edit kind once, then undo', () => {
    const start = generateSize('S');
    const edits = editsOf(start);
    const firstOfKind = [...new Map(edits.map((e, i) => [e.kind, i])).values()];
    replay(start, edits, [...firstOfKind.map((index): Step => ({ op: 'edit', index })), { op: 'undo' }, { op: 'undo' }, { op: 'undo' }], 'generated S, tables of pieces');
  }, 180_000);
  for (const file of ['scenarios/reference-lab.yaml', 'scenarios/tkgi-byot.yaml']) {
    it(`${file}: random sequences`, () => {
      const start = loadScenarioFile(file).scenario;
      const edits = editsOf(start);
      fc.assert(fc.property(steps(10), (plan) => replay(start, edits, plan, `${file}, tables of pieces`)), { numRuns: RUNS, seed: 43 });
    }, 180_000);
  }
});

describe('a physical router failed: BGP decided again without it', () => {
  // Two ToRs; tor-b alone announces its WAN subnet. With tor-a down, the SRs' entries for that
  // subnet come from the previous state with their session numbers moved (tor-a's session came
  // first), the default route is decided again.
  const lab = produceWithPatches(loadScenarioFile('scenarios/bgp/local-preference.yaml').scenario, (d) => void (d.physicalRouters!['tor-b'].bgp!.networks = ['198.51.100.0/30']))[0];
  for (const router of ['tor-a', 'tor-b']) {
    it(`${router} failed, then back`, () => {
      const t = new Twin(lab);
      const next = produceWithPatches(lab, (d) => void (d.failed = [router]))[0];
      const u = t.update(next);
      expect(u.report.stages.find((x) => x.stage === 'bgp')!.how).toBe('updated');
      const fresh = new Twin(structuredClone(next));
      expectSameState(u, fresh, `${router} failed`);
      for (const sp of fresh.bgpState.speakers) {
        expect(u.bgpState.size(sp.index), sp.name).toEqual(fresh.bgpState.size(sp.index));
        expect(u.bgpState.rejected(sp.index), sp.name).toEqual(fresh.bgpState.rejected(sp.index));
        sp.sessions.forEach((_, si) => expect(u.bgpState.advertised(sp.index, si), `${sp.name} session ${si}`).toEqual(fresh.bgpState.advertised(sp.index, si)));
      }
      expect(diffRoutes(t, u)).toEqual(diffRoutes(t, fresh, { everyComponent: true }));
      expectSameState(u.update(lab), new Twin(structuredClone(lab)), `${router} back`);
    });
  }
  it('an entry kept from before names the session it now arrives on', () => {
    const t = new Twin(lab);
    const u = t.update(produceWithPatches(lab, (d) => void (d.failed = ['tor-a']))[0]);
    const sr = u.bgpState.speakers.find((sp) => sp.kind === 'tier0-sr')!;
    const e = u.bgpState.entry(sr.index, { addr: (198 << 24) + (51 << 16) + (100 << 8), len: 30 })!;
    const path = e.paths.find((p) => p.session >= 0 && sr.sessions[p.session].type === 'ebgp')!;
    expect(formatIp(sr.sessions[path.session].peerAddress)).toBe('10.0.10.2');
    expect(formatIp(path.peerAddress)).toBe('10.0.10.2');
  });
});

describe('what an edit recomputes', () => {
  const lab = loadScenarioFile('scenarios/reference-lab.yaml').scenario;
  const how = (t: Twin) => Object.fromEntries(t.report.stages.map((s) => [s.stage, s.how]));
  const edit = (s: Scenario, recipe: (d: any) => unknown) => produceWithPatches(s, (d) => void recipe(d))[0];

  it('a fresh twin builds every stage', () => {
    expect(how(new Twin(lab))).toEqual({ realize: 'built', model: 'built', ribs: 'built', bgp: 'built', install: 'built', fib: 'built' });
  });

  it('no change: every table kept, BGP kept, no FIB block rebuilt', () => {
    const t = new Twin(lab);
    const u = t.update(lab);
    expect(how(u)).toMatchObject({ ribs: 'kept', bgp: 'kept', install: 'kept' });
    expect(u.report.changedTables).toBe(0);
    expect(u.routing.ribs.every((rib, c) => rib === t.routing.ribs[c])).toBe(true);
    expect(u.compiled.fib.every((f, c) => f === t.compiled.fib[c])).toBe(true);
  });

  it('a null route on one Tier-1: that Tier-1 and its Tier-0 rebuilt, BGP decides that one prefix again (the Tier-0 SRs originate it)', () => {
    const t = new Twin(lab);
    const [name, t1] = Object.entries(lab.tier1s!).find(([, x]) => x.tier0 && (x.advertise ?? []).includes('TIER1_STATIC_ROUTES'))!;
    const u = t.update(edit(lab, (d) => (d.tier1s[name].staticRoutes ??= []).push({ network: '203.0.113.9/32', nextHops: [{ blackhole: true }] })));
    expect(u.report.rebuilt).toEqual([name, t1.tier0]);
    expect(how(u)).toMatchObject({ ribs: 'updated', bgp: 'updated', install: 'updated' });
    expect(u.report.stages.find((x) => x.stage === 'bgp')!.detail).toBe('1 prefix(es) decided again');
    const changes = diffRoutes(t, u);
    expect(changes.some((c) => c.prefix === '203.0.113.9/32' && c.change === 'added')).toBe(true);
    // The ToR learnt it by BGP, and what a whole run says of it is what the partial one says.
    const tor = Object.keys(lab.physicalRouters!).find((r) => lab.physicalRouters![r].bgp)!;
    expect(u.routes({ router: tor }).routes.some((r) => r.prefix === '203.0.113.9/32' && r.type === 'bgp')).toBe(true);
    expect(u.bgp({ router: tor, rejected: true })).toEqual(new Twin(u.scenario).bgp({ router: tor, rejected: true }));
  });

  it('partial BGP runs in a row are bounded: the ninth runs BGP whole', () => {
    const [name] = Object.entries(lab.tier1s!).find(([, x]) => x.tier0 && (x.advertise ?? []).includes('TIER1_STATIC_ROUTES'))!;
    let s = lab;
    let t = new Twin(s);
    const details: string[] = [];
    for (let i = 0; i < 9; i++) {
      s = edit(s, (d) => (d.tier1s[name].staticRoutes ??= []).push({ network: `203.0.113.${10 + i}/32`, nextHops: [{ blackhole: true }] }));
      t = t.update(s);
      details.push(t.report.stages.find((x) => x.stage === 'bgp')!.detail);
    }
    expect(details.slice(0, 8)).toEqual(Array(8).fill('1 prefix(es) decided again'));
    expect(details[8]).toContain('8 partial runs in a row');
    // The whole run the chain stands on lends its origination to the speakers whose tables are still its own.
    expect(details[8]).toMatch(/origination reused where a table is the same: [1-9]\d* of \d+ speakers/);
    expectSameState(t, new Twin(s), 'after nine edits');
  });

  it('BGP is decided as a whole when a changed prefix covers a session address, or a speaker aggregates', () => {
    const t = new Twin(lab);
    const [name] = Object.entries(lab.tier1s!).find(([, x]) => x.tier0 && (x.advertise ?? []).includes('TIER1_STATIC_ROUTES'))!;
    const tor = Object.entries(lab.physicalRouters!).find(([, r]) => r.bgp)![1];
    const peer = tor.interfaces[0].ip.split('/')[0];
    const u = t.update(edit(lab, (d) => (d.tier1s[name].staticRoutes ??= []).push({ network: `${peer}/32`, nextHops: [{ blackhole: true }] })));
    expect(u.report.stages.find((x) => x.stage === 'bgp')!).toMatchObject({ how: 'built' });
    expect(u.report.stages.find((x) => x.stage === 'bgp')!.detail).toContain('a changed prefix covers a BGP session address');
    expectSameState(u, new Twin(u.scenario), 'session address');
    // A ToR that aggregates: its aggregate reads the more specifics, so no prefix is decided alone.
    const torName = Object.entries(lab.physicalRouters!).find(([, r]) => r.bgp)![0];
    const base = edit(lab, (d) => (d.physicalRouters[torName].bgp.aggregates = [{ prefix: '203.0.113.0/24' }]));
    expect(validateScenario(base, () => ({ file: 'edit' }))).toEqual([]);
    const v = new Twin(base).update(edit(base, (d) => (d.tier1s[name].staticRoutes ??= []).push({ network: '203.0.113.9/32', nextHops: [{ blackhole: true }] })));
    expect(v.report.stages.find((x) => x.stage === 'bgp')!.detail).toContain('a speaker aggregates');
    expectSameState(v, new Twin(v.scenario), 'aggregate');
  });

  it('a change the Tier-0 does not see (a route that is not advertised): only that Tier-1, BGP and the other tables kept', () => {
    const [name] = Object.entries(lab.tier1s!).find(([, x]) => x.tier0)!;
    const base = edit(lab, (d) => (d.tier1s[name].advertise = ['TIER1_CONNECTED']));
    const t = new Twin(base);
    const u = t.update(edit(base, (d) => (d.tier1s[name].staticRoutes ??= []).push({ network: '203.0.113.9/32', nextHops: [{ blackhole: true }] })));
    expect(u.report.rebuilt).toEqual([name]);
    expect(how(u)).toMatchObject({ ribs: 'updated', bgp: 'kept', install: 'kept' });
    expect(u.report.changedTables).toBeGreaterThan(0);
    expect(u.report.changedTables).toBeLessThanOrEqual(3);
  });

  it('a failed edge: same model shape, its SRs change state, BGP runs again', () => {
    const t = new Twin(lab);
    const edge = Object.entries(lab.transportNodes).find(([, n]) => n.type === 'edge')![0];
    const u = t.update(edit(lab, (d) => (d.failed ??= []).push(edge)));
    expect(u.report.stages.find((s) => s.stage === 'model')!.detail).toMatch(/same shape, [1-9]\d* component\(s\) changed state \(failures applied to the previous model\)/);
    expect(how(u)).toMatchObject({ bgp: 'built' });
    // The Tier-0's SRs on the other edges keep their tables before BGP (their routes do not depend
    // on another SR's state); its DR's default route changes with the set of active SRs.
    for (const gw of t.network.gateways.values()) {
      if (gw.tier !== 0) continue;
      for (const sr of gw.srs) if (t.network.nodes[t.network.components[sr].node].name !== edge) expect(u.base.ribs[sr]).toBe(t.base.ribs[sr]);
      expect(u.base.ribs[gw.dr]).not.toBe(t.base.ribs[gw.dr]);
    }
  });

  it('a new workload changes the model shape: every later stage rebuilt', () => {
    const t = new Twin(lab);
    const [name, w] = Object.entries(lab.workloads!)[0];
    const u = t.update(edit(lab, (d) => (d.workloads![`${name}-twin`] = { ...w, ip: '10.99.99.99' } as never)));
    expect(u.report.stages.find((s) => s.stage === 'model')!.detail).toBe('shape changed: later stages rebuilt');
    expect(how(u)).toMatchObject({ ribs: 'built', bgp: 'built', install: 'built', fib: 'built' });
  });

  it('a segment added after the others: the previous model with its domain and downlink appended, the Tier-1 rebuilt; removed again: cut off', () => {
    const t = new Twin(lab);
    const [name, t1] = Object.entries(lab.tier1s!).find(([, x]) => x.tier0)!;
    const next = edit(lab, (d) => (d.segments[`new-${name}`] = { tier1: name, gateway: '198.18.77.1/24' }));
    const u = t.update(next);
    expect(u.report.stages.find((s) => s.stage === 'model')!).toMatchObject({ how: 'updated', detail: 'segments added: 1 DR(s) given a downlink' });
    expect(u.network.domains.length).toBe(t.network.domains.length + 1);
    expect(u.network.interfaces.length).toBe(t.network.interfaces.length + 1);
    expect(u.network.interfaces.at(-1)).toMatchObject({ name: `downlink-new-${name}`, component: u.network.gateways.get(name)!.dr, domain: t.network.domains.length });
    expect(u.report.rebuilt).toEqual([name, t1.tier0]);
    expect(how(u)).toMatchObject({ realize: 'updated', ribs: 'updated', fib: 'updated' });
    expectSameState(u, new Twin(next), 'segment added');
    // The route diff reads only the tables that changed (the model reshaped, its components the same).
    const changes = diffRoutes(t, u);
    expect(changes).toEqual(diffRoutes(t, new Twin(next), { everyComponent: true }));
    expect(changes.filter((x) => x.prefix === '198.18.77.0/24' && x.change === 'added').length).toBeGreaterThanOrEqual(2);
    // Back: the segment removed again (its domain and downlink cut off), the same as the first build.
    const back = u.update(lab);
    expect(back.report.stages.find((s) => s.stage === 'model')!).toMatchObject({ how: 'updated', detail: 'segments removed: 1 DR(s) losing one' });
    expect(back.network.interfaces).toEqual(t.network.interfaces);
    expectSameState(back, t, 'segment removed');
  });

  it('edits branching from one twin append their FIB blocks in its buffers, one after the other, and each stays exact', () => {
    const t = new Twin(lab);
    const before = [tablesOf(t), fibsOf(t), tracesOf(t)];
    const named = Object.entries(lab.tier1s!).filter(([, x]) => x.tier0).map(([n]) => n);
    const edits = named.slice(0, 3).map((name, i) => edit(lab, (d) => (d.tier1s[name].staticRoutes ??= []).push({ network: `203.0.113.${i + 1}/32`, nextHops: [{ blackhole: true }] })));
    const siblings = edits.map((next) => t.update(next));
    const states = siblings.map((u) => [tablesOf(u), fibsOf(u), tracesOf(u)]);
    // Another sibling made later does not change one made earlier (it writes past its end).
    siblings.forEach((u, i) => expect([tablesOf(u), fibsOf(u), tracesOf(u)], `sibling ${i}`).toEqual(states[i]));
    siblings.forEach((u, i) => expectSameState(u, new Twin(structuredClone(edits[i])), `sibling ${i}`));
    expect([tablesOf(t), fibsOf(t), tracesOf(t)]).toEqual(before);
    // In place: the same buffers as the twin they branch from, each sibling's blocks after the previous one's.
    for (const u of siblings) expect(u.compiled.entryRoute.buffer).toBe(t.compiled.entryRoute.buffer);
    for (let i = 1; i < siblings.length; i++) expect(siblings[i].compiled.entryRoute.length).toBeGreaterThan(siblings[i - 1].compiled.entryRoute.length);
    // What another sibling wrote in between is counted as garbage, not as a block.
    const live = (u: Twin) => u.compiled.blockEntries.reduce((a, b) => a + b, 0);
    for (const u of siblings) expect(live(u) + u.compiled.garbage).toBe(u.compiled.entryRoute.length);
  });

  it('many edits branching from one twin: once one must copy the columns, the edits after it append in that copy', () => {
    const t = new Twin(lab);
    const before = [tablesOf(t), fibsOf(t), tracesOf(t)];
    const named = Object.entries(lab.tier1s!).filter(([, x]) => x.tier0).map(([n]) => n);
    // Each a prefix every Tier-0 table and ToR learns: more entries per edit than the lab's room.
    const edits = Array.from({ length: 8 }, (_, i) => edit(lab, (d) => (d.tier1s[named[i % named.length]].staticRoutes ??= []).push({ network: `203.0.113.${i + 1}/32`, nextHops: [{ blackhole: true }] })));
    const siblings = edits.map((next) => t.update(next));
    siblings.forEach((u, i) => expectSameState(u, new Twin(structuredClone(edits[i])), `sibling ${i}`));
    expect([tablesOf(t), fibsOf(t), tracesOf(t)]).toEqual(before);
    const buffers = siblings.map((u) => u.compiled.entryRoute.buffer);
    // Some edit had to leave the twin's buffer (too much garbage ahead of it); the edit after it
    // continues the twin's values in that edit's copy, after what that edit wrote.
    const first = buffers.findIndex((b) => b !== t.compiled.entryRoute.buffer);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(siblings.length - 1);
    expect(buffers[first + 1]).toBe(buffers[first]);
    expect(siblings[first + 1].compiled.entryRoute.length).toBeGreaterThan(siblings[first].compiled.entryRoute.length);
    for (const u of siblings) expect(u.compiled.blockEntries.reduce((a, b) => a + b, 0) + u.compiled.garbage).toBe(u.compiled.entryRoute.length);
  });

  it('edits in a row compact the FIB once replaced blocks outweigh live ones: unchanged blocks copied with their LPM tables, equal to a fresh build', () => {
    const named = Object.entries(lab.tier1s!).filter(([, x]) => x.tier0).map(([n]) => n);
    let s = lab;
    let t = new Twin(s);
    let compacted = 0;
    for (let i = 0; i < 8; i++) {
      const next = edit(s, (d) => (d.tier1s[named[0]].staticRoutes ??= []).push({ network: `203.0.113.${i + 1}/32`, nextHops: [{ blackhole: true }] }));
      const u = t.update(next);
      expectSameState(u, new Twin(structuredClone(next)), `edit ${i}`);
      const live = u.compiled.blockEntries.reduce((a, b) => a + b, 0);
      expect(live + u.compiled.garbage).toBe(u.compiled.entryRoute.length);
      if (t.compiled.garbage * 2 > t.compiled.entryRoute.length) {
        compacted++;
        expect(u.compiled.garbage).toBe(0);
        // A block that did not change: the same LPM arrays, answering from its new start.
        const kept = u.report.changedTables < u.compiled.fib.length ? u.compiled.fib.findIndex((_, c) => u.routing.ribs[c] === t.routing.ribs[c] && t.compiled.blockEntries[c] > 0) : -1;
        expect(kept).toBeGreaterThanOrEqual(0);
        expect(u.compiled.fib[kept].starts).toBe(t.compiled.fib[kept].starts);
        expect(u.compiled.fib[kept].base).toBe(u.compiled.blockStart[kept]);
      }
      s = next;
      t = u;
    }
    expect(compacted).toBeGreaterThan(0);
  });

  it('edits in a row compile the FIB from scratch again once the next-hop columns (never compacted) have doubled', () => {
    const name = Object.entries(lab.tier1s!).find(([, x]) => x.tier0)![0];
    const added = edit(lab, (d) => (d.tier1s[name].staticRoutes ??= []).push({ network: '203.0.113.1/32', nextHops: [{ blackhole: true }] }));
    let t = new Twin(lab);
    const first = t.compiled.nhAtFullCompile;
    expect(first).toBe(t.compiled.nhKind.length);
    let edits = 0;
    while (t.compiled.nhAtFullCompile === first && edits < 2000) {
      const before = t.compiled.nhKind.length;
      t = t.update(edits % 2 === 0 ? added : lab);
      edits++;
      if (t.compiled.nhAtFullCompile === first) expect(t.compiled.nhKind.length).toBeGreaterThanOrEqual(before);
    }
    expect(t.compiled.nhAtFullCompile).not.toBe(first);
    expect(t.compiled.nhKind.length).toBe(t.compiled.nhAtFullCompile);
    expect(t.compiled.nhKind.length).toBeLessThan(2 * first + 1024);
    expect(t.compiled.garbage).toBe(0);
    expectSameState(t, new Twin(structuredClone(edits % 2 === 0 ? lab : added)), `after ${edits} edits`);
  });

  it('most VIP routes moved (a VIP range re-allocated): every stage built from scratch, equal to a fresh build', () => {
    const s = generateSize('S');
    const t = new Twin(s);
    const e = editsOf(s).find((x) => x.kind === 'vip-move')!;
    const next = edit(s, e.recipe);
    const u = t.update(next);
    expect(how(u)).toMatchObject({ ribs: 'built', bgp: 'built', install: 'built', fib: 'built' });
    expect(u.report.stages.find((x) => x.stage === 'ribs')!.detail).toMatch(/^most VIP routes moved \(\d+ of \d+\)/);
    expectSameState(u, new Twin(structuredClone(next)), 'VIP range re-allocated');
  }, 60_000);

  it('an update leaves the twin it came from as it was', () => {
    const t = new Twin(lab);
    const before = [tablesOf(t), fibsOf(t), bgpOf(t), tracesOf(t)];
    const edge = Object.entries(lab.transportNodes).find(([, n]) => n.type === 'edge')![0];
    t.update(edit(lab, (d) => (d.failed ??= []).push(edge)));
    expect([tablesOf(t), fibsOf(t), bgpOf(t), tracesOf(t)]).toEqual(before);
  });
});
