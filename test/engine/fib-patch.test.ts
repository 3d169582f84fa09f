// A FIB block patched from the previous block (fib/compile.ts BlockWriter.patch: the same route
// objects keep their entries, only the prefixes whose routes differ are compiled) equals the block
// compiled from the whole table: every LPM interval of every component, the entry it lands on
// (prefix, route position) and that entry's next hops, after random edits of the bundled
// scenarios and of a generated BGP fabric.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { undoneDefaults } from '../../src/engine/pipeline.js';
import { compile, entryGroups, entryRoutePosition, type CompiledNetwork } from '../../src/engine/fib/compile.js';
import { intervalValue, lpmLookup } from '../../src/engine/fib/lpm.js';
import { HopRemap, RibTable, Ribs, Route, nextHop, type RibRoute } from '../../src/engine/ribs/route.js';
import { tableKeys } from '../../src/engine/ribs/install.js';
import { editsOf } from './incremental-edits.js';

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/**
 * Every component's FIB as what a lookup finds: each stretch of addresses (LPM intervals, and
 * those of the table's overlay, adjacent ones that answer alike merged: a tombstone answers as its
 * cover) with the prefix and route position of the entry answering (a tombstone's cover's) and
 * that entry's next hops.
 */
function fibState(c: CompiledNetwork): string[] {
  return c.fib.map((t, comp) => {
    const rib = c.routing.ribs[comp];
    const lines: string[] = [];
    let last = '';
    // Where an answer may change: the table's interval starts, and its overlay's.
    const starts = t.over === null ? t.starts : Uint32Array.from(new Set([...t.starts, ...t.over.starts])).sort();
    for (let i = 0; i < starts.length; i++) {
      const e = t.over === null ? intervalValue(t, i) : lpmLookup(t, starts[i]);
      const size = e < 0 ? 0 : entryGroups(c)[2 * e + 1];
      let what = '-';
      if (size > 0) {
        const at = entryRoutePosition(c, comp, e);
        const hops: string[] = [];
        for (let nh = entryGroups(c)[2 * e]; nh < entryGroups(c)[2 * e] + size; nh++) {
          const route = rib.at(at + c.nhRoute[nh]);
          hops.push(`${c.nhKind[nh]}:${formatIp(c.nhIp[nh])}:${c.nhInterface[nh]}:${c.nhDomain[nh]}:${c.nhExternal[nh]}:${c.nhComponent[nh]}:${c.nhOwner.at(nh)}:${c.nhProxy.at(nh)}:${route.origin}`);
        }
        const first = rib.at(at);
        what = `route ${at} (${formatIp(first.prefix.addr)}/${first.prefix.len}) ${hops.join(' ')}`;
      }
      if (what !== last) lines.push(`${formatIp(starts[i])} ${what}`);
      last = what;
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
  // The same entries answer, besides the tombstones a block kept in place holds.
  expect(liveEntries(patched)).toEqual(liveEntries(whole));
  for (const c of changed) expect(whole.blockEdits[c]).toBeNull();
  return [fibState(patched), fibState(whole)];
}

/** Per component, its block's entries that are not tombstones, and those inserted beside it. */
const liveEntries = (c: CompiledNetwork) => Array.from(c.blockEntries, (n, comp) => n - (c.blockEdits[comp]?.tombstones.length ?? 0) / 2 + (c.blockEdits[comp]?.inserted.length ?? 0));

const edit = (s: Scenario, recipe: (d: Draft<Scenario>) => void) => produce(s, recipe);


// Each edit's way back is computed here (an undone edit would otherwise take the state before it again: pipeline.ts).
const undone = { ...undoneDefaults };
beforeAll(() => void (undoneDefaults.take = false));
afterAll(() => Object.assign(undoneDefaults, undone));

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
    const r = table.at(k);
    const other = new Route(comp, r.prefix, r.type, r.distance, [nextHop((r.nextHops[0].ip! + 1) | 0, r.nextHops[0].interface)], 'a second path');
    other.selected = true;
    const at = (rib: readonly RibRoute[]) => {
      const ribs = t.routing.ribs.slice();
      ribs[comp] = RibTable.of(rib);
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
      // (Compared as a boolean: the matcher would read the tables, making an SR's table made of its DR's.)
      expect(u.routing.ribs[sr] !== t.routing.ribs[sr]).toBe(true);
      expect(u.compiled.fib[sr].starts, u.network.components[sr].name).toBe(t.compiled.fib[sr].starts);
      expect(u.compiled.blockStart[sr]).toBe(t.compiled.blockStart[sr]);
      expect(u.compiled.fib[sr].base).toBe(u.compiled.blockStart[sr]);
      const from = u.compiled.blockStart[sr];
      const to = from + u.compiled.blockEntries[sr];
      const mine: number[] = [];
      for (let k = 0; k < patch.length; k += 3) if (patch[k] >= from && patch[k] < to) mine.push(patch[k]);
      // The patched entries are those whose prefix's routes are other objects now (at the same
      // positions; an SR's table made of its DR's compared by its routes' shapes, unmade).
      const changed: number[] = [];
      for (let x = from; x < to; x++) if (u.routing.ribs[sr].shapeAt(entryRoutePosition(u.compiled, sr, x)) !== t.routing.ribs[sr].shapeAt(entryRoutePosition(t.compiled, sr, x))) changed.push(x);
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
    // A VIP withdrawn with the ToR down (tombstones in the patched blocks), then moved to new
    // addresses (a new prefix each time: inserted beside the blocks, with tombstones), and back.
    steps.push((cur = produce(cur, (d) => void d.failed!.push(tor))));
    steps.push((cur = produce(cur, (d) => void (d.avi!.virtualServices![vs].enabled = false))));
    steps.push((cur = produce(cur, (d) => void (d.avi!.virtualServices![vs].enabled = true))));
    const vip = s.avi!.virtualServices![vs].vip;
    for (let k = 0; k < 4; k++) steps.push((cur = produce(cur, (d) => void (d.avi!.virtualServices![vs].vip = { address: `198.51.100.${77 + k}` }))));
    // The Tier-0 redistributing its Tier-1s' VIPs no more, and again (most of the ToRs' prefixes
    // gone, then back: their blocks written again, from blocks with insertions, a few times: the
    // replaced blocks outweigh the live ones, compacted).
    const tier0 = Object.keys(s.tier0s!)[0];
    for (let k = 0; k < 6; k++) steps.push((cur = produce(cur, (d) => void (d.tier0s![tier0].redistribution![0].types = k % 2 === 0 ? ['TIER1_CONNECTED'] : ['TIER1_CONNECTED', 'TIER1_LB_VIP']))));
    steps.push((cur = produce(cur, (d) => void (d.avi!.virtualServices![vs].vip = vip as never))));
    steps.push((cur = produce(cur, (d) => void (d.failed = d.failed!.filter((n) => n !== tor)))));
    let twin = t;
    let patched = 0;
    let compacted = 0;
    let carried = 0;
    let tombstoned = 0;
    let inserted = 0;
    const srs = [...t.network.gateways.values()].find((g) => g.srs.length > 2)!.srs;
    for (const [k, next] of steps.entries()) {
      const before = twin;
      twin = twin.update(next);
      if (before.compiled.groupPatch !== null && srs.every((sr) => twin.routing.ribs[sr] === before.routing.ribs[sr])) carried++;
      if (twin.compiled.groupPatch !== null) patched++;
      if (twin.compiled.compacted) compacted++;
      if (twin.compiled.blockEdits.some((x) => x !== null && x.tombstones.length > 0)) tombstoned++;
      if (twin.compiled.blockEdits.some((x) => x !== null && x.inserted.length > 0)) inserted++;
      expect(fibState(twin.compiled), `step ${k}`).toEqual(fibState(new Twin(next).compiled));
    }
    expect(patched).toBeGreaterThan(2);
    expect(compacted).toBeGreaterThan(0);
    expect(carried).toBeGreaterThan(0);
    expect(tombstoned).toBeGreaterThan(0);
    expect(inserted).toBeGreaterThan(0);
    // Back where it started: the same answers as the first build.
    expect(fibState(twin.compiled)).toEqual(fibState(t.compiled));
  });

  it('a prefix that leaves a big table leaves a tombstone in its block, answering as its cover (or no route), until it comes back or the block is written again', () => {
    const s = generateSize('S');
    const t = new Twin(s);
    const vs = Object.keys(s.avi!.virtualServices!)[3];
    const vip = t.realized.avi!.virtualServices.find((v) => v.name === vs)!.vip;
    const off = produce(s, (d) => void (d.avi!.virtualServices![vs].enabled = false));
    const u = t.update(off);
    const fresh = new Twin(off);
    const tors = [...u.network.routerByName.values()];
    const dr = u.network.gateways.get([...u.network.gateways.values()].find((g) => g.tier === 0)!.name)!.dr;
    for (const comp of [dr, ...tors]) {
      const name = u.network.components[comp].name;
      // Its block where it was, its LPM arrays the same, no entry written again.
      expect(u.compiled.blockStart[comp], name).toBe(t.compiled.blockStart[comp]);
      expect(u.compiled.fib[comp].starts, name).toBe(t.compiled.fib[comp].starts);
      const edits = u.compiled.blockEdits[comp]!;
      expect(edits, name).not.toBeNull();
      // One tombstone: the VIP's /32, at the offset of its entry.
      expect(edits.tombstones.length, name).toBe(2);
      const e = u.compiled.blockStart[comp] + edits.tombstones[0];
      expect([u.compiled.entryAddr[e], u.compiled.entryLen[e]], name).toEqual([vip, 32]);
      expect(lpmLookup(u.compiled.fib[comp], vip)).toBe(e);
      // The entries after it: one route fewer before them (the step), the same routes as before.
      expect(Array.from(edits.steps), name).toEqual([edits.tombstones[0] + 1, -1]);
      const last = u.compiled.blockStart[comp] + u.compiled.blockEntries[comp] - 1;
      expect(u.routing.ribs[comp].at(entryRoutePosition(u.compiled, comp, last))).toBe(t.routing.ribs[comp].at(entryRoutePosition(t.compiled, comp, last)));
    }
    // The ToRs have no route covering the VIP (an empty group: no route); the Tier-0 DR answers by
    // its cover, as a fresh build does.
    for (const tor of tors) expect(entryGroups(u.compiled)[2 * lpmLookup(u.compiled.fib[tor], vip) + 1]).toBe(0);
    const cover = entryRoutePosition(u.compiled, dr, lpmLookup(u.compiled.fib[dr], vip));
    expect(u.routing.ribs[dr].at(cover).prefix.len).toBeLessThan(32);
    expect(u.routing.ribs[dr].at(cover).prefix).toEqual(fresh.routing.ribs[dr].at(entryRoutePosition(fresh.compiled, dr, lpmLookup(fresh.compiled.fib[dr], vip))).prefix);
    expect(fibState(u.compiled)).toEqual(fibState(fresh.compiled));
    const client = { from: 'client-01', to: formatIp(vip), proto: 'tcp' as const, dport: 80 };
    const inside = { from: u.network.endpoints.find((x) => x.kind === 'WORKLOAD')!.name, to: formatIp(vip), proto: 'tcp' as const, dport: 80 };
    for (const req of [client, inside]) expect(JSON.stringify(u.trace(req))).toBe(JSON.stringify(fresh.trace(req)));
    // From the client, every path ends at a ToR without a route to the VIP.
    expect(u.trace(client).paths.map((p) => p.disposition)).toEqual(u.trace(client).paths.map(() => 'NO_ROUTE'));

    // One ToR given a new static route again and again (a new prefix each time: inserted beside
    // its block, the inserted entries written again at each update), the other ToRs' blocks
    // (tombstones and all) kept, until the garbage outweighs the live entries and a compaction
    // compiles them whole.
    const tor = [...u.network.routerByName.keys()][2];
    const other = tors.find((c) => u.network.components[c].name !== tor)!;
    let cur = off;
    let twin = u;
    let compacted = false;
    for (let k = 1; k < 80 && !compacted; k++) {
      cur = produce(cur, (d) => void (d.physicalRouters![tor].staticRoutes ??= []).push({ name: `r${k}`, network: `203.0.113.${k}/32`, nextHops: [{ blackhole: true }] } as never));
      const before = twin;
      twin = twin.update(cur);
      expect(twin.compiled.previous, `step ${k}: compiled from scratch`).not.toBeNull();
      compacted = twin.compiled.compacted;
      if (!compacted) expect(twin.compiled.blockEdits[other]).toBe(before.compiled.blockEdits[other]);
      else expect(twin.compiled.blockEdits[other]).toBeNull();
      expect(fibState(twin.compiled), `step ${k}`).toEqual(fibState(new Twin(cur).compiled));
      const req = { from: 'client-01', to: formatIp(vip), proto: 'tcp' as const, dport: 80 };
      expect(JSON.stringify(twin.trace(req)), `step ${k}`).toBe(JSON.stringify(new Twin(cur).trace(req)));
    }
    expect(compacted).toBe(true);

    // The VIP back: from the tombstones, the entries live again, in place, with no edit left.
    const on = produce(off, (d) => void (d.avi!.virtualServices![vs].enabled = true));
    const back = u.update(on);
    for (const comp of [dr, ...tors]) {
      expect(back.compiled.blockStart[comp]).toBe(t.compiled.blockStart[comp]);
      expect(back.compiled.blockEdits[comp]).toBeNull();
    }
    expect(fibState(back.compiled)).toEqual(fibState(t.compiled));
    for (const req of [client, inside]) expect(JSON.stringify(back.trace(req))).toBe(JSON.stringify(t.trace(req)));
  });

  it('a prefix new to a big table is inserted beside its block (an overlay on its LPM table), covering the block\'s own longer prefixes and tombstones, until it leaves again', () => {
    // A VIP at 198.18.77.50, then a segment 198.18.77.0/24 added on another Tier-1: a prefix the
    // ToRs' and the Tier-0's blocks never had, over one of their own /32s.
    const vss = Object.keys(generateSize('S').avi!.virtualServices!);
    const s = produce(generateSize('S'), (d) => void (d.avi!.virtualServices![vss[0]].vip = { address: '198.18.77.50' }));
    const t = new Twin(s);
    const tier0 = Object.keys(s.tier0s!)[0];
    const gw = t.network.gateways.get(tier0)!;
    const bigs = [...t.network.routerByName.values(), gw.dr, ...gw.srs];
    const vip = 0xc6124d32; // 198.18.77.50
    const kept = (tw: Twin, comp: number) => {
      expect(tw.compiled.blockStart[comp]).toBe(t.compiled.blockStart[comp]);
      expect(tw.compiled.fib[comp].starts).toBe(t.compiled.fib[comp].starts);
    };
    const tier1 = Object.keys(s.tier1s!).find((n) => s.tier1s![n].tier0 && n !== s.avi!.virtualServices![vss[0]].tier1)!;
    const s1 = produce(s, (d) => void (d.segments!['what-if'] = { tier1, gateway: '198.18.77.1/24' } as never));
    const u1 = t.update(s1);
    for (const comp of bigs) {
      kept(u1, comp);
      const edits = u1.compiled.blockEdits[comp]!;
      expect(edits.inserted.length).toBe(1);
      const e = edits.inserted[0];
      expect([formatIp(u1.compiled.entryAddr[e]), u1.compiled.entryLen[e]]).toEqual(['198.18.77.0', 24]);
      expect(e).toBeGreaterThanOrEqual(u1.compiled.blockStart[comp] + u1.compiled.blockEntries[comp]);
      expect(u1.compiled.fib[comp].over).not.toBeNull();
      // The VIP inside it still answers by its /32 (its entry in the block); an address beside it by the /24.
      const vipEntry = lpmLookup(u1.compiled.fib[comp], vip);
      expect([u1.compiled.entryLen[vipEntry], vipEntry < e]).toEqual([32, true]);
      expect(lpmLookup(u1.compiled.fib[comp], vip + 1)).toBe(e);
      expect(u1.routing.ribs[comp].at(entryRoutePosition(u1.compiled, comp, e)).prefix.len).toBe(24);
    }
    const fresh1 = new Twin(s1);
    expect(fibState(u1.compiled)).toEqual(fibState(fresh1.compiled));
    // The VIP withdrawn: its /32 a tombstone, inside the /24, which now answers for it.
    const s2 = produce(s1, (d) => void (d.avi!.virtualServices![vss[0]].enabled = false));
    const u2 = u1.update(s2);
    for (const comp of bigs) {
      kept(u2, comp);
      expect(u2.compiled.blockEdits[comp]!.tombstones.length).toBe(2);
      expect(u2.compiled.entryLen[lpmLookup(u2.compiled.fib[comp], vip)]).toBe(24);
    }
    expect(fibState(u2.compiled)).toEqual(fibState(new Twin(s2).compiled));
    // The virtual service back, on a new fixed VIP: that /32 inserted beside each block too (the old one stays a tombstone).
    const s3 = produce(s2, (d) => {
      d.avi!.virtualServices![vss[0]].enabled = true;
      d.avi!.virtualServices![vss[0]].vip = { address: '198.51.100.77' };
    });
    const u3 = u2.update(s3);
    for (const comp of bigs) {
      kept(u3, comp);
      expect(Array.from(u3.compiled.blockEdits[comp]!.inserted, (x) => formatIp(u3.compiled.entryAddr[x]))).toEqual(['198.18.77.0', '198.51.100.77']);
      expect(u3.compiled.blockEdits[comp]!.tombstones.length).toBe(2);
    }
    const fresh3 = new Twin(s3);
    expect(fibState(u3.compiled)).toEqual(fibState(fresh3.compiled));
    for (const to of ['198.51.100.77', '198.18.77.50', '198.18.77.9']) {
      const req = { from: 'client-01', to, proto: 'tcp' as const, dport: 80 };
      expect(JSON.stringify(u3.trace(req)), to).toBe(JSON.stringify(fresh3.trace(req)));
    }
    expect(u3.trace({ from: 'client-01', to: '198.51.100.77', proto: 'tcp', dport: 80 }).paths.every((p) => p.disposition !== 'NO_ROUTE')).toBe(true);
    // All undone: the blocks as first compiled, no edit, no overlay.
    const u4 = u3.update(s);
    for (const comp of bigs) {
      kept(u4, comp);
      expect(u4.compiled.blockEdits[comp]).toBeNull();
      expect(u4.compiled.fib[comp].over).toBeNull();
    }
    expect(fibState(u4.compiled)).toEqual(fibState(t.compiled));
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

describe('a remapped table\'s block (its routes holding other next hops: ribs/table.ts remapped) = the block compiled from the whole table', () => {
  const s = generateSize('S');
  const t = new Twin(s);
  const comp = [...t.network.routerByName.values()][3];
  const withTable = (rib: RibTable) => {
    const ribs = t.routing.ribs.slice();
    ribs[comp] = rib;
    return new Ribs(ribs);
  };
  const compiled = (rib: RibTable, previous: CompiledNetwork | null, patchFrom: number) =>
    compile(t.network, withTable(rib), t.realized.scenario, t.compiled.lb, previous === null ? null : { previous, changed: new Set([comp]), patchFrom });

  it('random remaps of a ToR\'s BGP keys, over a table where some prefixes select two routes', () => {
    const base = t.routing.ribs[comp].toArray();
    const bgp = base.flatMap((r, i) => (r.type === 'bgp' && r.selected && r.nextHops.length > 1 ? [i] : []));
    expect(bgp.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: bgp.length - 1 }), { maxLength: 6 }), fc.nat(), fc.nat({ max: 3 }), (seconds, pick, drop) => {
        // Some prefixes take a second selected route of the same distance (their groups come from two routes).
        const extra = new Set(seconds.map((k) => bgp[k]));
        const routes: RibRoute[] = [];
        base.forEach((r, i) => {
          routes.push(r);
          if (!extra.has(i)) return;
          const other = new Route(comp, r.prefix, r.type, r.distance, r.nextHops.slice(0, 1), 'a second path');
          other.selected = true;
          routes.push(other);
        });
        const before = RibTable.of(routes);
        const first = compiled(before, null, 0);
        // One key of the table (a decision's list and origin) remapped to fewer of its hops.
        const keys = tableKeys(before)!;
        const k = pick % keys.hops.length;
        const hops = keys.hops[k];
        const remap = new HopRemap();
        remap.add(hops, keys.origin[k], hops.slice(0, Math.max(1, hops.length - 1 - drop)), 'remapped');
        const after = RibTable.remapped(before, remap);
        const fast = compiled(after, first, 0);
        const whole = compiled(after, first, Infinity);
        expect(fibState(fast)[comp]).toEqual(fibState(whole)[comp]);
        // And back to the base table from the remapped one.
        const back = compile(t.network, withTable(before), t.realized.scenario, t.compiled.lb, { previous: fast, changed: new Set([comp]), patchFrom: 0 });
        expect(fibState(back)[comp]).toEqual(fibState(first)[comp]);
      }),
      { numRuns: 25 },
    );
  });

  it('an edge failed: each ToR\'s block kept where it is, its groups remapped in the group map, its LPM table kept; equal to the whole blocks', () => {
    const edge = Object.entries(s.transportNodes).filter(([, n]) => n.type === 'edge')[1][0];
    const u = t.update(produce(s, (d) => void (d.failed ??= []).push(edge)));
    expect(u.compiled.groupMap).not.toBeNull();
    for (const tor of u.network.routerByName.values()) {
      expect(u.routing.ribs[tor].remapLayer()?.base).toBe(t.routing.ribs[tor]);
      expect(u.compiled.fib[tor].starts).toBe(t.compiled.fib[tor].starts);
      expect(u.compiled.blockStart[tor]).toBe(t.compiled.blockStart[tor]);
      expect(u.compiled.blockEntries[tor]).toBe(t.compiled.blockEntries[tor]);
      // The entries as written; the groups of the block's BGP prefixes (eight SRs) read as seven.
      const sizes = new Map<string, number>();
      for (let e = t.compiled.blockStart[tor]; e < t.compiled.blockStart[tor] + t.compiled.blockEntries[tor]; e++) {
        expect(u.compiled.entryGroup[2 * e]).toBe(t.compiled.entryGroup[2 * e]);
        const key = `${u.compiled.entryGroup[2 * e + 1]} as ${entryGroups(u.compiled)[2 * e + 1]}`;
        sizes.set(key, (sizes.get(key) ?? 0) + 1);
      }
      expect(sizes.get('8 as 7')).toBeGreaterThan(100);
      expect(sizes.get('8 as 8')).toBeUndefined();
    }
    // None of their entries written: the entry columns grew by less than one ToR's block (the failed SR's and the DR's, small).
    const tor0 = [...u.network.routerByName.values()][0];
    expect(u.compiled.entryRoute.length - t.compiled.entryRoute.length).toBeLessThan(t.compiled.blockEntries[tor0] / 4);
    const [patched, whole] = bothWays(t, u);
    expect(patched).toEqual(whole);
    // And back: each group reads as eight SRs again.
    const back = u.update(s);
    const [again, againWhole] = bothWays(u, back);
    expect(again).toEqual(againWhole);
    expect(fibState(back.compiled)).toEqual(fibState(t.compiled));
  });

  it('a ToR back (computed as an edit): its block written again with the LPM table of another ToR\'s block of the same prefixes, not one built again; equal to a fresh build', () => {
    const tors = [...t.network.routerByName.entries()];
    const [name, tor] = tors[2];
    const down = t.update(produce(s, (d) => void (d.failed ??= []).push(name)));
    const back = down.update(s, { takeUndone: false });
    expect(back.compiled.fib[tor].starts).toBe(t.compiled.fib[tors[0][1]].starts);
    expect(fibState(back.compiled)).toEqual(fibState(t.compiled));
    expect(bothWays(down, back)[0]).toEqual(bothWays(down, back)[1]);
  });

  it('edges failing and coming back one after the other: the ToRs\' blocks stay where they are, remapped again and again (their groups read from the blocks once), each FIB as a fresh build\'s', () => {
    const edges = Object.entries(s.transportNodes).filter(([, n]) => n.type === 'edge').map(([name]) => name);
    const steps: string[][] = [[edges[0]], [edges[0], edges[2]], [edges[2]], [], [edges[3]], [edges[3], edges[0]], []];
    let at = t;
    let inPlace = 0;
    for (const failed of steps) {
      const next = at.update(produce(s, (d) => void (d.failed = failed)), { takeUndone: false });
      // Where they were, unless this update compacted the blocks (the garbage of earlier edits of the shared twin).
      if (!next.compiled.compacted) {
        inPlace++;
        for (const tor of next.network.routerByName.values()) expect(next.compiled.blockStart[tor]).toBe(at.compiled.blockStart[tor]);
      }
      expect(bothWays(at, next)[0]).toEqual(bothWays(at, next)[1]);
      expect(fibState(next.compiled), failed.join(',')).toEqual(fibState(new Twin(next.scenario).compiled));
      at = next;
    }
    expect(inPlace).toBeGreaterThanOrEqual(steps.length - 1);
  });
});
