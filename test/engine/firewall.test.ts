// Firewalls (src/engine/fib/firewall.ts and their place in the walk): rule compilation and first
// match, the gateway firewall on a Tier-1 SR, the distributed firewall at both vNICs, DENIED with
// the rule named, and validation of rule syntax.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { ScenarioError } from '../../src/topology/errors.js';
import { buildTwin } from '../../src/engine/twin.js';
import { compileRules, matchRule, PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../src/engine/fib/firewall.js';
import { parseIp } from '../../src/topology/ip.js';

const fw = loadScenarioFile('scenarios/edge-cases/firewall.yaml').scenario;
const twin = buildTwin(fw);
const ip = (s: string) => parseIp(s)!;

describe('compileRules / matchRule', () => {
  const rs = compileRules(fw, [
    { name: 'web', action: 'ALLOW', sources: ['ANY'], destinations: ['seg-centralized'], services: ['tcp/80', 'tcp/8000-8100'] },
    { name: 'dns', action: 'DROP', destinations: ['10.1.1.10'], services: ['udp/53'] },
    { name: 'ping', action: 'REJECT', services: ['icmp'] },
    { name: 'off', action: 'DROP', enabled: false },
  ])!;
  it('skips disabled rules and resolves segment names and addresses', () => {
    expect(rs.names).toEqual(['web', 'dns', 'ping']);
  });
  it('first match in order; ports and protocols; no match = -1 (default allow)', () => {
    expect(matchRule(rs, ip('1.2.3.4'), ip('10.1.2.10'), PROTO_TCP, 80)).toBe(0);
    expect(matchRule(rs, ip('1.2.3.4'), ip('10.1.2.10'), PROTO_TCP, 8050)).toBe(0);
    expect(matchRule(rs, ip('1.2.3.4'), ip('10.1.2.10'), PROTO_TCP, 8101)).toBe(-1);
    expect(matchRule(rs, ip('1.2.3.4'), ip('10.1.1.10'), PROTO_UDP, 53)).toBe(1);
    expect(matchRule(rs, ip('1.2.3.4'), ip('10.1.1.11'), PROTO_UDP, 53)).toBe(-1);
    expect(matchRule(rs, ip('1.2.3.4'), ip('10.9.9.9'), PROTO_ICMP, 0)).toBe(2);
  });
  it('no rules → null (nothing to evaluate)', () => {
    expect(compileRules(fw, [])).toBeNull();
    expect(compileRules(fw, undefined)).toBeNull();
  });
});

describe('firewalls in traces', () => {
  const fwHops = (r: ReturnType<typeof twin.trace>) => r.paths.map((p) => p.hops.filter((h) => h.rule !== undefined).map((h) => `${h.node} ${h.componentType} ${h.component} ${h.rule} ${h.observation}`));

  it('the gateway firewall on the active SR allows HTTPS into seg-centralized, naming the rule', () => {
    const r = twin.trace({ from: 'client', to: 'vm-centralized', proto: 'tcp', dport: 443 });
    expect(r.paths.map((p) => p.disposition)).toEqual(r.paths.map(() => 'DELIVERED'));
    for (const hops of fwHops(r)) expect(hops).toEqual(['edge-01 GATEWAY_FIREWALL t1-centralized allow-https-in FORWARDED']);
  });

  it('anything else to it is DENIED at the SR by the default-deny rule', () => {
    const r = twin.trace({ from: 'client', to: 'vm-centralized', proto: 'tcp', dport: 80 });
    for (const p of r.paths) {
      expect(p.disposition).toBe('DENIED');
      expect(p.hops[p.hops.length - 1]).toMatchObject({ componentType: 'GATEWAY_FIREWALL', rule: 'default-deny', observation: 'DROPPED' });
    }
  });

  it('the distributed firewall drops SSH entering a VM behind a DR-only Tier-1 (no gateway firewall there)', () => {
    const r = twin.trace({ from: 'client', to: 'vm-distributed', proto: 'tcp', dport: 22 });
    for (const p of r.paths) {
      expect(p.disposition).toBe('DENIED');
      const last = p.hops[p.hops.length - 1];
      expect(last).toMatchObject({ node: 'esx-01', component: 'DFW', componentType: 'DISTRIBUTED_FIREWALL', rule: 'no-ssh' });
      expect(last.detail).toContain('entering the destination vNIC');
      expect(p.hops[p.hops.length - 2]).toMatchObject({ componentType: 'TUNNEL', observation: 'RECEIVED' });
    }
  });

  it('the distributed firewall drops SSH leaving a VM, before the segment', () => {
    const r = twin.trace({ from: 'vm-distributed', to: 'client', proto: 'tcp', dport: 22 });
    expect(r.paths).toHaveLength(1);
    expect(r.paths[0].disposition).toBe('DENIED');
    expect(r.paths[0].hops.map((h) => h.componentType)).toEqual(['WORKLOAD', 'DISTRIBUTED_FIREWALL']);
    expect(r.paths[0].hops[1].detail).toContain('leaving the source vNIC');
  });

  it('traffic no rule matches passes without a firewall hop (the default rule allows)', () => {
    const r = twin.trace({ from: 'client', to: 'vm-distributed', proto: 'tcp', dport: 80 });
    expect(r.paths.every((p) => p.disposition === 'DELIVERED' && p.hops.every((h) => h.rule === undefined))).toBe(true);
  });
});

describe('firewall validation', () => {
  const base = `transportNodes: { esx-01: { type: host, tep: 10.0.0.1 } }
segments: { web: { subnet: 10.1.1.0/24 } }
tier1s: { t1: {} }
`;
  it('unknown addresses, bad services, duplicate names and a Tier-1 firewall without an SR', () => {
    const text = `${base}distributedFirewall:
  - { name: a, action: DROP, sources: [nowhere], services: [tcp/99999, http] }
  - { name: a, action: ALLOW, destinations: [web] }
`;
    try {
      loadScenarioText(text.replace('tier1s: { t1: {} }', 'tier1s: { t1: { gatewayFirewall: [{ name: g, action: DROP }] } }'));
      throw new Error('expected a ScenarioError');
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      expect(e.problems.map((p) => [p.path, p.code])).toEqual([
        ['tier1s.t1.gatewayFirewall', 'needs-edge-cluster'],
        ['distributedFirewall[0].sources[0]', 'dangling-reference'],
        ['distributedFirewall[0].services[0]', 'invalid-value'],
        ['distributedFirewall[0].services[1]', 'invalid-value'],
        ['distributedFirewall[1].name', 'duplicate-name'],
      ]);
    }
  });
});
