// The BGP control plane (src/engine/bgp/control-plane.ts) against the engines before it, compared
// on full state: the previous pass (bench/old/bgp-control-plane-2.ts: numbered attribute sets and
// shared decisions, before flat origination, per-group send state, echo skipping and shared RIB
// route templates) and the engine before the scale rework (bench/old/bgp-control-plane.ts: whole
// rounds, serialized state). Every speaker's table (paths with every attribute, source, session,
// peer, validity; best, multipath and reasons), locally originated paths, stopped paths, what is
// advertised on every session, rounds, oscillation and the RIB routes BGP installs must be the
// same — on every bundled scenario, the FRR topologies, the BGP fixtures, generated fabrics of the
// BGP shape, and generated fabrics with policies that the engine memoizes per attribute set (route
// maps that do not read the prefix) beside ones it must run per prefix (prefix lists).
import { describe, expect, it } from 'vitest';
import { bgpRibRoutes, runBgp } from '../../../src/engine/bgp/control-plane.js';
import { loadScenarioFile } from '../../../src/topology/load-file.js';
import { generateSize } from '../../../src/topology/generate.js';
import { bgpRibRoutes as prevRibRoutes, runBgp as prevRunBgp } from '../../../bench/old/bgp-control-plane-2.js';
import { bgpRibRoutes as oldRibRoutes, runBgp as oldRunBgp } from '../../../bench/old/bgp-control-plane.js';
import { attrsText, build, entryText, FILES, fullOf, localText, rejectedText, ribText, root, withPolicies, type Built } from './bgp-full-state.js';

function compareWithPrevious({ rs, net, base }: Built): number {
  const st = runBgp(rs, net, base);
  const prev = prevRunBgp(rs, net, base);
  const now = fullOf(st, bgpRibRoutes(st, net));
  const before = fullOf(prev, prevRibRoutes(prev, net));
  expect(now.rounds).toBe(before.rounds);
  expect(now.oscillation).toBe(before.oscillation);
  expect(now.speakers.length).toBe(before.speakers.length);
  now.speakers.forEach((sp, i) => expect(sp, sp.name).toEqual(before.speakers[i]));
  expect(now.rib).toEqual(before.rib);
  // Sizes without materializing agree with the tables.
  for (const sp of st.speakers) {
    const table = st.table(sp.index);
    expect(st.size(sp.index)).toEqual({ prefixes: table.length, paths: table.reduce((k, e) => k + e.paths.length, 0) });
  }
  return st.speakers.reduce((k, sp) => k + st.size(sp.index).paths, 0);
}

/** The engine before the scale rework stores tables, rejections and advertisements per speaker. */
function compareWithOld({ rs, net, base }: Built): void {
  const st = runBgp(rs, net, base);
  const old = oldRunBgp(rs, net, base);
  expect(st.rounds).toBe(old.rounds);
  expect(JSON.stringify(st.oscillation)).toBe(JSON.stringify(old.oscillation));
  expect(st.speakers.map((sp) => sp.name)).toEqual(old.speakers.map((sp) => sp.name));
  for (const sp of st.speakers) {
    expect(sp.local.map(localText), sp.name).toEqual(old.speakers[sp.index].local.map(localText));
    expect(st.table(sp.index).map(entryText), sp.name).toEqual(old.tables[sp.index].map(entryText));
    expect(
      sp.sessions.map((_, si) => st.advertised(sp.index, si).map(attrsText)),
      sp.name,
    ).toEqual(old.advertised[sp.index].map((list) => list.map(attrsText)));
    expect([...st.rejected(sp.index).map(rejectedText)].sort(), sp.name).toEqual([...old.rejected[sp.index].map(rejectedText)].sort());
  }
  expect(bgpRibRoutes(st, net).map(ribText)).toEqual(oldRibRoutes(old, net).map(ribText));
}

describe('BGP control plane equals the previous engine on full state', () => {
  it.each(FILES.map((f) => [f.slice(root('').length), f]))('%s', (_, file) => {
    compareWithPrevious(build(loadScenarioFile(file).scenario));
  });

  it('generated BGP fabrics: S with 6 Tier-1s, M with 60 Tier-1s (several thousand prefixes on 16 speakers)', () => {
    expect(compareWithPrevious(build(generateSize('S', { tier1s: 6, virtualServices: 12 })))).toBeGreaterThan(1000);
    expect(compareWithPrevious(build(generateSize('M', { tier1s: 60 })))).toBeGreaterThan(100_000);
  });

  it('generated fabrics with policies (memoized per attribute set and per prefix), an aggregate, a denying rule', () => {
    compareWithPrevious(build(withPolicies(4)));
    compareWithPrevious(build(withPolicies(12)));
  });
});

describe('BGP control plane equals the engine before the scale rework on full state', () => {
  it.each(FILES.map((f) => [f.slice(root('').length), f]))('%s', (_, file) => {
    compareWithOld(build(loadScenarioFile(file).scenario));
  });

  it('generated fabrics, with and without policies', () => {
    compareWithOld(build(generateSize('S', { tier1s: 3, virtualServices: 6 })));
    compareWithOld(build(withPolicies(3)));
  });
});
