// The compiled forwarding core (src/engine/fib/compile.ts): one LPM table per component whose values
// index ECMP groups (sorted, de-duplicated, capped at maxEcmp), the ARP table (standby SRs and the
// Tier-0 SR copies of router links do not answer) and own addresses.
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { formatIp, parseIp } from '../../src/topology/ip.js';
import { Twin } from '../../src/engine/twin.js';
import { NH_BLACKHOLE, NH_CONNECTED, NH_FORWARD, type CompiledNetwork } from '../../src/engine/fib/compile.js';
import { MISSING } from '../../src/engine/fib/pair-hash.js';
import { lpmLookup } from '../../src/engine/fib/lpm.js';

const ip = (s: string) => parseIp(s)!;

const t = new Twin(
  loadScenarioText(`settings:
  maxEcmp: 2
transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
  edge-03: { type: edge, tep: 10.0.20.23 }
  edge-04: { type: edge, tep: 10.0.20.24 }
  edge-05: { type: edge, tep: 10.0.20.25 }
edgeClusters:
  ec: { members: [edge-01, edge-02, edge-03] }
  ec2: { members: [edge-04, edge-05] }
tier0s:
  t0:
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
    staticRoutes:
      - { network: 10.50.0.0/16, nextHops: [10.60.0.1] }
      - { network: 10.60.0.0/16, nextHops: [10.0.10.1] }
      - { network: 10.66.0.0/16, nextHops: [{ blackhole: true }] }
      - { network: 10.70.0.0/16, nextHops: [10.0.10.2] }
      - { network: 10.70.0.0/16, nextHops: [10.0.10.2] }
      - { network: 10.71.0.0/16, nextHops: [10.0.10.3, 10.0.10.2] }
      - { network: 10.72.0.0/16, nextHops: [10.0.10.2, { ip: 10.0.10.3, distance: 9 }] }
tier1s:
  t1: { tier0: t0, edgeCluster: ec2 }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  web: { tier1: t1, gateway: 10.1.1.1/24 }
workloads:
  vm1: { host: esx-01, segment: web, ip: 10.1.1.10 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: wan, ip: 192.0.2.1/30, external: true }
    staticRoutes:
      - { network: 0.0.0.0/0, nextHops: [192.0.2.2] }
`).scenario,
);
const c: CompiledNetwork = t.compiled;
const net = t.network;

/** The ECMP group a component would use for an address, as readable next hops. */
function group(comp: number, addr: string): string[] {
  const e = lpmLookup(c.fib[comp], ip(addr));
  if (e < 0) return [];
  const out: string[] = [];
  for (let nh = c.entryGroup[2 * e]; nh < c.entryGroup[2 * e] + c.entryGroup[2 * e + 1]; nh++) {
    const kind = c.nhKind[nh] === NH_CONNECTED ? 'connected' : c.nhKind[nh] === NH_FORWARD ? 'forward' : c.nhKind[nh] === NH_BLACKHOLE ? 'blackhole' : '?';
    const itf = c.nhInterface[nh] >= 0 ? net.interfaces[c.nhInterface[nh]].name : '-';
    out.push(`${kind} ${kind === 'forward' ? formatIp(c.nhIp[nh]) : '-'} ${itf}${c.nhExternal[nh] ? ' external' : ''}`);
  }
  return out;
}

const gw = (name: string) => net.gateways.get(name)!;
const sr1 = gw('t0').srs[0];
const byName = (comp: number, name: string) => net.components[comp].interfaces.find((i) => net.interfaces[i].name === name)!;

describe('FIB and ECMP groups', () => {
  it('one LPM table per component', () => {
    expect(c.fib).toHaveLength(net.components.length);
  });

  it('the Tier-0 DR default over three A/A SRs is capped at settings.maxEcmp (2), lowest addresses first', () => {
    expect(group(gw('t0').dr, '8.8.8.8')).toEqual(['forward 169.254.0.2 backplane', 'forward 169.254.0.3 backplane']);
  });

  it('connected, forward, blackhole and external next hops', () => {
    expect(group(sr1, '10.0.10.77')).toEqual(['connected - uplink-1']);
    expect(group(sr1, '10.66.1.1')).toEqual(['blackhole - -']);
    expect(group(net.routerByName.get('tor')!, '8.8.8.8')).toEqual(['forward 192.0.2.2 wan external']);
  });

  it('a recursive static forwards to the resolved connected next hop', () => {
    expect(group(sr1, '10.50.1.1')).toEqual(['forward 10.0.10.1 uplink-1']);
  });

  it('next hops are sorted and de-duplicated across routes of one prefix', () => {
    expect(group(sr1, '10.70.1.1')).toEqual(['forward 10.0.10.2 uplink-1']);
    expect(group(sr1, '10.71.1.1')).toEqual(['forward 10.0.10.2 uplink-1', 'forward 10.0.10.3 uplink-1']);
  });

  it('only selected routes are installed (the floating next hop is not)', () => {
    expect(group(sr1, '10.72.1.1')).toEqual(['forward 10.0.10.2 uplink-1']);
  });

  it('no route: -1', () => {
    expect(lpmLookup(c.fib[gw('t1').dr], ip('10.1.1.5'))).toBeGreaterThanOrEqual(0);
    expect(lpmLookup(c.fib[net.routerByName.get('tor')!], ip('8.8.8.8'))).toBeGreaterThanOrEqual(0);
    expect(group(gw('t0').srs[1], '10.50.1.1')).toEqual([]); // no uplink on edge-02: unresolvable there
  });
});

describe('ARP and own addresses', () => {
  it('forwarded next hops carry their ARP owner, resolved at compile time', () => {
    const e = lpmLookup(c.fib[sr1], ip('10.50.1.1'));
    const nh = c.entryGroup[2 * e];
    expect(c.nhOwner.at(nh)).toBe(byName(net.routerByName.get('tor')!, 'vlan10'));
    const bh = c.entryGroup[2 * lpmLookup(c.fib[sr1], ip('10.66.1.1'))];
    expect(c.nhOwner.at(bh)).toBe(MISSING);
    const dead = c.entryGroup[2 * lpmLookup(c.fib[sr1], ip('10.70.1.1'))];
    expect(c.nhOwner.at(dead)).toBe(MISSING); // 10.0.10.2: nobody owns it
  });

  const owner = (domainName: string, addr: string) => {
    const v = c.arp.get(net.domains.find((d) => d.name === domainName)!.id, ip(addr));
    return v === MISSING ? undefined : v;
  };

  it('the Tier-0 DR answers on a router link, not the SR copies', () => {
    expect(owner('t0<->t1', '100.64.0.0')).toBe(byName(gw('t0').dr, 'router-link-t1'));
  });

  it('the active Tier-1 SR answers on its router link and transit; the standby does not', () => {
    const [active, standby] = gw('t1').srs;
    expect(owner('t0<->t1', '100.64.0.1')).toBe(byName(active, 'router-link-t0'));
    expect(owner('t1/transit', '169.254.0.2')).toBe(byName(active, 'transit'));
    expect(owner('t1/transit', '169.254.0.3')).toBeUndefined();
    expect(net.components[standby].ha).toBe('standby');
  });

  it('endpoints answer as -(id + 1); unknown addresses have no owner', () => {
    expect(owner('web', '10.1.1.10')).toBe(-(net.endpointByName.get('vm1')! + 1));
    expect(owner('web', '10.1.1.1')).toBe(byName(gw('t1').dr, 'downlink-web'));
    expect(owner('web', '10.1.1.99')).toBeUndefined();
    expect(owner('up', '10.0.10.11')).toBe(byName(sr1, 'uplink-1'));
  });

  it('own addresses include every interface of a component, standby or not', () => {
    const standby = gw('t1').srs[1];
    expect(c.ownIp.get(standby, ip('169.254.0.3'))).toBe(byName(standby, 'transit'));
    expect(c.ownIp.get(sr1, ip('10.0.10.11'))).toBe(byName(sr1, 'uplink-1'));
    expect(c.ownIp.get(gw('t0').dr, ip('10.0.10.11'))).toBe(MISSING);
  });

  it('domain flags: overlay and internal links are tunnelled, VLANs and physical nets are not', () => {
    const flag = (name: string) => {
      const d = net.domains.find((x) => x.name === name)!;
      return [c.domainOverlay[d.id], c.domainIsSegment[d.id]];
    };
    expect(flag('web')).toEqual([1, 1]);
    expect(flag('up')).toEqual([0, 1]);
    expect(flag('t1/transit')).toEqual([1, 0]);
    expect(flag('t0<->t1')).toEqual([1, 0]);
    expect(flag('192.0.2.0/30')).toEqual([0, 0]);
  });
});
