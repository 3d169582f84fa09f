// The walker's records made from the previous compilation's (walk/packet-walk.ts: next-hop
// records, flattened small tables, twin rows, the own-address filter, end-host records: what an
// edit's first trace derives) answer as records made from scratch. Random edit sequences on the
// bundled scenarios and a generated BGP fabric: each compilation is traced on a flow sample after
// its predecessor was, and the same compilation traced with nothing to derive from gives the same
// traces, path by path.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { produce } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { validateScenario } from '../../src/topology/validate.js';
import { generateSize } from '../../src/topology/generate.js';
import { formatIp, parseIp } from '../../src/topology/ip.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { compile, type CompiledNetwork } from '../../src/engine/fib/compile.js';
import { RibTable, Ribs, Route, nextHop } from '../../src/engine/ribs/route.js';
import { traceflow, type TraceRequest } from '../../src/engine/queries/trace-report.js';
import { lookupTwin, walkerRecords } from '../../src/engine/walk/packet-walk.js';
import { editsOf } from './incremental-edits.js';

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** End-host pairs, an outside address and VIPs, both ways through NAT where there is some. */
function sample(t: Twin, max = 30): TraceRequest[] {
  const eps = t.network.endpoints.filter((e) => e.kind === 'WORKLOAD' || e.kind === 'PHYSICAL_HOST').map((e) => e.name);
  const names = eps.filter((_, i) => i % Math.max(1, Math.floor(eps.length / 6)) === 0).slice(0, 6);
  const targets = [...names, '8.8.8.8', ...(t.realized.avi?.virtualServices.slice(0, 3).map((v) => formatIp(v.vip)) ?? [])];
  const out: TraceRequest[] = [];
  for (const from of names) for (const to of targets) if (from !== to && out.length < max) out.push({ from, to, proto: 'tcp', dport: 80 });
  return out;
}

function traces(c: CompiledNetwork, reqs: readonly TraceRequest[]): string[] {
  return reqs.map((r) => {
    try {
      return JSON.stringify(traceflow(c, r, undefined, { withReturn: true }));
    } catch (e) {
      return `error: ${(e as Error).message}`;
    }
  });
}

/** The same compilation with nothing to derive from (a new object: the walker's records are made from scratch). */
const scratch = (c: CompiledNetwork): CompiledNetwork => ({ ...c, previous: null });

describe("the walker's records after an edit = records made from scratch", () => {
  const scenarios: [string, Scenario][] = [...bundled().map((f): [string, Scenario] => [f, loadScenarioFile(f).scenario]), ['generated S', generateSize('S')]];
  for (const [name, start] of scenarios) {
    it(`random edits of ${name}`, () => {
      if (!editsOf(start).length) return;
      const base = new Twin(start);
      const reqs = sample(base);
      traces(base.compiled, reqs);
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (picks) => {
          let s = start;
          let t = base;
          for (const k of picks) {
            const edits = editsOf(s);
            const next = produce(s, (d) => void edits[k % edits.length].recipe(d));
            if (validateScenario(next, () => ({ file: 'edit' })).length) continue;
            const u = t.update(next);
            const derived = traces(u.compiled, reqs);
            expect(derived).toEqual(traces(scratch(u.compiled), reqs));
            s = next;
            t = u;
          }
        }),
        { numRuns: name === 'generated S' ? 6 : 10, seed: 11 },
      );
    }, 120_000);
  }

  it('an SE failed: the next-hop records are the previous ones but for the changed next hops, the Tier-0 SR twin rows and the address filter are shared', () => {
    const s = generateSize('S');
    const t = new Twin(s);
    const reqs = sample(t);
    traces(t.compiled, reqs);
    const se = Object.keys(Object.values(s.avi!.seGroups ?? {})[0].serviceEngines)[0];
    const u = t.update(produce(s, (d) => void (d.failed ??= []).push(se)));
    expect(traces(u.compiled, reqs)).toEqual(traces(scratch(u.compiled), reqs));
    const sr = [...u.network.gateways.values()].find((g) => g.srs.length > 2)!.srs[0];
    const before = walkerRecords(t.compiled, sr)!;
    const after = walkerRecords(u.compiled, sr)!;
    expect(after.twinRows).not.toBeNull();
    expect(after.twinRows).toBe(before.twinRows);
    expect(after.own).toBe(before.own);
    expect(after.ep).toBe(before.ep);
    // Made from scratch, the same compilation gets rows of its own, equal to the shared ones.
    const fresh = scratch(u.compiled);
    traces(fresh, reqs.slice(0, 1));
    const own = walkerRecords(fresh, sr)!;
    expect(own.twinRows).not.toBe(after.twinRows);
    expect(own.twinRows).toEqual(after.twinRows);
    expect(own.nh).toEqual(after.nh);
  });

  it('a Tier-0 static route given another next hop (the SR blocks kept in place, no ARP answer changed): the twin rows of its entry are made again', () => {
    const s0 = produce(generateSize('S'), (d) => void (d.tier0s!.t0.staticRoutes = [{ network: '198.51.100.0/24', nextHops: [{ ip: '192.168.0.1' }] }]));
    const t = new Twin(s0);
    const reqs = [...sample(t, 12), ...sample(t, 6).map((r) => ({ ...r, to: '198.51.100.9' }))];
    traces(t.compiled, reqs);
    // The SRs' static route alone replaced (the same prefix at the same position): the tables an
    // update installs when nothing else changed, compiled from the twin's compilation.
    const srs = [...t.network.gateways.values()].find((g) => g.srs.length > 2)!.srs;
    const ribs = t.routing.ribs.slice();
    for (const sr of srs) {
      const k = ribs[sr].findIndex((r) => r.type === 'static' && r.prefix.len === 24 && formatIp(r.prefix.addr) === '198.51.100.0');
      const r = ribs[sr].at(k);
      const moved = new Route(sr, r.prefix, r.type, r.distance, [nextHop(parseIp('192.168.0.2')!, r.nextHops[0].interface)], r.origin);
      moved.selected = true;
      ribs[sr] = RibTable.of([...ribs[sr].slice(0, k), moved, ...ribs[sr].slice(k + 1)]);
    }
    const c = compile(t.network, new Ribs(ribs), t.realized.scenario, t.compiled.lb, { previous: t.compiled, changed: new Set(srs) });
    // Kept in place: the patch names the static route's entry in every SR block, and nothing else.
    expect(c.groupPatch!.length).toBe(3 * srs.length);
    expect(srs.every((sr) => c.blockStart[sr] === t.compiled.blockStart[sr])).toBe(true);
    const derived = traces(c, reqs);
    const fresh = scratch(c);
    expect(derived).toEqual(traces(fresh, reqs));
    // And as the same tables compiled from scratch (no patch at all).
    expect(derived).toEqual(traces(compile(t.network, new Ribs(ribs), t.realized.scenario, t.compiled.lb), reqs));
    expect(derived.some((x) => x.includes('192.168.0.2'))).toBe(true);
    expect(walkerRecords(c, srs[0])!.twinRows).toEqual(walkerRecords(fresh, srs[0])!.twinRows);
    expect(walkerRecords(c, srs[0])!.twinRows).not.toEqual(walkerRecords(t.compiled, srs[0])!.twinRows);
  });

  it('a ToR failed (the SR blocks kept in place, their default route\'s entry given a new group): the twin rows are the previous ones with the changed entries made again, equal to rows made from scratch', () => {
    const s = generateSize('S');
    const t = new Twin(s);
    const reqs = sample(t);
    traces(t.compiled, reqs);
    const tor = Object.keys(s.physicalRouters ?? {})[0];
    const u = t.update(produce(s, (d) => void (d.failed ??= []).push(tor)));
    const derived = traces(u.compiled, reqs);
    const fresh = scratch(u.compiled);
    expect(derived).toEqual(traces(fresh, reqs));
    const sr = [...u.network.gateways.values()].find((g) => g.srs.length > 2)!.srs[0];
    expect(u.compiled.fib[sr]).not.toBe(t.compiled.fib[sr]);
    const before = walkerRecords(t.compiled, sr)!;
    const after = walkerRecords(u.compiled, sr)!;
    const own = walkerRecords(fresh, sr)!;
    expect(after.twinRows).not.toBeNull();
    expect(after.twinRows).not.toBe(before.twinRows);
    expect(after.twinRows).toEqual(own.twinRows);
    // Some cells were made again (the default route's group changed), most kept.
    let differ = 0;
    for (let k = 0; k < after.twinRows!.length; k++) if (after.twinRows![k] !== before.twinRows![k]) differ++;
    expect(differ).toBeGreaterThan(0);
    expect(differ).toBeLessThan(after.twinRows!.length / 2);
  });

  it('an edge failed, then back (the ToRs\' groups remapped in the group map, the failed SR\'s default route gone): the twin rows are rebased, the failed SR looked up on its own; traces as from scratch, and after it is back', () => {
    const s = generateSize('S');
    const t = new Twin(s);
    const reqs = sample(t);
    traces(t.compiled, reqs);
    const gw = [...t.network.gateways.values()].find((g) => g.srs.length > 2)!;
    const [first, , third] = gw.srs;
    const edge = t.network.nodes[t.network.components[third].node].name;
    const u = t.update(produce(s, (d) => void (d.failed ??= []).push(edge)));
    expect(u.compiled.remapped.length).toBeGreaterThan(0);
    const derived = traces(u.compiled, reqs);
    const fresh = scratch(u.compiled);
    expect(derived).toEqual(traces(fresh, reqs));
    const before = walkerRecords(t.compiled, first)!;
    const after = walkerRecords(u.compiled, first)!;
    // The cells of the SRs still twins (a column of one no longer a twin is not read) as made from scratch.
    const own = walkerRecords(fresh, first)!.twinRows!;
    const stride = gw.srs.length - 1;
    for (let j = 1; j < gw.srs.length; j++) {
      if (lookupTwin(fresh, gw.srs[j]) !== first) continue;
      for (let k = j - 1; k < own.length; k += stride) if (after.twinRows![k] !== own[k]) expect([j, k, after.twinRows![k]]).toEqual([j, k, own[k]]);
    }
    // Rebased: most cells as they were.
    let differ = 0;
    for (let k = 0; k < after.twinRows!.length; k++) if (after.twinRows![k] !== before.twinRows![k]) differ++;
    expect(differ).toBeLessThan(after.twinRows!.length / 4);
    // The failed SR on its own, the others twins of the first, as a resolution from scratch finds.
    expect(gw.srs.map((sr) => lookupTwin(u.compiled, sr))).toEqual(gw.srs.map((sr) => lookupTwin(fresh, sr)));
    expect(lookupTwin(u.compiled, third)).toBe(third);
    expect(lookupTwin(u.compiled, gw.srs[1])).toBe(first);
    // Back (computed as an edit): traces as from scratch; the SR stays looked up on its own along this chain.
    const back = u.update(s, { takeUndone: false });
    expect(traces(back.compiled, reqs)).toEqual(traces(scratch(back.compiled), reqs));
    expect(lookupTwin(back.compiled, gw.srs[1])).toBe(first);
  });
});
