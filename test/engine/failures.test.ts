// Failures (scenario `failed:` / --fail): A/S SR failover to the standby edge, A/A SRs leaving
// the ECMP set, BGP sessions and routes withdrawn, hosts and their workloads down.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { applyOverrides } from '../../src/topology/overrides.js';
import { buildTwin } from '../../src/engine/twin.js';
import { QueryError } from '../../src/topology/errors.js';

const loaded = loadScenarioFile('scenarios/reference-lab.yaml');
const twin = (fail: string[]) => buildTwin(applyOverrides(loaded, { fail }).scenario);
const components = (t: ReturnType<typeof twin>, name: string) =>
  t.network.components.filter((c) => c.name === name && c.node >= 0).map((c) => `${t.network.nodes[c.node].name}:${c.ha}`);

describe('failed edges', () => {
  it('an A/S Tier-1 fails over to its standby edge; the A/A Tier-0 keeps the surviving SR', () => {
    expect(components(buildTwin(loaded.scenario), 't1-tkgi-mgmt')).toEqual(['edge-01:active', 'edge-02:standby']);
    const t = twin(['edge-01']);
    expect(components(t, 't1-tkgi-mgmt')).toEqual(['edge-01:down', 'edge-02:active']);
    expect(components(t, 't0-lhr')).toEqual(['edge-01:down', 'edge-02:active']);
    // The Tier-0 DR's default route now has one next hop (the SR on edge-02).
    const dflt = t.routes({ gateway: 't0-lhr' }).routes.find((r) => r.prefix === '0.0.0.0/0')!;
    expect(dflt.nextHops).toEqual([{ ip: '169.254.0.3', interface: 'backplane' }]);
  });

  it('the client reaches ops-manager through edge-02 only, entering the Tier-1 SR there', () => {
    const r = twin(['edge-01']).trace({ from: 'ubuntu02', to: 'ops-manager' });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0].disposition).toBe('DELIVERED');
    const hops = r.paths[0].hops.filter((h) => h.componentType === 'T0_SR' || h.componentType === 'T1_SR').map((h) => `${h.node} ${h.componentType}`);
    expect(hops).toEqual(['edge-02 T0_SR', 'edge-02 T1_SR']);
  });

  it('BGP: the ToR loses the session to the failed edge and keeps one path per prefix', () => {
    const v = twin(['edge-02']).bgp({ router: 'tor-01', prefix: '10.146.40.0/24' });
    expect(v.sessions.find((s) => s.neighbor === '10.146.10.12')).toMatchObject({ state: 'Down', reason: 't0-lhr on edge-02 is down (failed)' });
    expect(v.routes.map((r) => [r.nextHop, r.best, r.multipath])).toEqual([['10.146.10.11', true, false]]);
  });

  it('both edges failed: the NSX prefixes are withdrawn from the ToR', () => {
    const v = twin(['edge-01', 'edge-02']).bgp({ router: 'tor-01' });
    expect(v.routes.map((r) => r.prefix)).toEqual(['172.60.146.0/24']);
  });
});

describe('failed hosts and end hosts', () => {
  it('a workload on a failed host cannot be reached (ARP_FAILED) nor traced from', () => {
    const t = twin(['esx-01']);
    const r = t.trace({ from: 'ubuntu02', to: 'ops-manager' });
    expect(new Set(r.paths.map((p) => p.disposition))).toEqual(new Set(['ARP_FAILED']));
    expect(() => t.trace({ from: 'ops-manager', to: 'ubuntu02' })).toThrow(QueryError);
  });

  it('a failed physical router drops its sessions and stops forwarding', () => {
    const t = twin(['tor-01']);
    expect(() => t.bgp({ router: 'tor-01' })).toThrow(/no BGP speaker named "tor-01"/);
    expect(t.bgp({ router: 't0-lhr' }).routes.filter((r) => r.peer === '10.146.10.1')).toEqual([]);
    expect(t.trace({ from: 'ubuntu02', to: 'ops-manager' }).paths[0].disposition).toBe('ARP_FAILED');
  });
});
