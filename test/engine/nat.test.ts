// NAT on SRs (src/engine/fib/nat.ts and its place in the walk): rule order, SNAT on the way out,
// DNAT with a port on the way in, REFLEXIVE, NO_SNAT exemptions, TIER1_NAT advertisement and the
// validation rules (A/A Tier-0 only REFLEXIVE, needs an SR, translated fields per action).
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { applyOverrides } from '../../src/topology/overrides.js';
import { ScenarioError } from '../../src/topology/errors.js';
import { buildTwin } from '../../src/engine/twin.js';
import { compileNat, mapAddress, matchInbound, matchOutbound, NAT_NO_SNAT } from '../../src/engine/fib/nat.js';
import { parseIp, parsePrefix } from '../../src/topology/ip.js';

const loaded = loadScenarioFile('scenarios/edge-cases/nat.yaml');
const twin = buildTwin(loaded.scenario);
const ip = (s: string) => parseIp(s)!;
const natHops = (r: ReturnType<typeof twin.trace>) => r.paths.map((p) => p.hops.filter((h) => h.componentType === 'NAT').map((h) => `${h.node} ${h.component} ${h.rule}: ${h.detail}`));

describe('compileNat / match', () => {
  const t = compileNat([
    { name: 'default-snat', action: 'SNAT', section: 'DEFAULT', source: '10.0.0.0/8', translated: '192.0.2.1' },
    { name: 'no-snat-internal', action: 'NO_SNAT', source: '10.1.0.0/16', destination: '10.0.0.0/8', sequence: 5 },
    { name: 'reflexive', action: 'REFLEXIVE', source: '10.2.0.0/24', translated: '198.51.100.0/24', sequence: 10 },
    { name: 'off', action: 'SNAT', source: '0.0.0.0/0', translated: '1.1.1.1', enabled: false },
  ])!;
  it('orders by section, then sequence; drops disabled rules', () => {
    expect(t.names).toEqual(['no-snat-internal', 'reflexive', 'default-snat']);
  });
  it('first match decides; NO_SNAT exempts; REFLEXIVE maps 1:1 both ways', () => {
    expect(t.actions[matchOutbound(t, ip('10.1.1.1'), ip('10.9.9.9'))]).toBe(NAT_NO_SNAT);
    expect(t.names[matchOutbound(t, ip('10.1.1.1'), ip('8.8.8.8'))]).toBe('default-snat');
    expect(t.names[matchOutbound(t, ip('10.2.0.7'), ip('8.8.8.8'))]).toBe('reflexive');
    expect(t.names[matchInbound(t, ip('8.8.8.8'), ip('198.51.100.7'), 6, 80)]).toBe('reflexive');
    expect(matchOutbound(t, ip('172.16.0.1'), ip('8.8.8.8'))).toBe(-1);
  });
  it('mapAddress: 1:1 by offset for equal sizes, else the first pool address', () => {
    expect(mapAddress(ip('10.2.0.7'), parsePrefix('10.2.0.0/24')!, parsePrefix('198.51.100.0/24')!)).toBe(ip('198.51.100.7'));
    expect(mapAddress(ip('10.2.0.7'), parsePrefix('10.2.0.0/24')!, parsePrefix('192.0.2.0/28')!)).toBe(ip('192.0.2.0'));
    expect(mapAddress(ip('10.2.0.7'), parsePrefix('10.0.0.0/8')!, { addr: ip('192.0.2.1'), len: 32 })).toBe(ip('192.0.2.1'));
  });
});

describe('NAT in traces', () => {
  it('SNAT on the Tier-1 SR on the way out, before the Tier-0 (egress: routing, firewall, SNAT)', () => {
    const r = twin.trace({ from: 'vm-centralized', to: 'client' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED']);
    for (const hops of natHops(r)) expect(hops).toEqual(['edge-01 t1-centralized snat-app: SNAT source 10.1.2.10 → 192.0.2.100 (rule "snat-app")']);
  });

  it('DNAT with a port on the way in: 192.0.2.200:2222 → vm-centralized:22', () => {
    const r = twin.trace({ from: 'client', to: '192.0.2.200', proto: 'tcp', dport: 2222 });
    for (const p of r.paths) {
      expect(p.disposition).toBe('DELIVERED');
      expect(p.hops[p.hops.length - 1]).toMatchObject({ component: 'vm-centralized', componentType: 'WORKLOAD' });
    }
    for (const hops of natHops(r)) expect(hops).toEqual(['edge-01 t1-centralized dnat-ssh: DNAT destination 192.0.2.200:2222 → 10.1.2.10:22 (rule "dnat-ssh")']);
    // Another port matches no DNAT rule: the NAT address itself has no owner behind the Tier-1.
    const other = twin.trace({ from: 'client', to: '192.0.2.200', proto: 'tcp', dport: 80 });
    expect(other.paths.every((p) => p.disposition !== 'DELIVERED')).toBe(true);
  });

  it('a firewall sees the translated destination inbound (DNAT before the gateway firewall)', () => {
    const v = applyOverrides(loaded, { set: ['tier1s.t1-centralized.gatewayFirewall=[{name: ssh-to-vm, action: ALLOW, destinations: [10.1.2.10], services: [tcp/22]}, {name: deny, action: DROP}]'] });
    const r = buildTwin(v.scenario).trace({ from: 'client', to: '192.0.2.200', proto: 'tcp', dport: 2222 });
    expect(r.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
    expect(r.paths[0].hops.filter((h) => h.rule).map((h) => `${h.componentType} ${h.rule}`)).toEqual(['NAT dnat-ssh', 'GATEWAY_FIREWALL ssh-to-vm']);
  });

  it('the Tier-1 advertises its NAT addresses (t1n on the Tier-0)', () => {
    const t1n = twin.routes({ gateway: 't0-main' }).routes.filter((r) => r.type === 't1n');
    expect(t1n.map((r) => [r.prefix, r.distance])).toEqual([['192.0.2.100/32', 3], ['192.0.2.200/32', 3]]);
  });
});

describe('NAT validation', () => {
  const problems = (set: string[]) => {
    try {
      applyOverrides(loaded, { set });
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map((p) => `${p.path}: ${p.message}`);
      throw e;
    }
    return [];
  };
  it('an ACTIVE_ACTIVE Tier-0 accepts only REFLEXIVE', () => {
    expect(problems(['tier0s.t0-main.nat=[{name: s, action: SNAT, source: 10.0.0.0/8, translated: 192.0.2.9}]'])).toEqual([
      'tier0s.t0-main.nat[0].action: an ACTIVE_ACTIVE Tier-0 accepts only REFLEXIVE NAT (stateful SNAT needs ACTIVE_STANDBY, or put it on a Tier-1)',
    ]);
    expect(problems(['tier0s.t0-main.nat=[{name: r, action: REFLEXIVE, source: 10.1.1.0/24, translated: 198.51.100.0/24}]'])).toEqual([]);
  });
  it('needs an SR on a Tier-1; translated fields per action; REFLEXIVE sizes', () => {
    expect(problems(['tier1s.t1-distributed.nat=[{name: s, action: SNAT, source: 10.1.1.0/24, translated: 192.0.2.9}]'])).toEqual([
      'tier1s.t1-distributed.nat: NAT runs on a service router and needs an edgeCluster',
    ]);
    expect(problems(['tier1s.t1-centralized.nat=[{name: a, action: NO_SNAT, source: 10.1.2.0/24, translated: 1.1.1.1}, {name: b, action: DNAT, translated: 10.1.2.10}, {name: c, action: REFLEXIVE, source: 10.1.2.0/24, translated: 198.51.100.0/25}]'])).toEqual([
      'tier1s.t1-centralized.nat[0].translated: NO_SNAT translates nothing: remove "translated"',
      'tier1s.t1-centralized.nat[1]: DNAT needs a destination',
      'tier1s.t1-centralized.nat[2].translated: REFLEXIVE maps 1:1: /25 differs from the source /24',
    ]);
  });
});

describe('TIER0_NAT redistribution', () => {
  const base = 'scenarios/bgp/base.yaml';
  const withReflexive = (types: string) =>
    buildTwin(
      applyOverrides(loadScenarioFile(base), {
        set: ['tier0s.t0.nat=[{name: web-public, action: REFLEXIVE, source: 10.20.1.0/24, translated: 198.51.100.0/24}]', `tier0s.t0.redistribution=[{name: r, types: [${types}]}]`],
      }).scenario,
    );
  it("the Tier-0's NAT pool is redistributed with TIER0_NAT, and the ToR routes it to both edges", () => {
    const tw = withReflexive('TIER1_CONNECTED, TIER0_NAT');
    const nat = tw.bgp({ router: 'tor-a' }).routes.filter((r) => r.prefix === '198.51.100.0/24');
    expect(nat.map((r) => [r.nextHop, r.asPath, r.best, r.multipath])).toEqual([
      ['10.0.10.11', [65010], true, true],
      ['10.0.10.12', [65010], false, true],
    ]);
    expect(tw.bgp({ router: 't0', prefix: '198.51.100.0/24' }).routes[0].reason).toContain('(TIER0_NAT: NAT rule "web-public")');
  });
  it('without TIER0_NAT in a rule the pool stays inside, and the reason says so', () => {
    const tw = withReflexive('TIER1_CONNECTED');
    expect(tw.bgp({ router: 'tor-a' }).routes.some((r) => r.prefix === '198.51.100.0/24')).toBe(false);
    const stopped = tw.bgp({ router: 't0', rejected: true }).rejected!.filter((r) => r.prefix === '198.51.100.0/24');
    expect(stopped.map((r) => r.reason)).toContain('no redistribution rule includes TIER0_NAT (NAT rule "web-public")');
  });
});
