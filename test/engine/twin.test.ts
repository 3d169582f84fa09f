// The engine facade (src/engine/twin.ts): the model, routes and forwarding core computed once from
// a scenario, and the three questions (trace, routes, topology).
import { describe, expect, it } from 'vitest';
import { THREE_EDGE_LAB } from './three-edge-lab.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { Twin, buildTwin } from '../../src/engine/twin.js';


describe('Twin', () => {
  it('computes the model, the routes and the forwarding core once, from a frozen scenario', () => {
    const l = loadScenarioText(THREE_EDGE_LAB);
    const tw = buildTwin(l.scenario);
    expect(tw.scenario).toBe(l.scenario);
    expect(tw.compiled.net).toBe(tw.network);
    expect(tw.compiled.routing).toBe(tw.routing);
    expect(tw.trace({ from: 'vm1', to: 'client' }).paths).toHaveLength(3);
    expect(tw.routes({ gateway: 't1' }).componentType).toBe('T1_DR');
    expect(tw.topology().hasNode('tier1:t1')).toBe(true);
    // The scenario is untouched.
    expect(JSON.parse(JSON.stringify(l.scenario))).toEqual(loadScenarioText(THREE_EDGE_LAB).scenario);
  });
});

describe('Twin: independent instances', () => {
  it('two twins of one scenario do not share state', () => {
    const s = loadScenarioText(THREE_EDGE_LAB).scenario;
    const a = new Twin(s);
    const b = new Twin(s);
    expect(a.network).not.toBe(b.network);
    expect(JSON.stringify(a.trace({ from: 'client', to: 'vm1' }))).toBe(JSON.stringify(b.trace({ from: 'client', to: 'vm1' })));
    expect(a.routes({ router: 'tor' })).toEqual(b.routes({ router: 'tor' }));
  });
});
