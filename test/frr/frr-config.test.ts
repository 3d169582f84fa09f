// The FRR configuration generator (test/frr/frr-config.ts): no root or FRR needed. The full text
// of one topology is pinned, the rest checks one feature at a time.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { defaultRouterId, frrConfig, splitCommunities } from './frr-config.js';
import { l2Networks, splitJsonValues } from './frr-lab.js';

const topology = (name: string) => loadScenarioFile(fileURLToPath(new URL(`./topologies/${name}.yaml`, import.meta.url))).scenario;
const scenario = (routers: string) => loadScenarioText(`transportNodes: {}\nphysicalRouters:\n${routers}`).scenario;

const R1 = `frr defaults traditional
hostname r1
!
ip route 10.1.1.0/24 blackhole
ip route 10.1.2.0/24 blackhole
ip route 10.1.3.0/24 blackhole
ip route 10.1.4.0/24 blackhole
!
ip prefix-list P1 seq 5 permit 10.1.1.0/24
ip prefix-list P2 seq 5 permit 10.1.2.0/24
!
route-map TAG permit 10
 match ip address prefix-list P1
 set as-path prepend 65001 65001
 set community 65001:1
exit
!
route-map TAG permit 20
 match ip address prefix-list P2
 set community 65001:2 65001:22
exit
!
route-map TAG permit 30
 set community 65001:3
 set large-community 65001:1:3
exit
!
router bgp 65001
 bgp router-id 10.0.12.1
 no bgp ebgp-requires-policy
 bgp bestpath compare-routerid
 timers bgp 3 9
 coalesce-time 100
 neighbor 10.0.12.2 remote-as 65002
 neighbor 10.0.12.2 timers connect 1
 neighbor 10.0.12.2 advertisement-interval 0
 !
 address-family ipv4 unicast
  network 10.1.1.0/24
  network 10.1.2.0/24
  network 10.1.3.0/24
  network 10.1.4.0/24
  neighbor 10.0.12.2 route-map TAG out
  maximum-paths 64
  maximum-paths ibgp 64
 exit-address-family
exit
!
end
`;

const R2 = `frr defaults traditional
hostname r2
!
ip prefix-list P1 seq 5 permit 10.1.1.0/24
ip prefix-list P2 seq 5 permit 10.1.2.0/24
ip prefix-list P3 seq 5 permit 10.1.3.0/24
!
route-map IN permit 10
 match ip address prefix-list P1
 set local-preference 300
 set metric 77
exit
!
route-map IN permit 20
 match ip address prefix-list P2
 set community 65002:20 additive
exit
!
route-map IN permit 30
 match ip address prefix-list P3
 set community no-export
exit
!
route-map IN permit 40
exit
!
router bgp 65002
 bgp router-id 10.0.24.2
 no bgp ebgp-requires-policy
 bgp bestpath compare-routerid
 timers bgp 3 9
 coalesce-time 100
 neighbor 10.0.12.1 remote-as 65001
 neighbor 10.0.12.1 timers connect 1
 neighbor 10.0.12.1 advertisement-interval 0
 neighbor 10.0.23.3 remote-as 65003
 neighbor 10.0.23.3 timers connect 1
 neighbor 10.0.23.3 advertisement-interval 0
 neighbor 10.0.24.4 remote-as 65002
 neighbor 10.0.24.4 timers connect 1
 neighbor 10.0.24.4 advertisement-interval 0
 !
 address-family ipv4 unicast
  neighbor 10.0.12.1 route-map IN in
  neighbor 10.0.24.4 next-hop-self
  maximum-paths 64
  maximum-paths ibgp 64
 exit-address-family
exit
!
end
`;

describe('frrConfig', () => {
  it('pins the frr.conf of the route-map-set topology', () => {
    const s = topology('route-map-set');
    expect(frrConfig(s, 'r1').frrConf).toBe(R1);
    expect(frrConfig(s, 'r2').frrConf).toBe(R2);
  });

  it('splits the same commands per daemon: statics to staticd, policy and BGP to bgpd', () => {
    const s = topology('route-map-set');
    const c = frrConfig(s, 'r1');
    expect(c.asn).toBe(65001);
    expect(c.routerId).toBe('10.0.12.1');
    expect(c.daemons.zebra).toBe('frr defaults traditional\nhostname r1\n!\nend\n');
    expect(c.daemons.staticd).toContain('ip route 10.1.4.0/24 blackhole\n');
    expect(c.daemons.staticd).not.toContain('router bgp');
    expect(c.daemons.bgpd).toContain('route-map TAG permit 30\n');
    expect(c.daemons.bgpd).not.toContain('ip route');
    expect(frrConfig(s, 'r2').daemons.staticd).toBeNull();
  });

  it('writes neighbour options, redistribution, aggregates and explicit settings', () => {
    const s = scenario(`  r1:
    interfaces: [{ name: a, ip: 10.0.0.1/24 }, { name: b, ip: 10.9.0.1/24 }]
    staticRoutes:
      - { network: 10.5.0.0/16, nextHops: [10.0.0.2, { ip: 10.0.0.3, distance: 200 }] }
      - { network: 10.6.0.0/16, nextHops: [{ blackhole: true }], enabled: false }
    bgp:
      asn: 65001
      routerId: 1.1.1.1
      ebgpRequiresPolicy: true
      maximumPaths: 4
      maximumPathsIbgp: 2
      multipathRelax: true
      alwaysCompareMed: true
      neighbors:
        - { address: 10.0.0.2, remoteAs: 65002, defaultOriginate: true, allowAsIn: true, weight: 10, prefixListIn: PL, prefixListOut: PL }
        - { address: 10.0.0.3, remoteAs: 65001, allowAsIn: 2, nextHopSelf: true }
      redistribute: [{ type: connected }, { type: static, routeMap: RM }]
      aggregates: [{ prefix: 10.0.0.0/8, summaryOnly: true }, { prefix: 10.9.0.0/16 }]
    prefixLists:
      PL:
        - { action: permit, prefix: 10.0.0.0/8, ge: 16, le: 24 }
        - { seq: 12, action: deny, prefix: 10.1.0.0/16 }
        - { action: permit, prefix: 0.0.0.0/0, le: 32 }
    asPathLists:
      AP: [{ action: deny, regex: "_65003_" }, { action: permit, regex: ".*" }]
    routeMaps:
      RM:
        - { seq: 20, action: permit, set: { weight: 5, nextHopPeerAddress: true, community: "NO_EXPORT_SUBCONFED 1:1:1", communityAdditive: true } }
        - { seq: 10, action: deny, match: { asPathList: AP } }
`);
    const c = frrConfig(s, 'r1', { fastTimers: false });
    const lines = c.frrConf.split('\n');
    for (const l of [
      'ip route 10.5.0.0/16 10.0.0.2',
      'ip route 10.5.0.0/16 10.0.0.3 200',
      'ip prefix-list PL seq 5 permit 10.0.0.0/8 ge 16 le 24',
      'ip prefix-list PL seq 12 deny 10.1.0.0/16',
      'ip prefix-list PL seq 15 permit 0.0.0.0/0 le 32',
      'bgp as-path access-list AP deny _65003_',
      'bgp as-path access-list AP permit .*',
      ' bgp router-id 1.1.1.1',
      ' bgp ebgp-requires-policy',
      ' bgp bestpath as-path multipath-relax',
      ' bgp always-compare-med',
      '  redistribute connected',
      '  redistribute static route-map RM',
      '  aggregate-address 10.0.0.0/8 summary-only',
      '  aggregate-address 10.9.0.0/16',
      '  neighbor 10.0.0.2 default-originate',
      '  neighbor 10.0.0.2 allowas-in 3',
      '  neighbor 10.0.0.2 weight 10',
      '  neighbor 10.0.0.2 prefix-list PL in',
      '  neighbor 10.0.0.2 prefix-list PL out',
      '  neighbor 10.0.0.3 allowas-in 2',
      '  neighbor 10.0.0.3 next-hop-self',
      '  maximum-paths 4',
      '  maximum-paths ibgp 2',
      ' set community local-AS additive',
      ' set large-community 1:1:1 additive',
      ' set weight 5',
      ' set ip next-hop peer-address',
    ]) {
      expect(lines, l).toContain(l);
    }
    expect(c.frrConf).not.toContain('10.6.0.0/16');
    expect(c.frrConf).not.toMatch(/timers|coalesce|advertisement-interval/);
    // Route-map entries in sequence order.
    expect(c.frrConf.indexOf('route-map RM deny 10')).toBeLessThan(c.frrConf.indexOf('route-map RM permit 20'));
  });

  it('turns lists of large communities into large-community lists and matches them as such', () => {
    const c = frrConfig(topology('community-list'), 'r2');
    expect(c.frrConf).toContain('bgp large-community-list standard LARGE permit 65001:7:7\n');
    expect(c.frrConf).toContain('bgp community-list standard BOTH permit 65001:100 65001:300\n');
    expect(c.frrConf).toContain('bgp community-list standard NO200 deny 65001:200\n');
    expect(c.frrConf).toContain(' match large-community LARGE\n');
    expect(c.frrConf).toContain(' match community DROP\n');
  });

  it('uses the highest interface address as router id when none is given', () => {
    const s = scenario(`  r1:
    interfaces: [{ name: a, ip: 10.0.0.1/24 }, { name: b, ip: 10.20.0.1/24 }, { name: c, ip: 10.3.0.1/24 }]
    bgp: { asn: 65001 }
`);
    expect(defaultRouterId(s.physicalRouters!.r1)).toBe('10.20.0.1');
    expect(frrConfig(s, 'r1').frrConf).toContain(' bgp router-id 10.20.0.1\n');
  });

  it('has no bgpd config for a router without bgp', () => {
    const s = scenario(`  r1:
    interfaces: [{ name: a, ip: 10.0.0.1/24 }]
`);
    const c = frrConfig(s, 'r1');
    expect(c.daemons.bgpd).toBeNull();
    expect(c.asn).toBeNull();
    expect(c.frrConf).not.toContain('router bgp');
  });

  it('spells communities the FRR way', () => {
    expect(splitCommunities('65001:1 NO_EXPORT no-advertise 1:2:3 internet')).toEqual({ standard: ['65001:1', 'no-export', 'no-advertise', 'internet'], large: ['1:2:3'] });
    expect(() => splitCommunities('bogus')).toThrow(/unsupported community/);
  });
});

describe('lab helpers', () => {
  it('puts interfaces on one L2 network per segment or shared subnet', () => {
    const nets = l2Networks(topology('bestpath-router-id'));
    const lan = nets.find((n) => n.key === 'subnet 10.0.0.0/24')!;
    expect(lan.members.map((m) => m.router)).toEqual(['r1', 'r2', 'r3']);
    expect(nets.map((n) => n.key)).toEqual(['subnet 10.0.0.0/24', 'subnet 10.0.14.0/24', 'subnet 10.0.114.0/24']);
  });

  it('splits concatenated JSON outputs of one vtysh run', () => {
    expect(splitJsonValues('{"a":"}{"}\n{}\n[1,{"b":[2]}]\n')).toEqual([{ a: '}{' }, {}, [1, { b: [2] }]]);
    expect(() => splitJsonValues('% Unknown command')).toThrow(/not JSON/);
  });
});
