// The typed-array arena (src/engine/typed-arena.ts): carved arrays behave as new ones (zeroed,
// aligned, disjoint, plain once the arena is used up or outside its scope), and a build whose
// BGP, installation and FIB arrays come from an arena — one big enough, and one that runs out
// half-way — has the same state as a build allocating every array on its own: every routing
// table, FIB group, BGP table and sampled trace, on every bundled scenario and a generated
// fabric, and after edits that run BGP again as a whole.
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { produce } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { generateSize } from '../../src/topology/generate.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { arenaForBuild, arenaPolicy, carvedBytes, int32Array, releaseUpdateArena, TypedArena, uint16Array, uint32Array, uint8Array, updateArenaReservations, withArena } from '../../src/engine/typed-arena.js';
import { bgpOf, fibsOf, tablesOf, tracesOf } from './incremental-edits.js';

const defaults = { ...arenaPolicy };
afterEach(() => Object.assign(arenaPolicy, defaults));

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

describe('carving', () => {
  it('gives zeroed, 8-byte aligned, disjoint views of one reservation, then plain arrays once it is used up', () => {
    const arena = TypedArena.reserve(24 * 1024)!;
    const [a, b, c, d] = withArena(arena, () => [int32Array(2000), uint8Array(5000), uint16Array(3000), uint32Array(2500)]);
    for (const x of [a, b, c]) {
      expect(x.buffer).toBe(a.buffer);
      expect(x.byteOffset % 8).toBe(0);
      expect(x.every((v) => v === 0)).toBe(true);
    }
    expect([a.length, b.length, c.length]).toEqual([2000, 5000, 3000]);
    expect(b.byteOffset).toBe(8000);
    expect(c.byteOffset).toBe(13000 + 0); // 8000 + 5000, already aligned
    a.fill(-1);
    b.fill(255);
    c.fill(65535);
    expect(b.every((v) => v === 255) && c.every((v) => v === 65535) && a.every((v) => v === -1)).toBe(true);
    // 2,500 × 4 bytes more than the 24 KiB hold after 19,000: allocated on its own.
    expect(d.buffer).not.toBe(a.buffer);
    expect(d.byteOffset).toBe(0);
    expect(arena.used).toBe(8000 + 5000 + 6000);
  });

  it('allocates small arrays, and everything outside a scope, on their own; scopes nest', () => {
    const arena = TypedArena.reserve(1 << 20)!;
    const outer = TypedArena.reserve(1 << 20)!;
    withArena(outer, () => {
      expect(int32Array(100).buffer.byteLength).toBe(400); // under 4 KiB: its own buffer
      withArena(arena, () => expect(int32Array(4096).buffer).toBe(int32Array(1024).buffer));
      expect(int32Array(1024).buffer.byteLength).toBe(outer.size); // back to the outer arena
      withArena(null, () => expect(int32Array(4096).buffer.byteLength).toBe(16384));
    });
    expect(int32Array(4096).buffer.byteLength).toBe(16384);
    expect(arena.used).toBe(16384 + 4096);
  });

  it('reserves for large builds only, and nothing it cannot', () => {
    expect(arenaForBuild(1000)).toBeNull();
    expect(arenaForBuild(1_500_000)!.size).toBe(1_500_000 * arenaPolicy.bytesPerRoute);
    expect(TypedArena.reserve(2 ** 60)).toBeNull();
  });
});

/** A build with an arena of `bytesPerRoute` per route (every build reserves), and the arena bytes it carved. */
function withArenaBuild(s: Scenario, bytesPerRoute: number): { twin: Twin; carved: number } {
  Object.assign(arenaPolicy, { minBytes: 0, minArrayBytes: 0, bytesPerRoute });
  const before = carvedBytes();
  const twin = new Twin(s);
  const carved = carvedBytes() - before;
  Object.assign(arenaPolicy, defaults);
  return { twin, carved };
}

function plainBuild(s: Scenario): Twin {
  Object.assign(arenaPolicy, { minBytes: Infinity });
  const twin = new Twin(structuredClone(s));
  Object.assign(arenaPolicy, defaults);
  return twin;
}

function expectSameState(a: Twin, b: Twin, what: string): void {
  expect(tablesOf(a), `${what}: routing tables`).toEqual(tablesOf(b));
  expect(fibsOf(a), `${what}: FIB groups`).toEqual(fibsOf(b));
  expect(bgpOf(a), `${what}: BGP tables`).toEqual(bgpOf(b));
  expect(tracesOf(a), `${what}: traces`).toEqual(tracesOf(b));
}

describe('a build through an arena = a build allocating plainly', () => {
  const scenarios: [string, () => Scenario][] = [
    ...bundled().map((f): [string, () => Scenario] => [f, () => loadScenarioFile(f).scenario]),
    ['generated S (8 SRs × 8 ToRs, VIPs)', () => generateSize('S')],
  ];
  for (const [name, load] of scenarios) {
    it(name, () => {
      const s = load();
      const plain = plainBuild(s);
      // Room for everything, then room for a few arrays only (the rest allocated on their own).
      const roomy = withArenaBuild(structuredClone(s), 256);
      const short = withArenaBuild(structuredClone(s), 2);
      expectSameState(roomy.twin, plain, `${name}, roomy arena`);
      expectSameState(short.twin, plain, `${name}, arena used up`);
      if (plain.bgpState.speakers.length) expect(roomy.carved, 'the BGP arrays come from the arena').toBeGreaterThan(0);
    }, 60_000);
  }

  it('after an edge fails and comes back (BGP run again from the previous origination: carved from the reservation updates share), and after a workload is added (a new model shape: an arena of its own)', () => {
    const s = generateSize('S');
    const edge = Object.keys(s.transportNodes).find((n) => s.transportNodes[n].type === 'edge')!;
    const failed = produce(s, (d) => void (d.failed ??= []).push(edge));
    Object.assign(arenaPolicy, { minBytes: 0, minArrayBytes: 0 });
    const before = carvedBytes();
    const t0 = new Twin(s);
    const afterBuild = carvedBytes();
    const reservations = updateArenaReservations();
    const t1 = t0.update(failed);
    const t2 = t1.update(s, { takeUndone: false });
    const afterFailure = carvedBytes();
    // Both updates carve from one reservation (at most one made, for the first).
    const shared = updateArenaReservations() - reservations;
    // A new workload: a new model shape, every stage built again (through an arena of its own).
    const [wname, w] = Object.entries(s.workloads!)[0];
    const grown = produce(s, (d) => void (d.workloads![`arena-new-${wname}`] = { ...w, ip: '10.250.250.250' }));
    const t3 = t2.update(grown);
    const afterShape = carvedBytes();
    Object.assign(arenaPolicy, defaults);
    expect(t1.report.stages.find((x) => x.stage === 'bgp')!).toMatchObject({ how: 'built', detail: expect.stringMatching(/origination reused/) });
    expect(t3.report.stages.find((x) => x.stage === 'model')!.how).toBe('built');
    // A run that reuses origination allocates a fraction of a build's arrays, from the reservation updates share.
    expect(afterBuild - before).toBeGreaterThan(0);
    expect(afterFailure - afterBuild).toBeGreaterThan(0);
    expect(afterFailure - afterBuild).toBeLessThan(afterBuild - before);
    expect(shared).toBeLessThanOrEqual(1);
    expect(afterShape - afterFailure).toBeGreaterThan(0);
    expectSameState(t1, plainBuild(failed), 'edge failed');
    expectSameState(t2, plainBuild(s), 'edge back');
    expectSameState(t3, plainBuild(grown), 'workload added');
  }, 60_000);

  it('a build makes the updates\' reservation with its own, so that the first update makes none; an edge failed carves no per-prefix array of any speaker', () => {
    const s = generateSize('S');
    const edge = Object.keys(s.transportNodes).find((n) => s.transportNodes[n].type === 'edge')!;
    const failed = produce(s, (d) => void (d.failed ??= []).push(edge));
    Object.assign(arenaPolicy, { minBytes: 0, minArrayBytes: 0 });
    releaseUpdateArena();
    const r0 = updateArenaReservations();
    const t0 = new Twin(s);
    expect(updateArenaReservations() - r0, 'the build made the updates\' reservation').toBe(1);
    const mark = carvedBytes();
    const t1 = t0.update(failed);
    const carved = carvedBytes() - mark;
    expect(updateArenaReservations() - r0, 'the first update carved from it').toBe(1);
    expect(t1.report.stages.find((x) => x.stage === 'bgp')!).toMatchObject({ how: 'built', detail: expect.stringMatching(/origination reused/) });
    // The rounds decide into scratch and keep the representatives' decisions: the update carves
    // less than one integer per speaker and prefix (what the decisions alone took before).
    const prefixes = t1.bgpState.table(0).length;
    const speakers = t1.bgpState.speakers.length;
    expect(prefixes).toBeGreaterThan(100);
    expect(carved).toBeGreaterThan(0);
    expect(carved).toBeLessThan(speakers * prefixes * 4);
    // A second run in the same process takes the same scratch: the state read afterwards is a fresh build's.
    const t2 = t1.update(s, { takeUndone: false });
    expectSameState(t1, plainBuild(failed), 'edge failed');
    expectSameState(t2, plainBuild(s), 'edge back');
  }, 60_000);

  it('updates share one reservation until a quarter of it is left, then take a new one; a small twin\'s updates carve nothing', () => {
    const s = generateSize('S');
    const edges = Object.keys(s.transportNodes).filter((n) => s.transportNodes[n].type === 'edge');
    const failed = edges.map((e) => produce(s, (d) => void (d.failed ??= []).push(e)));
    Object.assign(arenaPolicy, { minBytes: 0, minArrayBytes: 0 });
    const t0 = new Twin(s);
    // One update's carve, from a reservation of its own.
    releaseUpdateArena();
    let mark = carvedBytes();
    t0.update(failed[0]);
    const one = carvedBytes() - mark;
    expect(one).toBeGreaterThan(0);
    // Reservations of about four such updates: updates share one, and take a new one once a quarter is left.
    Object.assign(arenaPolicy, { updateBytes: 4 * one + 64 });
    releaseUpdateArena();
    const r0 = updateArenaReservations();
    const made: number[] = [];
    const twins = failed.slice(0, 7).map((f) => {
      const u = t0.update(f);
      made.push(updateArenaReservations() - r0);
      return u;
    });
    expect(made[0]).toBe(1);
    for (let i = 1; i < made.length; i++) expect([0, 1]).toContain(made[i] - made[i - 1]);
    expect(made.at(-1)).toBeGreaterThan(1);
    expect(made.at(-1)).toBeLessThanOrEqual(Math.ceil(made.length / 2));
    twins.forEach((u, i) => expectSameState(u, plainBuild(failed[i]), `edge ${i} failed`));
    // Below minBytes: plain arrays, no reservation.
    Object.assign(arenaPolicy, defaults);
    mark = carvedBytes();
    const r1 = updateArenaReservations();
    t0.update(failed[1]);
    expect(carvedBytes() - mark).toBe(0);
    expect(updateArenaReservations()).toBe(r1);
  }, 60_000);

  it('FIB columns carved from a build\'s arena take later edits in place, and forward like buffers of their own', () => {
    const lab = loadScenarioFile('scenarios/reference-lab.yaml').scenario;
    const { twin: t, carved } = withArenaBuild(lab, 512);
    expect(carved).toBeGreaterThan(0);
    const region = (u: Twin) => [u.compiled.entryGroup.buffer, u.compiled.entryGroup.byteOffset];
    // The columns are views into the arena, not buffers of their own.
    expect(t.compiled.entryGroup.buffer.byteLength).toBeGreaterThan(t.compiled.entryGroup.byteLength + 1024 * 4);
    const named = Object.entries(lab.tier1s!).filter(([, x]) => x.tier0).map(([n]) => n);
    const edits = Array.from({ length: 8 }, (_, i) => produce(lab, (d) => void (d.tier1s![named[i % named.length]].staticRoutes ??= []).push({ network: `203.0.113.${i + 1}/32`, nextHops: [{ blackhole: true }] })));
    const siblings = edits.map((next) => t.update(next));
    siblings.forEach((u, i) => expectSameState(u, plainBuild(edits[i]), `sibling ${i}`));
    // The first edit appends in the twin's region of the arena, after its values.
    expect(region(siblings[0])).toEqual(region(t));
    expect(siblings[0].compiled.entryRoute.length).toBeGreaterThan(t.compiled.entryRoute.length);
    // Once an edit had to copy the columns, the next one continues in that copy.
    const first = siblings.findIndex((u) => u.compiled.entryGroup.buffer !== t.compiled.entryGroup.buffer);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(siblings.length - 1);
    expect(region(siblings[first + 1])).toEqual(region(siblings[first]));
  }, 60_000);

  it('after most VIP routes moved (every stage from the tables on built again, through an arena of its own)', () => {
    const s = generateSize('S');
    const [vs] = Object.keys(s.avi!.virtualServices!);
    const moved = produce(s, (d) => void (d.avi!.virtualServices![vs].vip = { address: '198.51.100.77' }));
    Object.assign(arenaPolicy, { minBytes: 0, minArrayBytes: 0 });
    const t0 = new Twin(s);
    const before = carvedBytes();
    const t1 = t0.update(moved);
    const carved = carvedBytes() - before;
    Object.assign(arenaPolicy, defaults);
    expect(t1.report.stages.find((x) => x.stage === 'ribs')!.detail).toMatch(/^most VIP routes moved/);
    expect(carved).toBeGreaterThan(0);
    expectSameState(t1, plainBuild(moved), 'VIPs moved');
  }, 60_000);
});
