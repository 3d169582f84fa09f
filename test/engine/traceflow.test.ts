// Traceflow's request handling and the walker underneath (src/engine/queries/trace-report.ts,
// src/engine/walk/packet-walk.ts; the traces themselves are in trace.test.ts): endpoint resolution, flows,
// path sinks, and a reused walker giving the same answers as a fresh one.
import { describe, expect, it } from 'vitest';
import { THREE_EDGE_LAB } from './three-edge-lab.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { parseIp } from '../../src/topology/ip.js';
import { QueryError } from '../../src/topology/errors.js';
import { Twin, buildTwin } from '../../src/engine/twin.js';
import { makeFlow, resolveDestination, resolveSource, traceflow } from '../../src/engine/queries/trace-report.js';
import { DISPOSITIONS, Walker, type PathSink } from '../../src/engine/walk/packet-walk.js';


const t = new Twin(loadScenarioText(THREE_EDGE_LAB).scenario);
const c = t.compiled;

describe('endpoint resolution', () => {
  it('a source is a workload or physical host by name, or an address one owns', () => {
    expect(resolveSource(c, 'vm1')).toBe(c.net.endpointByName.get('vm1'));
    expect(resolveSource(c, '172.16.0.10')).toBe(c.net.endpointByName.get('client'));
    expect(() => resolveSource(c, '10.1.1.1')).toThrow(QueryError); // a gateway address, not an endpoint
    expect(() => resolveSource(c, 'tor')).toThrow(/unknown source "tor"/);
  });

  it('a destination is any address, or an endpoint by name', () => {
    expect(resolveDestination(c, '8.8.8.8')).toEqual({ ip: parseIp('8.8.8.8'), name: null });
    expect(resolveDestination(c, '10.1.1.10')).toEqual({ ip: parseIp('10.1.1.10'), name: 'vm1' });
    expect(resolveDestination(c, 'client')).toEqual({ ip: parseIp('172.16.0.10'), name: 'client' });
    expect(() => resolveDestination(c, 'nobody')).toThrow(QueryError);
  });

  it('numbers and dots that are no IPv4 address are a bad address, not a name or an FQDN', () => {
    expect(() => resolveDestination(c, '999.1.1.1')).toThrow(/destination "999.1.1.1" is not a valid IPv4 address/);
    expect(() => resolveDestination(c, '10.1.1')).toThrow(/not a valid IPv4 address/);
    expect(() => resolveSource(c, '10.1.1.300')).toThrow(/source "10.1.1.300" is not a valid IPv4 address/);
  });

  it('makeFlow: icmp by default, ports only for tcp/udp', () => {
    expect(makeFlow(c, { from: 'vm1', to: 'client' }).flow).toEqual({ from: 'vm1', to: 'client', src: '10.1.1.10', dst: '172.16.0.10', proto: 'icmp', sport: null, dport: null });
    expect(makeFlow(c, { from: 'vm1', to: '8.8.8.8', proto: 'udp', dport: 53 }).flow).toMatchObject({ to: null, proto: 'udp', sport: 49152, dport: 53 });
    expect(() => makeFlow(c, { from: 'vm1', to: 'client', proto: 'tcp', dport: 1.5 })).toThrow(QueryError);
  });
});

describe('the walker', () => {
  it('hands each finished path to the sink and returns the number of paths', () => {
    const w = new Walker(c);
    const seen: [number, string][] = [];
    const sink: PathSink = { path: (_w, length, disposition) => seen.push([length, DISPOSITIONS[disposition]]) };
    const n = w.trace(c.net.endpointByName.get('vm1')!, parseIp('172.16.0.10')!, sink);
    expect(n).toBe(3); // the Tier-0 DR's default is ECMP over three SRs
    expect(seen.map(([, d]) => d)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect(w.truncated).toBe(false);
  });

  it('a reused walker answers like a fresh one, also after a truncated trace', () => {
    const small = buildTwin(loadScenarioText(THREE_EDGE_LAB + 'settings:\n  maxPaths: 2\n').scenario);
    const w = new Walker(small.compiled);
    const first = traceflow(small.compiled, { from: 'client', to: 'vm1' }, w);
    expect(first.paths).toHaveLength(1);
    const cut = traceflow(small.compiled, { from: 'vm1', to: 'client' }, w);
    expect(cut.truncated).toBe(true);
    expect(cut.paths).toHaveLength(2);
    const again = traceflow(small.compiled, { from: 'client', to: 'vm1' }, w);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const fresh = traceflow(small.compiled, { from: 'vm1', to: 'client' }, new Walker(small.compiled));
    expect(JSON.stringify(traceflow(small.compiled, { from: 'vm1', to: 'client' }, w))).toBe(JSON.stringify(fresh));
  });
});
