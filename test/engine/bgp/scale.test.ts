// The BGP engine's scale mechanics on a generated fabric of the realistic shape (8 edges, 8 ToRs
// peering by eBGP with every SR, inter-SR iBGP): the results a real deployment expects (every
// ToR holds every Tier-1 prefix with 8 ECMP paths), interned attributes shared between the ToRs'
// Adj-RIB-Ins, a converged run that re-decided only what changed, and the stopped paths and
// advertisements computed on demand from the final tables.
import { describe, expect, it } from 'vitest';
import { bgpRibRoutes } from '../../../src/engine/bgp/control-plane.js';
import { buildTwin } from '../../../src/engine/twin.js';
import { generateSize } from '../../../src/topology/generate.js';

describe('BGP at scale: the generated BGP shape', () => {
  const tw = buildTwin(generateSize('S', { tier1s: 6, virtualServices: 12 }));
  const st = tw.bgpState;
  const tors = st.speakers.filter((sp) => sp.kind === 'router');
  const srs = st.speakers.filter((sp) => sp.kind === 'tier0-sr');

  it('converges in 3 rounds; every ToR holds every redistributed prefix with one path per SR, all multipath', () => {
    expect(st.oscillation).toBeNull();
    expect(st.rounds).toBe(3);
    expect(tors.length).toBe(8);
    expect(srs.length).toBe(8);
    const redistributed = st.table(srs[0].index).filter((e) => e.paths[e.selection.best].session < 0).map((e) => e.prefix);
    expect(redistributed.length).toBeGreaterThan(6 * 10);
    for (const tor of tors) {
      const table = st.table(tor.index);
      for (const p of redistributed) {
        const e = table.find((x) => x.prefix.addr === p.addr && x.prefix.len === p.len)!;
        expect(e.paths.length).toBe(8);
        expect(e.selection.multipath.length).toBe(8);
        expect(e.paths.every((x) => x.attrs.asPath.join(' ') === '65000')).toBe(true);
      }
    }
  });

  it('interns path attributes: the path an SR sends every ToR is one object in all eight Adj-RIB-Ins', () => {
    const prefix = st.table(tors[0].index).find((e) => e.prefix.len === 24 && e.paths.length === 8)!.prefix;
    const fromFirstSr = tors.map((tor) => st.table(tor.index).find((e) => e.prefix.addr === prefix.addr && e.prefix.len === prefix.len)!.paths.find((p) => p.source === `from ${srs[0].name}`)!.attrs);
    expect(new Set(fromFirstSr).size).toBe(1);
    // Equal attributes on different sessions are one object; different next hops are not.
    const onFirstTor = st.table(tors[0].index).find((e) => e.prefix.addr === prefix.addr && e.prefix.len === prefix.len)!.paths.map((p) => p.attrs);
    expect(new Set(onFirstTor).size).toBe(8);
  });

  it('stopped paths and advertisements are computed when asked, the same on every call', () => {
    const sr = srs[0];
    const rej = st.rejected(sr.index);
    // Each ToR sends every NSX prefix back with AS 65000 in the path: stopped by loop detection.
    expect(rej.filter((r) => r.reason.startsWith('AS-path loop: the path contains own AS 65000')).length).toBeGreaterThan(0);
    expect(st.rejected(sr.index)).toBe(rej);
    const torSession = sr.sessions.findIndex((s) => s.type === 'ebgp');
    const adv = st.advertised(sr.index, torSession);
    // Its redistributed prefixes (AS path 65000) and what it learned from the ToRs (65000 65100).
    const own = st.table(sr.index).filter((e) => e.paths[e.selection.best].session < 0).length;
    expect(adv.filter((a) => a.asPath.join(' ') === '65000').length).toBe(own);
    expect(adv.filter((a) => a.asPath.join(' ') === '65000 65100').map((a) => `${a.prefix.addr >>> 24}.${(a.prefix.addr >>> 16) & 255}/${a.prefix.len}`)).toEqual(['0.0/0', '172.31/24']);
    expect(adv.every((a) => a.nextHop === sr.sessions[torSession].localAddress)).toBe(true);
    const view = tw.bgp({ router: sr.owner, edge: sr.edge!, neighbor: st.speakers[sr.sessions[torSession].peer].name, direction: 'advertised' });
    expect(view.routes.length).toBe(adv.length);
  });

  it('explains a table entry only when read, with the same reasons as a full selection', () => {
    const e = st.table(tors[0].index).find((x) => x.paths.length === 8)!;
    expect(e.selection.reasons[e.selection.best]).toMatch(/^best: won at /);
    expect(e.selection.reasons.filter((r) => r.startsWith('multipath with the best path')).length).toBe(7);
  });

  it('sizes tables without materializing them; one prefix entry equals the full table entry', () => {
    for (const sp of st.speakers) {
      const table = st.table(sp.index);
      expect(st.size(sp.index)).toEqual({ prefixes: table.length, paths: table.reduce((k, e) => k + e.paths.length, 0) });
    }
    const e = st.table(tors[0].index).find((x) => x.paths.length === 8)!;
    const one = st.entry(tors[0].index, e.prefix)!;
    expect(one.paths.map((p) => [p.source, p.attrs])).toEqual(e.paths.map((p) => [p.source, p.attrs]));
    expect([one.selection.best, one.selection.multipath, one.selection.reasons]).toEqual([e.selection.best, e.selection.multipath, e.selection.reasons]);
    expect(st.entry(tors[0].index, { addr: 0x01020300, len: 24 })).toBeNull();
  });

  it('installs the ECMP next hops of every prefix with the same 8 paths as one shared list', () => {
    const routes = bgpRibRoutes(st, tw.network).filter((r) => r.component === tors[0].component && r.nextHops.length === 8);
    expect(routes.length).toBeGreaterThan(6 * 10);
    expect(new Set(routes.map((r) => r.nextHops)).size).toBe(1);
    expect(routes[0].nextHops.every((h) => h.interface !== null && !h.blackhole)).toBe(true);
  });
});
