// The model after segments were added after the others (or the last ones removed), made from the
// previous model (model/grow.ts withSegmentsAtEnd), is the model expand() makes of the edited
// scenario, object for object: on every bundled scenario and a generated fabric, segments on a
// Tier-1, on a Tier-0, without a gateway address and on VLAN, added and removed again; expand
// numbers segment domains and downlinks last, so that such an edit keeps every other id.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { produce } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { generateSize } from '../../src/topology/generate.js';
import { realize } from '../../src/topology/realize/index.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { expand } from '../../src/engine/model/expand.js';
import { reshapedOrigin, withSegmentsAtEnd } from '../../src/engine/model/grow.js';

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** The model's parts as plain data (its maps as entry lists). */
const plain = (net: ReturnType<typeof expand>) => ({
  ...net,
  gateways: [...net.gateways],
  nodeByName: [...net.nodeByName],
  endpointByName: [...net.endpointByName],
  endpointByIp: [...net.endpointByIp],
  routerByName: [...net.routerByName],
});

/** Segments added after the others: on the first Tier-1 and the first Tier-0 (each with a gateway address), one with a subnet only, one VLAN. */
function withNewSegments(s: Scenario): Scenario {
  const t1 = Object.keys(s.tier1s ?? {})[0];
  const t0 = Object.keys(s.tier0s ?? {})[0];
  return produce(s, (d) => {
    d.segments ??= {};
    if (t1 !== undefined) d.segments['grown-t1'] = { tier1: t1, gateway: '198.18.77.1/24' };
    if (t0 !== undefined) d.segments['grown-t0'] = { tier0: t0, gateway: '198.18.78.1/24' };
    d.segments['grown-isolated'] = { subnet: '198.18.79.0/24' };
    d.segments['grown-vlan'] = { type: 'vlan', subnet: '198.18.80.0/24' } as never;
  });
}

describe('a model grown by segments added after the others = the model expanded from scratch', () => {
  const scenarios: [string, Scenario][] = [...bundled().map((f): [string, Scenario] => [f, loadScenarioFile(f).scenario]), ['generated S', generateSize('S')]];
  for (const [name, s] of scenarios) {
    it(name, () => {
      const was = realize(s).scenario;
      const next = realize(withNewSegments(s), s).scenario;
      const prev = expand(was);
      const grown = withSegmentsAtEnd(prev, was, next);
      // Segments the controllers created (NCP) come after the user's in the realized scenario: the user's new ones are not last.
      if (Object.keys(realize(s).created?.segments ?? {}).length) {
        expect(grown).toBeNull();
        return;
      }
      expect(grown).not.toBeNull();
      const fresh = expand(next);
      expect(plain(grown!.network)).toEqual(plain(fresh));
      // Every previous id kept: the previous domains and interfaces are the same objects, then the new ones.
      prev.domains.forEach((x, i) => expect(grown!.network.domains[i]).toBe(x));
      prev.interfaces.forEach((x, i) => expect(grown!.network.interfaces[i]).toBe(x));
      expect(grown!.network.domains.length - prev.domains.length).toBe(4);
      // The DRs given a downlink changed; nothing else.
      const drs = new Set(grown!.network.interfaces.slice(prev.interfaces.length).map((i) => i.component));
      expect(grown!.delta.changedComponents).toEqual(drs);
      expect(grown!.delta.reshaped).toBe(true);
      // And back: the segments removed again give the first model.
      const back = withSegmentsAtEnd(grown!.network, next, was);
      expect(back).not.toBeNull();
      expect(plain(back!.network)).toEqual(plain(prev));
      expect(back!.delta.changedComponents).toEqual(drs);
      // Each knows what it was reshaped from and how much of it it shares (what per-shape indexes are made from).
      expect(reshapedOrigin(grown!.network)).toEqual({ prev, interfaces: prev.interfaces.length, domains: prev.domains.length });
      expect(reshapedOrigin(back!.network)).toEqual({ prev: grown!.network, interfaces: prev.interfaces.length, domains: prev.domains.length });
      expect(reshapedOrigin(prev)).toBeUndefined();
    });
  }

  it('segments not after the others, or one replaced, are no growth', () => {
    const s = loadScenarioFile('scenarios/reference-lab.yaml').scenario;
    const first = Object.keys(s.segments!)[0];
    const moved = produce(s, (d) => {
      const seg = d.segments![first];
      delete d.segments![first];
      d.segments![first] = seg;
    });
    expect(withSegmentsAtEnd(expand(s), s, moved)).toBeNull();
    const replaced = produce(s, (d) => {
      d.segments![first] = { ...d.segments![first] };
      d.segments!['grown'] = { subnet: '198.18.79.0/24' };
    });
    expect(withSegmentsAtEnd(expand(s), s, replaced)).toBeNull();
    expect(withSegmentsAtEnd(expand(s), s, s)).toBeNull();
  });
});
