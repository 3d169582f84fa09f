// Expansion into DR/SR components (src/engine/model/expand.ts), checked against modelling-decisions.md
// "Components and links": a DR per gateway on every transport node, SRs on edges (Tier-0 always,
// Tier-1 only with an edge cluster), the 169.254.0.x backplane / inter-SR / transit addresses and
// the /31 router links from 100.64.0.0/16 in declaration order (Tier-0 even, Tier-1 odd).
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { formatIp, formatPrefix } from '../../src/topology/ip.js';
import { expand, type ExpandedNetwork } from '../../src/engine/model/expand.js';
import { isDistributed, type Component, type ComponentType } from '../../src/engine/model/types.js';

const NODES = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  esx-02: { type: host, tep: 10.0.20.12 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
  edge-03: { type: edge, tep: 10.0.20.23 }
  edge-04: { type: edge, tep: 10.0.20.24 }
`;

function net(yaml: string): ExpandedNetwork {
  return expand(loadScenarioText(NODES + yaml).scenario);
}

/** Components of a gateway of one type. */
function comps(n: ExpandedNetwork, name: string, type: ComponentType): Component[] {
  return n.components.filter((c) => c.name === name && c.type === type);
}

const nodeOf = (n: ExpandedNetwork, c: Component) => (c.node >= 0 ? n.nodes[c.node].name : null);

/** name → "ip/len" (+ " down") of a component's interfaces. */
function ifaces(n: ExpandedNetwork, c: Component): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of c.interfaces) {
    const itf = n.interfaces[i];
    out[itf.name] = `${formatIp(itf.ip)}/${itf.len}${itf.down ? ' down' : ''}`;
  }
  return out;
}

const domainPrefix = (n: ExpandedNetwork, name: string) => {
  const d = n.domains.find((x) => x.name === name);
  return d && d.prefix ? formatPrefix(d.prefix) : undefined;
};

const ONE_T0_AA = `edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier0s:
  t0: { edgeCluster: ec }
`;

describe('components per gateway', () => {
  it('a Tier-0 has one DR (on every transport node) and one SR per edge of its cluster', () => {
    const n = net(ONE_T0_AA);
    const [dr] = comps(n, 't0', 'T0_DR');
    expect(comps(n, 't0', 'T0_DR')).toHaveLength(1);
    expect(dr.node).toBe(-1);
    expect(isDistributed(dr)).toBe(true);
    const srs = comps(n, 't0', 'T0_SR');
    expect(srs.map((c) => nodeOf(n, c))).toEqual(['edge-01', 'edge-02']);
    expect(srs.every((c) => !isDistributed(c))).toBe(true);
    expect(srs.map((c) => c.ha)).toEqual(['active', 'active']);
    const gw = n.gateways.get('t0')!;
    expect(gw).toMatchObject({ name: 't0', tier: 0, haMode: 'ACTIVE_ACTIVE', dr: dr.id, srs: srs.map((c) => c.id) });
  });

  it('ACTIVE_STANDBY Tier-0: the first edge is active, the others standby (interfaces down)', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-02, edge-01, edge-03] }
tier0s:
  t0: { haMode: ACTIVE_STANDBY, edgeCluster: ec }
`);
    const srs = comps(n, 't0', 'T0_SR');
    expect(srs.map((c) => [nodeOf(n, c), c.ha])).toEqual([
      ['edge-02', 'active'],
      ['edge-01', 'standby'],
      ['edge-03', 'standby'],
    ]);
    for (const sr of srs) for (const i of sr.interfaces) expect(n.interfaces[i].down).toBe(sr.ha === 'standby');
    expect(n.gateways.get('t0')!.haMode).toBe('ACTIVE_STANDBY');
  });

  it('a Tier-1 without an edge cluster is a DR only', () => {
    const n = net(ONE_T0_AA + `tier1s:\n  t1: { tier0: t0 }\n`);
    expect(comps(n, 't1', 'T1_DR')).toHaveLength(1);
    expect(comps(n, 't1', 'T1_SR')).toHaveLength(0);
    expect(n.gateways.get('t1')).toMatchObject({ tier: 1, haMode: null, srs: [], tier0: 't0' });
  });

  it('a Tier-1 with an edge cluster always gets SRs (services or not), on the first two edges, first active', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02] }
  ec2: { members: [edge-03, edge-04] }
tier0s:
  t0: { edgeCluster: ec }
tier1s:
  t1: { tier0: t0, edgeCluster: ec2 }
`);
    const srs = comps(n, 't1', 'T1_SR');
    expect(srs.map((c) => [nodeOf(n, c), c.ha])).toEqual([
      ['edge-03', 'active'],
      ['edge-04', 'standby'],
    ]);
    expect(n.gateways.get('t1')!.haMode).toBe('ACTIVE_STANDBY');
  });

  it('a Tier-1 cluster of three edges gets two SRs by default', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02, edge-03] }
tier1s:
  t1: { edgeCluster: ec }
`);
    expect(comps(n, 't1', 'T1_SR').map((c) => nodeOf(n, c))).toEqual(['edge-01', 'edge-02']);
  });

  it('Tier-1 SR placement (edges) decides where and which is active', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02, edge-03] }
tier1s:
  t1: { edgeCluster: ec, edges: [edge-03, edge-01] }
  t1one: { edgeCluster: ec, edges: [edge-02] }
`);
    expect(comps(n, 't1', 'T1_SR').map((c) => [nodeOf(n, c), c.ha])).toEqual([
      ['edge-03', 'active'],
      ['edge-01', 'standby'],
    ]);
    expect(comps(n, 't1one', 'T1_SR').map((c) => [nodeOf(n, c), c.ha])).toEqual([['edge-02', 'active']]);
  });

  it('an ACTIVE_ACTIVE Tier-1 has every SR active', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier1s:
  t1: { edgeCluster: ec, haMode: ACTIVE_ACTIVE }
`);
    expect(comps(n, 't1', 'T1_SR').map((c) => c.ha)).toEqual(['active', 'active']);
  });
});

describe('addresses', () => {
  it('ACTIVE_STANDBY Tier-0 backplane: 169.254.0.0/28, DR .1, SRs .2/.3 in edge order', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier0s:
  t0: { haMode: ACTIVE_STANDBY, edgeCluster: ec }
`);
    expect(domainPrefix(n, 't0/backplane')).toBe('169.254.0.0/28');
    expect(ifaces(n, comps(n, 't0', 'T0_DR')[0])).toEqual({ backplane: '169.254.0.1/28' });
    expect(comps(n, 't0', 'T0_SR').map((c) => ifaces(n, c))).toEqual([{ backplane: '169.254.0.2/28' }, { backplane: '169.254.0.3/28 down' }]);
    expect(n.domains.some((d) => d.kind === 'inter-sr')).toBe(false);
  });

  it('ACTIVE_ACTIVE Tier-0: backplane 169.254.0.0/25 (DR .1, SRs .2/.3/.4) and inter-SR 169.254.0.128/25', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02, edge-03] }
tier0s:
  t0: { edgeCluster: ec }
`);
    expect(domainPrefix(n, 't0/backplane')).toBe('169.254.0.0/25');
    expect(domainPrefix(n, 't0/inter-sr')).toBe('169.254.0.128/25');
    expect(ifaces(n, comps(n, 't0', 'T0_DR')[0])).toEqual({ backplane: '169.254.0.1/25' });
    expect(comps(n, 't0', 'T0_SR').map((c) => ifaces(n, c))).toEqual([
      { backplane: '169.254.0.2/25', 'inter-sr': '169.254.0.129/25' },
      { backplane: '169.254.0.3/25', 'inter-sr': '169.254.0.130/25' },
      { backplane: '169.254.0.4/25', 'inter-sr': '169.254.0.131/25' },
    ]);
  });

  it('an ACTIVE_ACTIVE Tier-0 with a single edge has no inter-SR link', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01] }
tier0s:
  t0: { edgeCluster: ec }
`);
    expect(n.domains.filter((d) => d.kind === 'inter-sr')).toEqual([]);
  });

  it('internalTransitSubnet overrides the Tier-0 backplane (A/S whole subnet; A/A halves)', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02] }
  ec2: { members: [edge-03, edge-04] }
tier0s:
  tas: { haMode: ACTIVE_STANDBY, edgeCluster: ec, internalTransitSubnet: 169.254.10.0/28 }
  taa: { edgeCluster: ec2, internalTransitSubnet: 169.254.20.0/24 }
`);
    expect(domainPrefix(n, 'tas/backplane')).toBe('169.254.10.0/28');
    expect(ifaces(n, comps(n, 'tas', 'T0_DR')[0])).toEqual({ backplane: '169.254.10.1/28' });
    expect(comps(n, 'tas', 'T0_SR').map((c) => ifaces(n, c).backplane)).toEqual(['169.254.10.2/28', '169.254.10.3/28 down']);
    expect(domainPrefix(n, 'taa/backplane')).toBe('169.254.20.0/25');
    expect(domainPrefix(n, 'taa/inter-sr')).toBe('169.254.20.128/25');
    expect(comps(n, 'taa', 'T0_SR').map((c) => ifaces(n, c)['inter-sr'])).toEqual(['169.254.20.129/25', '169.254.20.130/25']);
  });

  it('Tier-1 transit: 169.254.0.0/28 per Tier-1, DR .1, SRs .2/.3', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier1s:
  ta: { edgeCluster: ec }
  tb: { edgeCluster: ec, edges: [edge-02, edge-01] }
`);
    for (const t of ['ta', 'tb']) {
      expect(domainPrefix(n, `${t}/transit`)).toBe('169.254.0.0/28');
      expect(ifaces(n, comps(n, t, 'T1_DR')[0])).toEqual({ transit: '169.254.0.1/28' });
      expect(comps(n, t, 'T1_SR').map((c) => ifaces(n, c))).toEqual([{ transit: '169.254.0.2/28' }, { transit: '169.254.0.3/28 down' }]);
    }
    // One transit domain per Tier-1.
    expect(n.domains.filter((d) => d.kind === 'transit')).toHaveLength(2);
  });

  it('a DR-only Tier-1 has no transit', () => {
    const n = net(`tier1s:\n  t1: {}\n`);
    expect(n.domains.filter((d) => d.kind === 'transit')).toEqual([]);
    expect(ifaces(n, comps(n, 't1', 'T1_DR')[0])).toEqual({});
  });

  it('router links: one /31 per Tier-1 from 100.64.0.0/16 in declaration order, Tier-0 even, Tier-1 odd', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02] }
  ec2: { members: [edge-03, edge-04] }
tier0s:
  t0: { edgeCluster: ec }
  t0b: { edgeCluster: ec2 }
tier1s:
  t1-c: { tier0: t0 }
  t1-x: { tier0: t0b }
  t1-a: { tier0: t0, edgeCluster: ec }
  t1-b: { tier0: t0 }
  t1-alone: {}
`);
    const link = (t1: string) => {
      const rl = n.gateways.get(t1)!.routerLink!;
      return [formatIp(rl.t0Ip), formatIp(rl.t1Ip), domainPrefix(n, `${n.gateways.get(t1)!.tier0}<->${t1}`)];
    };
    expect(link('t1-c')).toEqual(['100.64.0.0', '100.64.0.1', '100.64.0.0/31']);
    expect(link('t1-a')).toEqual(['100.64.0.2', '100.64.0.3', '100.64.0.2/31']);
    expect(link('t1-b')).toEqual(['100.64.0.4', '100.64.0.5', '100.64.0.4/31']);
    // Each Tier-0 numbers its own Tier-1s.
    expect(link('t1-x')).toEqual(['100.64.0.0', '100.64.0.1', '100.64.0.0/31']);
    expect(n.gateways.get('t1-alone')!.routerLink).toBeUndefined();
    expect(n.gateways.get('t1-alone')!.tier0).toBeUndefined();

    // The Tier-0 DR answers on the even address; its SRs carry the same downlink without ARP.
    const t0dr = comps(n, 't0', 'T0_DR')[0];
    expect(ifaces(n, t0dr)).toMatchObject({ 'router-link-t1-c': '100.64.0.0/31', 'router-link-t1-a': '100.64.0.2/31', 'router-link-t1-b': '100.64.0.4/31' });
    for (const sr of comps(n, 't0', 'T0_SR')) {
      expect(ifaces(n, sr)['router-link-t1-a']).toBe('100.64.0.2/31');
      const i = sr.interfaces.find((x) => n.interfaces[x].name === 'router-link-t1-a')!;
      expect(n.interfaces[i].answersArp).toBe(false);
    }
    const drLink = t0dr.interfaces.find((x) => n.interfaces[x].name === 'router-link-t1-a')!;
    expect(n.interfaces[drLink].answersArp).toBe(true);

    // A DR-only Tier-1 holds the odd address on its DR; a Tier-1 with SRs on each SR (standby down).
    expect(ifaces(n, comps(n, 't1-c', 'T1_DR')[0])).toEqual({ 'router-link-t0': '100.64.0.1/31' });
    expect(ifaces(n, comps(n, 't1-a', 'T1_DR')[0])['router-link-t0']).toBeUndefined();
    expect(comps(n, 't1-a', 'T1_SR').map((c) => ifaces(n, c)['router-link-t0'])).toEqual(['100.64.0.3/31', '100.64.0.3/31 down']);
  });

  it('transitSubnet overrides the router-link pool', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01] }
tier0s:
  t0: { edgeCluster: ec, transitSubnet: 100.96.4.0/24 }
tier1s:
  ta: { tier0: t0 }
  tb: { tier0: t0 }
`);
    expect(formatIp(n.gateways.get('ta')!.routerLink!.t0Ip)).toBe('100.96.4.0');
    expect(formatIp(n.gateways.get('tb')!.routerLink!.t0Ip)).toBe('100.96.4.2');
    expect(formatIp(n.gateways.get('tb')!.routerLink!.t1Ip)).toBe('100.96.4.3');
  });

  it('downlinks sit on the DR, uplinks on the SR of their edge', () => {
    const n = net(`edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier0s:
  t0:
    edgeCluster: ec
    uplinks:
      - { name: up-a, edge: edge-02, segment: up, ip: 10.0.10.12/24 }
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
tier1s:
  t1: { tier0: t0 }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  s1: { tier1: t1, gateway: 10.1.1.1/24 }
  s0: { tier0: t0, gateway: 10.0.0.1/24 }
  loose: { subnet: 10.9.0.0/24 }
`);
    const [sr1, sr2] = comps(n, 't0', 'T0_SR');
    expect(ifaces(n, sr1)['uplink-2']).toBe('10.0.10.11/24');
    expect(ifaces(n, sr2)['up-a']).toBe('10.0.10.12/24');
    expect(ifaces(n, comps(n, 't1', 'T1_DR')[0])['downlink-s1']).toBe('10.1.1.1/24');
    expect(ifaces(n, comps(n, 't0', 'T0_DR')[0])['downlink-s0']).toBe('10.0.0.1/24');
    const seg = (name: string) => n.domains.find((d) => d.segment === name)!;
    expect([seg('up').kind, seg('s1').kind, seg('loose').kind]).toEqual(['vlan', 'overlay', 'overlay']);
    expect(formatPrefix(seg('loose').prefix!)).toBe('10.9.0.0/24');
  });
});

describe('nodes, endpoints, physical networks, settings', () => {
  const n = net(`edgeClusters:
  ec: { members: [edge-01] }
tier0s:
  t0:
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
tier1s:
  t1: { tier0: t0 }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  s1: { tier1: t1, gateway: 10.1.1.1/24 }
  iso: { subnet: 10.2.0.0/24 }
workloads:
  vm1: { host: esx-02, segment: s1, ip: 10.1.1.10 }
  vm2: { host: esx-01, segment: iso, ip: 10.2.0.10 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
      - { name: wan, ip: 192.0.2.1/30, external: true }
  core:
    interfaces:
      - { name: lan, ip: 172.16.0.2/24 }
physicalHosts:
  client: { ip: 172.16.0.10/24, gateway: 172.16.0.1 }
  onvlan: { ip: 10.0.10.50/24, segment: up }
settings:
  ttl: 16
`);

  it('nodes: transport nodes, then physical routers, then physical hosts', () => {
    expect(n.nodes.map((x) => [x.name, x.kind])).toEqual([
      ['esx-01', 'host'],
      ['esx-02', 'host'],
      ['edge-01', 'edge'],
      ['edge-02', 'edge'],
      ['edge-03', 'edge'],
      ['edge-04', 'edge'],
      ['tor', 'physical'],
      ['core', 'physical'],
      ['client', 'physical'],
      ['onvlan', 'physical'],
    ]);
    expect(formatIp(n.nodes[n.nodeByName.get('edge-01')!].tep)).toBe('10.0.20.21');
    expect(n.nodes[n.nodeByName.get('tor')!].tep).toBe(0);
  });

  it('workloads: their host, their segment, the segment gateway of an attached segment', () => {
    const vm1 = n.endpoints[n.endpointByName.get('vm1')!];
    expect(vm1).toMatchObject({ kind: 'WORKLOAD', len: 24, node: n.nodeByName.get('esx-02') });
    expect(formatIp(vm1.ip)).toBe('10.1.1.10');
    expect(formatIp(vm1.gateway)).toBe('10.1.1.1');
    expect(n.domains[vm1.domain].segment).toBe('s1');
    const vm2 = n.endpoints[n.endpointByName.get('vm2')!];
    expect(vm2.gateway).toBe(0);
    expect(vm2.len).toBe(24);
  });

  it('physical hosts: their own node, their gateway, the shared physical subnet or their VLAN', () => {
    const client = n.endpoints[n.endpointByName.get('client')!];
    expect(client).toMatchObject({ kind: 'PHYSICAL_HOST', node: n.nodeByName.get('client'), len: 24 });
    expect(formatIp(client.gateway)).toBe('172.16.0.1');
    const lan = n.domains[client.domain];
    expect([lan.kind, lan.name, lan.segment]).toEqual(['physical', '172.16.0.0/24', undefined]);
    const onvlan = n.endpoints[n.endpointByName.get('onvlan')!];
    expect(n.domains[onvlan.domain].segment).toBe('up');
    expect(onvlan.gateway).toBe(0);
  });

  it('physical routers: interfaces on their segment or on a physical subnet shared by prefix', () => {
    const tor = n.components[n.routerByName.get('tor')!];
    const core = n.components[n.routerByName.get('core')!];
    expect(tor.type).toBe('PHYSICAL_ROUTER');
    expect(tor.node).toBe(n.nodeByName.get('tor'));
    const torIf = tor.interfaces.map((i) => n.interfaces[i]);
    const coreIf = core.interfaces.map((i) => n.interfaces[i]);
    expect(n.domains[torIf[0].domain].segment).toBe('up');
    expect(torIf[1].domain).toBe(coreIf[0].domain);
    expect(torIf[1].domain).toBe(n.endpoints[n.endpointByName.get('client')!].domain);
    expect(torIf.map((i) => i.external)).toEqual([false, false, true]);
    expect(torIf.every((i) => i.kind === 'physical')).toBe(true);
  });

  it('settings: given values, and defaults ttl 64, maxEcmp 8, maxPaths 256', () => {
    expect(n.settings).toEqual({ ttl: 16, maxEcmp: 8, maxPaths: 256 });
    expect(net('tier1s:\n  t1: {}\n').settings).toEqual({ ttl: 64, maxEcmp: 8, maxPaths: 256 });
  });

  it('ids are dense indexes of their arrays', () => {
    n.components.forEach((c, i) => expect(c.id).toBe(i));
    n.interfaces.forEach((x, i) => {
      expect(x.id).toBe(i);
      expect(n.components[x.component].interfaces).toContain(i);
    });
    n.domains.forEach((d, i) => expect(d.id).toBe(i));
    n.endpoints.forEach((e, i) => expect(e.id).toBe(i));
    n.interfaces.forEach((itf) => expect(typeof itf.answersArp).toBe("boolean"));
  });
});
