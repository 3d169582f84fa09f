// NSX Advanced Load Balancer in traces and routing tables (src/engine/fib/load-balancer.ts, the VIP
// leg and member leg of src/engine/queries/trace-report.ts, src/topology/realize/avi-controller.ts): a
// client's path to a VIP (ECMP over edges and SEs through the VIP/32 the controller injects), the
// SE → pool member leg (SNAT to the SE data IP, first hop from the Tier-1 VRF), NO_SERVICE, VIPs
// that answer themselves (ICMP, DNS), FQDNs through the DNS virtual service, L7 host/path
// switching, replies, how the VIP route is advertised, SE failure and placement, and the TKGi
// variants (BYOT no-NAT / NAT / route-map fix, Antrea). Expectations follow
// ../shared/spec/reference-lab.md ("What the scenarios must show") and avi-reference.md.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTwin, type Twin } from '../../src/engine/twin.js';
import type { Hop, TracePath, TraceRequest } from '../../src/engine/queries/trace-report.js';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { applyOverrides } from '../../src/topology/overrides.js';
import { QueryError, ScenarioError } from '../../src/topology/errors.js';

const scenarioPath = (rel: string) => fileURLToPath(new URL(`../../scenarios/${rel}`, import.meta.url));
/** A bundled scenario, optionally with --set / --fail style overrides. */
const twinOf = (rel: string, o: { set?: string[]; fail?: string[] } = {}): Twin => buildTwin(applyOverrides(loadScenarioFile(scenarioPath(rel)), o).scenario);
/** An inline variant (`extends: <base>`) of a bundled top-level scenario; maps merge, lists are replaced. */
const variantOf = (base: string, yaml: string): Twin =>
  buildTwin(
    loadScenarioText(`extends: ${base}\n${yaml}`, 'variant.yaml', {
      [base]: readFileSync(scenarioPath(base), 'utf8'),
      'reference-lab.yaml': readFileSync(scenarioPath('reference-lab.yaml'), 'utf8'),
    }).scenario,
  );

const byot = twinOf('tkgi-byot.yaml');
const antrea = twinOf('tkgi-antrea.yaml');

const YELB: TraceRequest = { from: 'ubuntu02', to: '10.146.102.100', proto: 'tcp', dport: 80 };
const YELB_VS = 'tkgi-cluster-1--yelb-yelb-ui';
const SE_IP: Record<string, string> = { 'se-generic-01': '10.146.50.11', 'se-generic-02': '10.146.50.12' };
const SE_HOST: Record<string, string> = { 'se-generic-01': 'esx-01', 'se-generic-02': 'esx-02' };

/** "node component componentType observation" of a hop. */
const at = (h: Hop) => `${h.node} ${h.component} ${h.componentType} ${h.observation}`;
/** "type prefix via nextHop" of a routing hop, or null. */
const via = (h: Hop) => (h.route ? `${h.route.type} ${h.route.prefix} via ${h.route.nextHop}` : null);
const last = (p: TracePath) => p.hops[p.hops.length - 1];
const ofType = (p: TracePath, t: string) => p.hops.filter((h) => h.componentType === t);
const routesOf = (tw: Twin, q: Parameters<Twin['routes']>[0], prefix: string) => tw.routes(q).routes.filter((r) => r.prefix === prefix);
const prefixesOf = (tw: Twin, router: string) => tw.routes({ router }).routes.map((r) => r.prefix);
const queryError = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof QueryError) return e.message;
    throw e;
  }
  throw new Error('expected a QueryError');
};

describe('client → L4 VIP (tkgi-byot: ubuntu02 → 10.146.102.100 tcp/80)', () => {
  const r = byot.trace(YELB);

  it('four paths, two edges × two SEs by ECMP, each DELIVERED at a service engine', () => {
    expect(r.flow).toEqual({ from: 'ubuntu02', to: null, src: '172.60.146.10', dst: '10.146.102.100', proto: 'tcp', sport: 49152, dport: 80 });
    expect(r.truncated).toBeUndefined();
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect(r.paths.map((p) => `${ofType(p, 'T0_SR')[0].node} → ${at(last(p))}`)).toEqual([
      'edge-01 → esx-01 se-generic-01 SERVICE_ENGINE DELIVERED',
      'edge-01 → esx-02 se-generic-02 SERVICE_ENGINE DELIVERED',
      'edge-02 → esx-01 se-generic-01 SERVICE_ENGINE DELIVERED',
      'edge-02 → esx-02 se-generic-02 SERVICE_ENGINE DELIVERED',
    ]);
  });

  it('hop by hop: ToR (BGP /32) → Tier-0 SR (t1l) → The-Tier-1 DR (Avi static /32 via the SE data IP) → SE (observation 1)', () => {
    const p = r.paths[0];
    expect(p.hops.map((h) => [at(h), via(h)])).toEqual([
      ['ubuntu02 ubuntu02 PHYSICAL_HOST INJECTED', null],
      ['tor-01 tor-01 PHYSICAL_ROUTER FORWARDED', 'bgp 10.146.102.100/32 via 10.146.10.11'],
      ['tor-01 t0-uplink-vlan SEGMENT FORWARDED', null],
      ['edge-01 t0-lhr T0_SR FORWARDED', 't1l 10.146.102.100/32 via 100.64.0.1'],
      ['edge-01 The-Tier-1 T1_DR FORWARDED', 'static 10.146.102.100/32 via 10.146.50.11'],
      ['edge-01 avi-se-generic-data SEGMENT FORWARDED', null],
      ['edge-01 GENEVE TUNNEL FORWARDED', null],
      ['esx-01 GENEVE TUNNEL RECEIVED', null],
      ['esx-01 se-generic-01 SERVICE_ENGINE DELIVERED', null],
    ]);
    expect(p.hops[4].route!.interface).toBe('downlink-avi-se-generic-data');
    expect(last(p).detail).toBe(`VIP 10.146.102.100 of virtual service ${YELB_VS} on SE se-generic-01`);
    // Every path: the Tier-1 DR picks the SE it delivers to; the ToR picks the edge.
    for (const q of r.paths) {
      const se = last(q).component;
      expect(via(ofType(q, 'T1_DR')[0])).toBe(`static 10.146.102.100/32 via ${SE_IP[se]}`);
      expect(via(q.hops[1])).toBe(`bgp 10.146.102.100/32 via ${ofType(q, 'T0_SR')[0].node === 'edge-01' ? '10.146.10.11' : '10.146.10.12'}`);
      expect(last(q).node).toBe(SE_HOST[se]);
    }
  });

  it('each path has a loadBalancer leg: the VS, the SE, SNAT to the SE data IP, one member yelb/yelb-ui-0', () => {
    for (const p of r.paths) {
      const se = last(p).component;
      const { members, ...leg } = p.loadBalancer!;
      expect(leg).toEqual({ virtualService: YELB_VS, serviceEngine: se, vip: '10.146.102.100', snat: SE_IP[se] });
      expect(members).toHaveLength(1);
      const m = members[0];
      expect(m.pool).toBe('tkgi-cluster-1--yelb-yelb-ui-TCP-80');
      expect(m.member).toBe('10.146.129.5:80');
      expect(m.skipped).toBeUndefined();
      expect(m.vrfRoute).toBe('default route to the segment gateway');
      expect(m.flow).toEqual({ from: se, to: 'yelb/yelb-ui-0', src: SE_IP[se], dst: '10.146.129.5', proto: 'tcp', sport: 49153, dport: 80 });
      expect(m.paths.map((x) => x.disposition)).toEqual(['DELIVERED']);
      expect(m.return).toBeUndefined();
    }
  });

  it('SE → worker pod crosses the Tier-0 DR and the NCP Tier-1 SR on an edge (observation 2)', () => {
    const member = r.paths[0].loadBalancer!.members[0].paths[0];
    expect(member.hops.map((h) => [at(h), via(h)])).toEqual([
      ['esx-01 se-generic-01 SERVICE_ENGINE INJECTED', null],
      ['esx-01 avi-se-generic-data SEGMENT FORWARDED', null],
      ['esx-01 The-Tier-1 T1_DR FORWARDED', 'auto 0.0.0.0/0 via 100.64.0.0'],
      ['esx-01 t0-lhr T0_DR FORWARDED', 't1c 10.146.129.0/24 via 100.64.0.7'],
      ['esx-01 GENEVE TUNNEL FORWARDED', null],
      ['edge-01 GENEVE TUNNEL RECEIVED', null],
      ['edge-01 t1-pks-0b7d0725 T1_SR FORWARDED', 'connected 10.146.129.0/24 via 169.254.0.1'],
      ['edge-01 t1-pks-0b7d0725 T1_DR FORWARDED', 'connected 10.146.129.0/24 via null'],
      ['edge-01 pks-0b7d0725-c67b-4e14-b6d0-52f799cb3556-yelb SEGMENT FORWARDED', null],
      ['edge-01 GENEVE TUNNEL FORWARDED', null],
      ['esx-02 GENEVE TUNNEL RECEIVED', null],
      ['esx-02 yelb/yelb-ui-0 POD DELIVERED', null],
    ]);
    expect(member.hops[0].detail).toBe('10.146.50.11 → 10.146.129.5');
    expect(last(member).detail).toBe('delivered to yelb/yelb-ui-0 (10.146.129.5)');
  });

  it('the member leg starts on the host of the SE that took the request', () => {
    for (const p of r.paths) {
      const se = last(p).component;
      const m = p.loadBalancer!.members[0].paths[0];
      expect(at(m.hops[0])).toBe(`${SE_HOST[se]} ${se} SERVICE_ENGINE INJECTED`);
      expect(ofType(m, 'T1_SR').map((h) => `${h.node} ${h.component}`)).toEqual(['edge-01 t1-pks-0b7d0725']);
      expect(at(last(m))).toBe('esx-02 yelb/yelb-ui-0 POD DELIVERED');
    }
  });
});

describe('Antrea with nodes on the SEs\' Tier-1 (tkgi-antrea)', () => {
  const r = antrea.trace(YELB);

  it('the client leg is the same shape: 4 paths to the SEs through The-Tier-1\'s VIP route', () => {
    expect(r.paths.map((p) => `${p.disposition} ${last(p).component} ${via(ofType(p, 'T1_DR')[0])}`)).toEqual([
      'DELIVERED se-generic-01 static 10.146.102.100/32 via 10.146.50.11',
      'DELIVERED se-generic-02 static 10.146.102.100/32 via 10.146.50.12',
      'DELIVERED se-generic-01 static 10.146.102.100/32 via 10.146.50.11',
      'DELIVERED se-generic-02 static 10.146.102.100/32 via 10.146.50.12',
    ]);
    expect(r.paths[0].loadBalancer!.virtualService).toBe('tkgi-cluster-1-antrea--yelb-yelb-ui');
  });

  it('the member (node IP : NodePortLocal port) is reached on the DRs only: no Tier-0, no SR, no edge (observation 3)', () => {
    for (const p of r.paths) {
      const se = last(p).component;
      const m = p.loadBalancer!.members[0];
      expect(m.member).toBe('10.146.41.12:61001');
      expect(m.flow).toMatchObject({ from: se, to: 'tkgi-antrea-worker-2', src: SE_IP[se], dst: '10.146.41.12', dport: 61001 });
      expect(m.paths).toHaveLength(1);
      const hops = m.paths[0].hops;
      expect(m.paths[0].disposition).toBe('DELIVERED');
      expect(hops.filter((h) => ['T0_DR', 'T0_SR', 'T1_SR'].includes(h.componentType))).toEqual([]);
      expect(hops.some((h) => h.node.startsWith('edge-'))).toBe(false);
      expect(hops.filter((h) => h.route).map((h) => `${at(h)} ${via(h)}`)).toEqual([`${SE_HOST[se]} The-Tier-1 T1_DR FORWARDED connected 10.146.41.0/24 via null`]);
      expect(at(last(m.paths[0]))).toBe('esx-02 tkgi-antrea-worker-2 K8S_NODE DELIVERED');
    }
    // From se-generic-02 (on esx-02, like worker-2) the packet never leaves the host.
    expect(r.paths[1].loadBalancer!.members[0].paths[0].hops.map((h) => h.componentType)).toEqual(['SERVICE_ENGINE', 'SEGMENT', 'T1_DR', 'SEGMENT', 'K8S_NODE']);
  });

  it('the API VS balances over the three control plane nodes', () => {
    const api = antrea.trace({ from: 'ubuntu02', to: '10.146.101.10', proto: 'tcp', dport: 8443 });
    expect(api.paths).toHaveLength(4);
    const lb = api.paths[0].loadBalancer!;
    expect(lb.virtualService).toBe('tkgi-cluster-1-antrea-api');
    expect(lb.members.map((m) => `${m.member} ${m.paths.map((x) => `${x.disposition} ${last(x).component}`)}`)).toEqual([
      '10.146.41.2:8443 DELIVERED tkgi-antrea-cp-1',
      '10.146.41.3:8443 DELIVERED tkgi-antrea-cp-2',
      '10.146.41.4:8443 DELIVERED tkgi-antrea-cp-3',
    ]);
  });
});

describe('NO_SERVICE', () => {
  it('a port the VS does not listen on: dropped at the SE, reason names the listeners', () => {
    const r = byot.trace({ ...YELB, dport: 8080 });
    expect(r.paths.map((p) => p.disposition)).toEqual(['NO_SERVICE', 'NO_SERVICE', 'NO_SERVICE', 'NO_SERVICE']);
    for (const p of r.paths) {
      const se = last(p).component;
      expect(at(last(p))).toBe(`${SE_HOST[se]} ${se} SERVICE_ENGINE DROPPED`);
      expect(last(p).detail).toBe(`VIP 10.146.102.100 of virtual service ${YELB_VS} on SE ${se}: not served (NO_SERVICE)`);
      expect(p.loadBalancer).toEqual({
        virtualService: YELB_VS,
        serviceEngine: se,
        vip: '10.146.102.100',
        reason: `virtual service ${YELB_VS} does not listen on TCP/8080 (it listens on TCP/80)`,
        members: [],
      });
    }
  });

  it('the right port with the wrong protocol is not a listener either', () => {
    const udp = byot.trace({ ...YELB, proto: 'udp' });
    expect(udp.paths.every((p) => p.disposition === 'NO_SERVICE')).toBe(true);
    expect(udp.paths[0].loadBalancer!.reason).toBe(`virtual service ${YELB_VS} does not listen on UDP/80 (it listens on TCP/80)`);
    const dnsTcp = byot.trace({ from: 'ubuntu02', to: '10.146.100.53', proto: 'tcp', dport: 53 });
    expect(dnsTcp.paths.map((p) => p.disposition)).toEqual(['NO_SERVICE', 'NO_SERVICE']);
    expect(dnsTcp.paths[0].loadBalancer!.reason).toBe('virtual service dns-service-1 does not listen on TCP/53 (it listens on UDP/53)');
  });

  it('all members down (the node running the pod failed): NO_SERVICE, the member skipped with the reason', () => {
    const tw = twinOf('tkgi-byot.yaml', { fail: ['tkgi-cluster-1-worker-2'] });
    const r = tw.trace(YELB);
    expect(r.paths.map((p) => `${p.disposition} ${last(p).component}`)).toEqual([
      'NO_SERVICE se-generic-01',
      'NO_SERVICE se-generic-02',
      'NO_SERVICE se-generic-01',
      'NO_SERVICE se-generic-02',
    ]);
    for (const p of r.paths) {
      const lb = p.loadBalancer!;
      expect(last(p).observation).toBe('DROPPED');
      expect(lb.reason).toBe('no pool member enabled and up for TCP/80');
      expect(lb.members).toEqual([{ pool: 'tkgi-cluster-1--yelb-yelb-ui-TCP-80', member: '10.146.129.5:80', skipped: 'member down (its workload, node or host has failed)', paths: [] }]);
    }
    // The controller's view: the VS is DOWN, the member not up; the VIP route stays on the Tier-1.
    const vs = tw.avi({ vs: YELB_VS }).virtualServices[0];
    expect([vs.state, vs.reason]).toEqual(['DOWN', 'no pool member is enabled and up']);
    expect(vs.pools[0].members).toEqual([{ address: '10.146.129.5:80', enabled: true, up: false }]);
    expect(routesOf(tw, { gateway: 'The-Tier-1' }, '10.146.102.100/32')).toHaveLength(1);
  });

  it('pool disabled, member disabled, defaultPort, a member outside the model', () => {
    const tw = variantOf(
      'reference-lab.yaml',
      `avi:
  pools:
    p-off: { enabled: false, members: [{ ip: 10.146.40.10, port: 443 }] }
    p-mix: { defaultPort: 8080, members: [{ ip: 10.146.40.10, enabled: false }, { ip: 10.146.40.11 }, { ip: 198.51.100.7, port: 9000 }] }
  virtualServices:
    vs-pool-off: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.103.50 }, services: [{ port: 443 }], pool: p-off }
    vs-mix: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.103.51 }, services: [{ port: 80 }], pool: p-mix }
`,
    );
    const off = tw.trace({ from: 'ubuntu02', to: '10.146.103.50', proto: 'tcp', dport: 443 });
    expect(off.paths.every((p) => p.disposition === 'NO_SERVICE')).toBe(true);
    expect(off.paths[0].loadBalancer!.members.map((m) => `${m.member} ${m.skipped}`)).toEqual(['10.146.40.10:443 pool disabled']);

    const mix = tw.trace({ from: 'ubuntu02', to: '10.146.103.51', proto: 'tcp', dport: 80 });
    expect(mix.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    const [disabled, bosh, outside] = mix.paths[0].loadBalancer!.members;
    expect(disabled).toEqual({ pool: 'p-mix', member: '10.146.40.10:8080', skipped: 'member disabled', paths: [] });
    // defaultPort applies to members without a port; the member on t1-tkgi-mgmt is reached through its SR.
    expect(bosh.member).toBe('10.146.40.11:8080');
    expect(bosh.flow).toMatchObject({ to: 'bosh-director', dport: 8080 });
    expect(bosh.paths.map((p) => `${p.disposition} ${at(last(p))}`)).toEqual(['DELIVERED esx-02 bosh-director WORKLOAD DELIVERED']);
    expect(ofType(bosh.paths[0], 'T1_SR').map((h) => `${h.node} ${h.component}`)).toEqual(['edge-01 t1-tkgi-mgmt']);
    // An address nobody in the model owns: the SE's leg follows the default routes out of the ToR.
    expect(outside.member).toBe('198.51.100.7:9000');
    expect(outside.flow!.to).toBeNull();
    expect(outside.paths.map((p) => `${p.disposition} ${last(p).component} ${via(last(p))}`)).toEqual([
      'EXITS_NETWORK tor-01 static 0.0.0.0/0 via 192.0.2.2',
      'EXITS_NETWORK tor-01 static 0.0.0.0/0 via 192.0.2.2',
    ]);
  });

  it('a disabled VS, or one with traffic disabled, gets no VIP route: the client never reaches an SE', () => {
    const tw = variantOf(
      'reference-lab.yaml',
      `avi:
  pools:
    p1: { members: [{ ip: 10.146.40.10, port: 443 }] }
  virtualServices:
    vs-off: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.103.50 }, services: [{ port: 443 }], pool: p1, enabled: false, fqdns: [off.this-is-a.domain.net] }
    vs-quiet: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.103.51 }, services: [{ port: 443 }], pool: p1, trafficEnabled: false }
`,
    );
    const view = tw.avi().virtualServices.filter((v) => v.name !== 'dns-service-1');
    expect(view.map((v) => [v.name, v.state, v.reason, v.vipRealisation, v.nsxRoutes])).toEqual([
      ['vs-off', 'DISABLED', 'the virtual service is disabled', 'not reachable: the virtual service is disabled', []],
      ['vs-quiet', 'UP', 'traffic_enabled is off: no route is injected', 'not reachable: traffic_enabled is off: no route is injected', []],
    ]);
    for (const vip of ['10.146.103.50', '10.146.103.51']) {
      const r = tw.trace({ from: 'ubuntu02', to: vip, proto: 'tcp', dport: 443 });
      expect(r.paths.map((p) => `${p.disposition} ${last(p).component}`)).toEqual(['EXITS_NETWORK tor-01']);
      expect(r.paths[0].loadBalancer).toBeUndefined();
    }
    // A disabled VS registers no DNS record.
    expect(queryError(() => tw.trace({ from: 'ubuntu02', to: 'off.this-is-a.domain.net' }))).toBe('cannot resolve off.this-is-a.domain.net: the Avi DNS virtual service has no record for it');
  });
});

describe('virtual services that answer themselves', () => {
  it('ICMP to a VIP: DELIVERED at each SE, answeredBy set, no member leg', () => {
    const r = byot.trace({ from: 'ubuntu02', to: '10.146.102.100' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    for (const p of r.paths) {
      const se = last(p).component;
      expect(p.loadBalancer).toEqual({ virtualService: YELB_VS, serviceEngine: se, vip: '10.146.102.100', answeredBy: `${se} answers ICMP on the VIP`, members: [] });
    }
  });

  it('DNS (ubuntu02 → 10.146.100.53 udp/53): delivered at se-dns-01 through t1-avi-dns, answered by the DNS VS', () => {
    const r = byot.trace({ from: 'ubuntu02', to: '10.146.100.53', proto: 'udp', dport: 53 });
    expect(r.paths.map((p) => `${p.disposition} ${ofType(p, 'T0_SR')[0].node} ${at(last(p))}`)).toEqual([
      'DELIVERED edge-01 esx-03 se-dns-01 SERVICE_ENGINE DELIVERED',
      'DELIVERED edge-02 esx-03 se-dns-01 SERVICE_ENGINE DELIVERED',
    ]);
    for (const p of r.paths) {
      expect(p.hops.filter((h) => h.route).map((h) => `${h.component} ${via(h)}`)).toEqual([
        'tor-01 bgp 10.146.100.53/32 via ' + (ofType(p, 'T0_SR')[0].node === 'edge-01' ? '10.146.10.11' : '10.146.10.12'),
        't0-lhr t1l 10.146.100.53/32 via 100.64.0.3',
        't1-avi-dns static 10.146.100.53/32 via 10.146.51.11',
      ]);
      expect(p.loadBalancer).toEqual({ virtualService: 'dns-service-1', serviceEngine: 'se-dns-01', vip: '10.146.100.53', answeredBy: 'DNS virtual service dns-service-1 answers the query', members: [] });
    }
  });
});

describe('FQDNs through the Avi DNS virtual service (observation 8)', () => {
  it('autoFQDN default (tkgi-byot): <svc>.<namespace>.<domain> resolves to the VIP; the trace is the VIP trace', () => {
    const r = byot.trace({ ...YELB, to: 'yelb-ui.yelb.this-is-a.domain.net' });
    expect(r.flow).toEqual({
      from: 'ubuntu02',
      to: null,
      src: '172.60.146.10',
      dst: '10.146.102.100',
      proto: 'tcp',
      sport: 49152,
      dport: 80,
      resolved: { fqdn: 'yelb-ui.yelb.this-is-a.domain.net', address: '10.146.102.100', dnsVirtualService: 'dns-service-1' },
    });
    expect(r.paths).toEqual(byot.trace(YELB).paths);
    // A trailing dot is accepted (and dropped).
    expect(byot.trace({ ...YELB, to: 'yelb-ui.yelb.this-is-a.domain.net.' }).flow.resolved!.fqdn).toBe('yelb-ui.yelb.this-is-a.domain.net');
    expect(byot.avi().dns).toEqual([
      { fqdn: 'yelb-ui.yelb.this-is-a.domain.net', vip: '10.146.102.100', virtualService: YELB_VS },
      { fqdn: 'fruit-tkgi.this-is-a.domain.net', vip: '10.146.102.101', virtualService: 'tkgi-cluster-1--Shared-L7-0' },
    ]);
  });

  it('autoFQDN flat (tkgi-antrea): <svc>-<namespace>.<domain>', () => {
    const r = antrea.trace({ ...YELB, to: 'yelb-ui-yelb.this-is-a.domain.net' });
    expect(r.flow.resolved).toEqual({ fqdn: 'yelb-ui-yelb.this-is-a.domain.net', address: '10.146.102.100', dnsVirtualService: 'dns-service-1' });
    expect(r.paths.every((p) => p.disposition === 'DELIVERED' && p.loadBalancer!.virtualService === 'tkgi-cluster-1-antrea--yelb-yelb-ui')).toBe(true);
    expect(antrea.trace({ ...YELB, to: 'tkgi-cluster-1-antrea.this-is-a.domain.net', dport: 8443 }).flow.dst).toBe('10.146.101.10');
  });

  it('an unknown FQDN is a QueryError with a suggestion and the records', () => {
    const records = '(records: yelb-ui.yelb.this-is-a.domain.net, fruit-tkgi.this-is-a.domain.net)';
    expect(queryError(() => byot.trace({ ...YELB, to: 'yelb-uii.yelb.this-is-a.domain.net' }))).toBe(
      `cannot resolve yelb-uii.yelb.this-is-a.domain.net: the Avi DNS virtual service has no record for it (did you mean "yelb-ui.yelb.this-is-a.domain.net"?) ${records}`,
    );
    // The flat name is not what AKO registers with autoFQDN default.
    expect(queryError(() => byot.trace({ ...YELB, to: 'yelb-ui-yelb.this-is-a.domain.net' }))).toContain('did you mean "yelb-ui.yelb.this-is-a.domain.net"?');
  });

  it('no DNS virtual service (none declared, its SE failed, or no avi section): QueryError', () => {
    const noDns = 'cannot resolve yelb-ui.yelb.this-is-a.domain.net: the scenario has no Avi DNS virtual service that is up';
    const req = { ...YELB, to: 'yelb-ui.yelb.this-is-a.domain.net' };
    expect(queryError(() => twinOf('tkgi-byot.yaml', { set: ['avi.virtualServices.dns-service-1=null'] }).trace(req))).toBe(noDns);
    expect(queryError(() => twinOf('tkgi-byot.yaml', { fail: ['se-dns-01'] }).trace(req))).toBe(noDns);
    const bare = twinOf('reference-lab.yaml', { set: ['avi=null'] });
    expect(queryError(() => bare.trace(req))).toBe(noDns);
    expect(queryError(() => bare.avi())).toBe('the scenario has no NSX Advanced Load Balancer (avi section)');
    // A name without a dot is not an FQDN.
    expect(queryError(() => byot.trace({ ...YELB, to: 'yelb-ui' }))).toBe('unknown destination "yelb-ui": expected an IPv4 address, a workload or a physical host');
  });
});

describe('L7 ingress (fruit-tkgi.this-is-a.domain.net → 10.146.102.101)', () => {
  const APPLE = 'tkgi-cluster-1--fruit-tkgi.this-is-a.domain.net_apple-fruit-ingress-example-apple-service';
  const BANANA = 'tkgi-cluster-1--fruit-tkgi.this-is-a.domain.net_banana-fruit-ingress-example-banana-service';
  const FRUIT = { from: 'ubuntu02', to: 'fruit-tkgi.this-is-a.domain.net', proto: 'tcp', dport: 80 } as const;

  it('host rule: /apple → apple pod :5678, /banana → banana pod :5678, each traced to its pod', () => {
    const r = byot.trace(FRUIT);
    expect(r.flow.dst).toBe('10.146.102.101');
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    for (const p of r.paths) {
      const lb = p.loadBalancer!;
      expect(lb.virtualService).toBe('tkgi-cluster-1--Shared-L7-0');
      expect(lb.members.map(({ pool, member, host, path }) => ({ pool, member, host, path }))).toEqual([
        { pool: APPLE, member: '10.146.130.2:5678', host: 'fruit-tkgi.this-is-a.domain.net', path: '/apple' },
        { pool: BANANA, member: '10.146.130.3:5678', host: 'fruit-tkgi.this-is-a.domain.net', path: '/banana' },
      ]);
      expect(lb.members.map((m) => `${m.flow!.to}:${m.flow!.dport} ${m.paths.map((x) => `${x.disposition} ${at(last(x))}`)}`)).toEqual([
        'fruit/apple-app:5678 DELIVERED esx-01 fruit/apple-app POD DELIVERED',
        'fruit/banana-app:5678 DELIVERED esx-03 fruit/banana-app POD DELIVERED',
      ]);
      for (const m of lb.members) expect(via(ofType(m.paths[0], 'T0_DR')[0])).toBe('t1c 10.146.130.0/24 via 100.64.0.7');
    }
  });

  it('by address without a host, every HTTP route matches; port 443 of the parent VS too', () => {
    const byIp = byot.trace({ ...FRUIT, to: '10.146.102.101' });
    expect(byIp.paths[0].loadBalancer!.members.map((m) => m.path)).toEqual(['/apple', '/banana']);
    const tls = byot.trace({ ...FRUIT, dport: 443 });
    expect(tls.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
    expect(tls.paths[0].loadBalancer!.members.map((m) => m.member)).toEqual(['10.146.130.2:5678', '10.146.130.3:5678']);
  });

  it('another Host header: no HTTP route matches → NO_SERVICE', () => {
    const r = byot.trace({ ...FRUIT, host: 'other.this-is-a.domain.net' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['NO_SERVICE', 'NO_SERVICE', 'NO_SERVICE', 'NO_SERVICE']);
    for (const p of r.paths) {
      expect(last(p).observation).toBe('DROPPED');
      expect(p.loadBalancer!.members).toEqual([]);
      expect(p.loadBalancer!.reason).toBe('no HTTP route of virtual service tkgi-cluster-1--Shared-L7-0 matches host other.this-is-a.domain.net');
    }
  });

  it('Antrea: the same ingress on 10.146.102.102 reaches the nodes by NodePortLocal', () => {
    const r = antrea.trace(FRUIT);
    expect(r.flow.dst).toBe('10.146.102.102');
    expect(r.paths[0].loadBalancer!.members.map((m) => `${m.path} ${m.member} ${last(m.paths[0]).component}`)).toEqual([
      '/apple 10.146.41.11:61001 tkgi-antrea-worker-1',
      '/banana 10.146.41.13:61001 tkgi-antrea-worker-3',
    ]);
  });
});

describe('replies (withReturn)', () => {
  const r = byot.trace(YELB, { withReturn: true });

  it('the client leg is answered from the VIP, back to ubuntu02 through the Tier-0 SRs', () => {
    expect(r.return!.map((x) => x.forwardPath)).toEqual([0, 1, 2, 3]);
    for (const ret of r.return!) {
      const se = last(r.paths[ret.forwardPath]).component;
      expect(ret.flow).toEqual({ from: se, to: 'ubuntu02', src: '10.146.102.100', dst: '172.60.146.10', proto: 'tcp', sport: 80, dport: 49152 });
      expect(ret.paths.map((p) => `${p.disposition} ${at(last(p))}`)).toEqual(['DELIVERED ubuntu02 ubuntu02 PHYSICAL_HOST DELIVERED', 'DELIVERED ubuntu02 ubuntu02 PHYSICAL_HOST DELIVERED']);
      expect(ret.paths.map((p) => ofType(p, 'T0_SR').map((h) => `${h.node} ${via(h)}`))).toEqual([
        ['edge-01 bgp 172.60.146.0/24 via 10.146.10.1'],
        ['edge-02 bgp 172.60.146.0/24 via 10.146.10.1'],
      ]);
      expect(at(ret.paths[0].hops[0])).toBe(`${SE_HOST[se]} ${se} SERVICE_ENGINE INJECTED`);
    }
  });

  it('each member leg has a return, DELIVERED to the SE data IP (the SNAT address) through the NCP Tier-1 SR', () => {
    for (const p of r.paths) {
      const se = last(p).component;
      const m = p.loadBalancer!.members[0];
      expect(m.return).toHaveLength(1);
      const back = m.return![0];
      expect(back.disposition).toBe('DELIVERED');
      expect(at(back.hops[0])).toBe('esx-02 yelb/yelb-ui-0 POD INJECTED');
      expect(back.hops[0].detail).toBe(`10.146.129.5 → ${SE_IP[se]}`);
      expect(back.hops.filter((h) => h.route).map((h) => `${h.node} ${h.component} ${h.componentType} ${via(h)}`)).toEqual([
        'esx-02 t1-pks-0b7d0725 T1_DR auto 0.0.0.0/0 via 169.254.0.2',
        'edge-01 t1-pks-0b7d0725 T1_SR auto 0.0.0.0/0 via 100.64.0.6',
        'edge-01 t0-lhr T0_DR t1c 10.146.50.0/24 via 100.64.0.1',
        'edge-01 The-Tier-1 T1_DR connected 10.146.50.0/24 via null',
      ]);
      expect(at(last(back))).toBe(`${SE_HOST[se]} ${se} SERVICE_ENGINE DELIVERED`);
      expect(last(back).detail).toBe(`delivered to ${se} (${SE_IP[se]})`);
    }
  });

  it('ICMP and DNS are answered from the VIP; NO_SERVICE gets no reply', () => {
    const ping = byot.trace({ from: 'ubuntu02', to: '10.146.102.100' }, { withReturn: true });
    expect(ping.return!.map((x) => `${x.flow.src} → ${x.flow.dst} ${x.paths.map((p) => p.disposition)}`)).toEqual(
      Array(4).fill('10.146.102.100 → 172.60.146.10 DELIVERED,DELIVERED'),
    );
    const dns = byot.trace({ from: 'ubuntu02', to: '10.146.100.53', proto: 'udp', dport: 53 }, { withReturn: true });
    expect(dns.return!.map((x) => x.flow)).toEqual(
      Array(2).fill({ from: 'se-dns-01', to: 'ubuntu02', src: '10.146.100.53', dst: '172.60.146.10', proto: 'udp', sport: 53, dport: 49152 }),
    );
    expect(byot.trace({ ...YELB, dport: 8080 }, { withReturn: true }).return).toEqual([]);
  });

  it('hairpin: a pod calling the VIP of its own service is balanced back to itself, and answered', () => {
    const h = byot.trace({ from: 'yelb/yelb-ui-0', to: '10.146.102.100', proto: 'tcp', dport: 80 }, { withReturn: true });
    expect(h.paths.map((p) => `${p.disposition} ${last(p).component} ${p.loadBalancer!.members[0].paths.map((x) => `${x.disposition} ${last(x).component}`)}`)).toEqual([
      'DELIVERED se-generic-01 DELIVERED yelb/yelb-ui-0',
      'DELIVERED se-generic-02 DELIVERED yelb/yelb-ui-0',
    ]);
    // Out through the NCP Tier-1 SR, into The-Tier-1 by the Tier-0 DR's t1l copy of the VIP route.
    expect(h.paths[0].hops.filter((x) => x.route).map((x) => `${x.component} ${x.componentType} ${via(x)}`)).toEqual([
      't1-pks-0b7d0725 T1_DR auto 0.0.0.0/0 via 169.254.0.2',
      't1-pks-0b7d0725 T1_SR auto 0.0.0.0/0 via 100.64.0.6',
      't0-lhr T0_DR t1l 10.146.102.100/32 via 100.64.0.1',
      'The-Tier-1 T1_DR static 10.146.102.100/32 via 10.146.50.11',
    ]);
    expect(h.return!.map((x) => `${x.flow.src} → ${x.flow.to} ${x.paths.map((p) => p.disposition)}`)).toEqual([
      '10.146.102.100 → yelb/yelb-ui-0 DELIVERED',
      '10.146.102.100 → yelb/yelb-ui-0 DELIVERED',
    ]);
  });
});

describe('the VIP route: injection on the Tier-1 and advertisement (observation 6)', () => {
  const VIP = '10.146.102.100/32';

  it('The-Tier-1 DR: an Avi static /32 with both SE data IPs as next hops', () => {
    expect(routesOf(byot, { gateway: 'The-Tier-1' }, VIP)).toEqual([
      {
        prefix: VIP,
        type: 'static',
        distance: 1,
        nextHops: [
          { ip: '10.146.50.11', interface: 'downlink-avi-se-generic-data' },
          { ip: '10.146.50.12', interface: 'downlink-avi-se-generic-data' },
        ],
        selected: true,
        origin: `Avi virtual service "${YELB_VS}" (VIP route)`,
      },
    ]);
  });

  it('t0-lhr has the t1l copy on its DR and on both SRs', () => {
    const t1l = {
      prefix: VIP,
      type: 't1l',
      distance: 3,
      nextHops: [{ ip: '100.64.0.1', interface: 'router-link-The-Tier-1' }],
      selected: true,
      origin: `Tier-1 The-Tier-1: Avi virtual service "${YELB_VS}" (VIP route)`,
    };
    expect(routesOf(byot, { gateway: 't0-lhr', component: 'dr' }, VIP)).toEqual([t1l]);
    expect(routesOf(byot, { gateway: 't0-lhr', node: 'edge-01' }, VIP)).toEqual([t1l]);
    expect(routesOf(byot, { gateway: 't0-lhr', node: 'edge-02' }, VIP)).toEqual([t1l]);
  });

  it('tor-01 learns it by eBGP from both edges and installs ECMP', () => {
    const learned = byot.bgp({ router: 'tor-01', prefix: VIP }).routes;
    expect(learned.map((x) => ({ nextHop: x.nextHop, asPath: x.asPath, best: x.best, multipath: x.multipath, peer: x.peer }))).toEqual([
      { nextHop: '10.146.10.11', asPath: [65146], best: true, multipath: true, peer: '10.146.10.11' },
      { nextHop: '10.146.10.12', asPath: [65146], best: false, multipath: true, peer: '10.146.10.12' },
    ]);
    const installed = routesOf(byot, { router: 'tor-01' }, VIP);
    expect(installed.map((x) => [x.type, x.nextHops.map((h) => h.ip)])).toEqual([['bgp', ['10.146.10.11', '10.146.10.12']]]);
  });

  it('nsx-twin avi: the realisation and every NSX copy of the route', () => {
    const vs = byot.avi({ vs: YELB_VS }).virtualServices[0];
    expect(vs).toMatchObject({
      createdFor: 'tkgi-cluster-1: Service yelb/yelb-ui',
      state: 'UP',
      vip: '10.146.102.100',
      tier1: 'The-Tier-1',
      haMode: 'HA_MODE_SHARED_PAIR',
      services: ['TCP/80'],
      serviceEngines: [
        { name: 'se-generic-01', dataIp: '10.146.50.11', standby: false },
        { name: 'se-generic-02', dataIp: '10.146.50.12', standby: false },
      ],
      fqdns: ['yelb-ui.yelb.this-is-a.domain.net'],
      vipRealisation: 'VIP/32 route on The-Tier-1 → 10.146.50.11, 10.146.50.12 (advertised as TIER1_LB_VIP)',
    });
    expect(vs.nsxRoutes.map((x) => `${x.component} ${x.type} ${x.nextHops.join(',')}`)).toEqual([
      't0-lhr T0_DR t1l 100.64.0.1',
      't0-lhr T0_SR (edge-01) t1l 100.64.0.1',
      't0-lhr T0_SR (edge-02) t1l 100.64.0.1',
      'The-Tier-1 T1_DR static 10.146.50.11,10.146.50.12',
    ]);
  });

  it('The-Tier-1 not advertising TIER1_LB_VIP: the Tier-0 never has it, the client trace never reaches an SE', () => {
    const tw = variantOf('tkgi-byot.yaml', 'tier1s:\n  The-Tier-1:\n    advertise: [TIER1_CONNECTED, TIER1_STATIC_ROUTES]\n');
    expect(routesOf(tw, { gateway: 'The-Tier-1' }, VIP)).toHaveLength(1); // still injected
    expect(routesOf(tw, { gateway: 't0-lhr', component: 'dr' }, VIP)).toEqual([]);
    expect(routesOf(tw, { gateway: 't0-lhr', node: 'edge-01' }, VIP)).toEqual([]);
    expect(routesOf(tw, { router: 'tor-01' }, VIP)).toEqual([]);
    const r = tw.trace(YELB);
    expect(r.paths.map((p) => `${p.disposition} ${at(last(p))} ${via(last(p))}`)).toEqual(['EXITS_NETWORK tor-01 tor-01 PHYSICAL_ROUTER FORWARDED static 0.0.0.0/0 via 192.0.2.2']);
    expect(r.paths.some((p) => p.hops.some((h) => h.componentType === 'SERVICE_ENGINE'))).toBe(false);
  });

  it('t0-lhr not redistributing TIER1_LB_VIP: the Tier-0 has it, tor-01 does not', () => {
    const tw = variantOf('tkgi-byot.yaml', 'tier0s:\n  t0-lhr:\n    redistribution:\n      - { name: no-lb-vip, types: [TIER1_CONNECTED, TIER1_STATIC, TIER1_NAT] }\n');
    expect(routesOf(tw, { gateway: 't0-lhr', node: 'edge-01' }, VIP).map((x) => x.type)).toEqual(['t1l']);
    expect(routesOf(tw, { gateway: 't0-lhr', node: 'edge-02' }, VIP).map((x) => x.type)).toEqual(['t1l']);
    expect(tw.bgp({ router: 'tor-01', prefix: VIP }).routes).toEqual([]);
    expect(prefixesOf(tw, 'tor-01').filter((p) => p.endsWith('/32'))).toEqual([]);
    expect(tw.trace(YELB).paths.map((p) => `${p.disposition} ${last(p).component}`)).toEqual(['EXITS_NETWORK tor-01']);
  });

  it('avi.cloud.vipRouteType STATIC: the same /32 reaches the Tier-0 as t1s, and needs TIER1_STATIC_ROUTES', () => {
    const tw = twinOf('tkgi-byot.yaml', { set: ['avi.cloud.vipRouteType=STATIC'] });
    expect(routesOf(tw, { gateway: 'The-Tier-1' }, VIP).map((x) => x.type)).toEqual(['static']);
    expect(routesOf(tw, { gateway: 't0-lhr', node: 'edge-01' }, VIP).map((x) => `${x.type} ${x.distance}`)).toEqual(['t1s 3']);
    expect(routesOf(tw, { router: 'tor-01' }, VIP).map((x) => x.type)).toEqual(['bgp']);
    expect(tw.avi({ vs: YELB_VS }).virtualServices[0].vipRealisation).toBe('VIP/32 route on The-Tier-1 → 10.146.50.11, 10.146.50.12 (advertised as TIER1_STATIC_ROUTES)');
    expect(tw.trace(YELB).paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);

    const noStatic = twinOf('tkgi-byot.yaml', { set: ['avi.cloud.vipRouteType=STATIC', 'tier1s.The-Tier-1.advertise=[TIER1_CONNECTED, TIER1_LB_VIP]'] });
    expect(routesOf(noStatic, { gateway: 't0-lhr', node: 'edge-01' }, VIP)).toEqual([]);
    expect(routesOf(noStatic, { router: 'tor-01' }, VIP)).toEqual([]);
    expect(noStatic.trace(YELB).paths.map((p) => p.disposition)).toEqual(['EXITS_NETWORK']);
  });
});

describe('SE failure and placement', () => {
  it('se-generic-01 failed: the VIP route keeps only 10.146.50.12 and every path goes to se-generic-02', () => {
    const tw = twinOf('tkgi-byot.yaml', { fail: ['se-generic-01'] });
    expect(routesOf(tw, { gateway: 'The-Tier-1' }, '10.146.102.100/32').map((x) => x.nextHops)).toEqual([[{ ip: '10.146.50.12', interface: 'downlink-avi-se-generic-data' }]]);
    const r = tw.trace(YELB);
    expect(r.paths.map((p) => `${p.disposition} ${ofType(p, 'T0_SR')[0].node} ${via(ofType(p, 'T1_DR')[0])} ${at(last(p))}`)).toEqual([
      'DELIVERED edge-01 static 10.146.102.100/32 via 10.146.50.12 esx-02 se-generic-02 SERVICE_ENGINE DELIVERED',
      'DELIVERED edge-02 static 10.146.102.100/32 via 10.146.50.12 esx-02 se-generic-02 SERVICE_ENGINE DELIVERED',
    ]);
    expect(r.paths.every((p) => p.loadBalancer!.snat === '10.146.50.12' && p.loadBalancer!.members[0].paths[0].disposition === 'DELIVERED')).toBe(true);
    const vs = tw.avi({ vs: YELB_VS }).virtualServices[0];
    expect([vs.state, vs.reason, vs.serviceEngines.map((s) => s.name)]).toEqual(['UP', 'placed on 1 of 2 SEs (the others are down or full)', ['se-generic-02']]);
  });

  it('VIP inside the SE data subnet (avi/vip-in-se-subnet): no /32 anywhere, reached as connected, se-generic-01 answers ARP (observation 7)', () => {
    const tw = twinOf('avi/vip-in-se-subnet.yaml');
    const vs = tw.avi({ vs: 'ops-portal' }).virtualServices[0];
    expect(vs.vipRealisation).toBe('inside the SE data subnet: se-generic-01 answers ARP');
    expect(vs.nsxRoutes).toEqual([]);
    expect(tw.routes({ gateway: 'The-Tier-1' }).routes.filter((x) => x.prefix.startsWith('10.146.50.'))).toMatchObject([{ prefix: '10.146.50.0/24', type: 'connected' }]);
    expect(routesOf(tw, { gateway: 't0-lhr', component: 'dr' }, '10.146.50.100/32')).toEqual([]);
    expect(prefixesOf(tw, 'tor-01')).not.toContain('10.146.50.100/32');

    const r = tw.trace({ from: 'ubuntu02', to: 'ops-portal.this-is-a.domain.net', proto: 'tcp', dport: 443 });
    expect(r.flow.dst).toBe('10.146.50.100');
    expect(r.paths.map((p) => p.hops.filter((h) => h.route).map((h) => `${h.component} ${via(h)}`))).toEqual([
      ['tor-01 bgp 10.146.50.0/24 via 10.146.10.11', 't0-lhr t1c 10.146.50.0/24 via 100.64.0.1', 'The-Tier-1 connected 10.146.50.0/24 via null'],
      ['tor-01 bgp 10.146.50.0/24 via 10.146.10.12', 't0-lhr t1c 10.146.50.0/24 via 100.64.0.1', 'The-Tier-1 connected 10.146.50.0/24 via null'],
    ]);
    expect(r.paths.map((p) => `${p.disposition} ${at(last(p))}`)).toEqual(Array(2).fill('DELIVERED esx-01 se-generic-01 SERVICE_ENGINE DELIVERED'));
    const m = r.paths[0].loadBalancer!.members[0];
    expect(m.member).toBe('10.146.40.10:443');
    expect(m.paths.map((p) => `${p.disposition} ${last(p).component} via ${ofType(p, 'T1_SR').map((h) => `${h.component}@${h.node}`)}`)).toEqual(['DELIVERED ops-manager via t1-tkgi-mgmt@edge-01']);
  });

  it('VIP inside the SE subnet, se-generic-01 failed: se-generic-02 takes the VIP over', () => {
    const tw = twinOf('avi/vip-in-se-subnet.yaml', { fail: ['se-generic-01'] });
    expect(tw.avi({ vs: 'ops-portal' }).virtualServices[0].vipRealisation).toBe('inside the SE data subnet: se-generic-02 answers ARP');
    const r = tw.trace({ from: 'ubuntu02', to: '10.146.50.100', proto: 'tcp', dport: 443 });
    expect(r.paths.map((p) => `${p.disposition} ${via(ofType(p, 'T1_DR')[0])} ${at(last(p))}`)).toEqual(
      Array(2).fill('DELIVERED connected 10.146.50.0/24 via null esx-02 se-generic-02 SERVICE_ENGINE DELIVERED'),
    );
  });

  it('N+M (packed) and legacy active/standby (avi/n-plus-m): one next hop each; failures move the VIPs', () => {
    const realisation = (tw: Twin) => Object.fromEntries(tw.avi().virtualServices.filter((v) => v.name.startsWith('app-')).map((v) => [v.name, v.vipRealisation]));
    const healthy = twinOf('avi/n-plus-m.yaml');
    expect(realisation(healthy)).toEqual({
      'app-a': 'VIP/32 route on The-Tier-1 → 10.146.50.13 (advertised as TIER1_LB_VIP)',
      'app-b': 'VIP/32 route on The-Tier-1 → 10.146.50.13 (advertised as TIER1_LB_VIP)',
      'app-legacy': 'VIP/32 route on The-Tier-1 → 10.146.50.16 (advertised as TIER1_LB_VIP)',
    });
    expect(healthy.avi({ vs: 'app-legacy' }).virtualServices[0].serviceEngines).toEqual([
      { name: 'se-as-01', dataIp: '10.146.50.16', standby: false },
      { name: 'se-as-02', dataIp: '10.146.50.17', standby: true },
    ]);
    expect(healthy.trace({ from: 'ubuntu02', to: '10.146.103.10', proto: 'tcp', dport: 443 }).paths.map((p) => `${last(p).component} ${p.loadBalancer!.members[0].paths.map((x) => last(x).component)}`)).toEqual([
      'se-nm-01 tkgi-api',
      'se-nm-01 tkgi-api',
    ]);

    const nm = twinOf('avi/n-plus-m.yaml', { fail: ['se-nm-01'] });
    expect(realisation(nm)['app-a']).toBe('VIP/32 route on The-Tier-1 → 10.146.50.14 (advertised as TIER1_LB_VIP)');
    expect(realisation(nm)['app-b']).toBe('VIP/32 route on The-Tier-1 → 10.146.50.14 (advertised as TIER1_LB_VIP)');
    expect(nm.trace({ from: 'ubuntu02', to: '10.146.103.10', proto: 'tcp', dport: 443 }).paths.map((p) => last(p).component)).toEqual(['se-nm-02', 'se-nm-02']);

    const legacy = twinOf('avi/n-plus-m.yaml', { fail: ['se-as-01'] });
    expect(realisation(legacy)['app-legacy']).toBe('VIP/32 route on The-Tier-1 → 10.146.50.17 (advertised as TIER1_LB_VIP)');
    expect(legacy.trace({ from: 'ubuntu02', to: '10.146.103.12', proto: 'tcp', dport: 443 }).paths.map((p) => last(p).component)).toEqual(['se-as-02', 'se-as-02']);
  });
});

describe('the SE\'s VRF (first hop of the member leg)', () => {
  it('vrfDefaultRoute false and no static route: the member leg is NO_ROUTE at the SE', () => {
    const tw = twinOf('tkgi-byot.yaml', { set: ['avi.cloud.vrfDefaultRoute=false'] });
    const r = tw.trace(YELB);
    // The VIP leg itself is unaffected.
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    for (const p of r.paths) {
      const se = last(p).component;
      const m = p.loadBalancer!.members[0];
      expect(m.vrfRoute).toBeUndefined();
      expect(m.flow).toMatchObject({ from: se, src: SE_IP[se], dst: '10.146.129.5' });
      expect(m.paths).toEqual([
        {
          disposition: 'NO_ROUTE',
          hops: [{ seq: 0, node: SE_HOST[se], component: se, componentType: 'SERVICE_ENGINE', observation: 'DROPPED', detail: 'no route to 10.146.129.5 in the VRF of The-Tier-1' }],
        },
      ]);
    }
  });

  it('a VRF static route (dataNetworks[].staticRoutes) carries the leg; the most specific VRF route wins', () => {
    const tw = variantOf(
      'tkgi-byot.yaml',
      `avi:
  cloud:
    name: nsx-t-lhr
    vrfDefaultRoute: false
    dataNetworks:
      - { tier1: The-Tier-1, segment: avi-se-generic-data, staticRoutes: [{ network: 10.146.128.0/17, nextHop: 10.146.50.1 }] }
      - { tier1: t1-avi-dns, segment: avi-se-dns-data }
`,
    );
    const r = tw.trace(YELB);
    for (const p of r.paths) {
      const m = p.loadBalancer!.members[0];
      expect(m.vrfRoute).toBe('VRF static route 10.146.128.0/17');
      expect(m.paths.map((x) => `${x.disposition} ${at(last(x))}`)).toEqual(['DELIVERED esx-02 yelb/yelb-ui-0 POD DELIVERED']);
      expect(ofType(m.paths[0], 'T1_SR').map((h) => h.node)).toEqual(['edge-01']);
    }
    const both = twinOf('tkgi-byot.yaml', { set: ['avi.cloud.dataNetworks[0].staticRoutes=[{network: 10.146.129.0/24, nextHop: 10.146.50.1}]'] });
    expect(both.trace(YELB).paths[0].loadBalancer!.members[0].vrfRoute).toBe('VRF static route 10.146.129.0/24');
  });

  it('a VRF static route whose next hop is off the data segment is rejected', () => {
    let problems: string[] = [];
    try {
      twinOf('tkgi-byot.yaml', { set: ['avi.cloud.dataNetworks[0].staticRoutes=[{network: 10.146.128.0/17, nextHop: 10.146.41.1}]'] });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      problems = e.problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual(['avi.cloud.dataNetworks[0].staticRoutes[0].nextHop: 10.146.41.1 is not on the data segment "avi-se-generic-data" (10.146.50.0/24)']);
  });
});

describe('NCP NAT and the route-map fix (observations 4 and 5)', () => {
  const nat = twinOf('tkgi-byot-nat.yaml');
  const fix = twinOf('tkgi-byot-route-map-fix.yaml');
  const POD_24S = ['10.146.128.0/24', '10.146.129.0/24', '10.146.130.0/24'];

  it('no-NAT (tkgi-byot): tor-01 learns the pod /24s', () => {
    expect(prefixesOf(byot, 'tor-01')).toEqual(expect.arrayContaining(POD_24S));
  });

  it('NAT: pod yelb/yelb-ui-0 → ubuntu02 leaves as the namespace floating IP, SNATed on the NCP Tier-1 SR', () => {
    const r = nat.trace({ from: 'yelb/yelb-ui-0', to: 'ubuntu02' });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED']);
    for (const p of r.paths) {
      expect(ofType(p, 'NAT')).toEqual([
        {
          seq: 1,
          node: 'edge-01',
          component: 't1-pks-0b7d0725',
          componentType: 'NAT',
          observation: 'FORWARDED',
          rule: 'pks-0b7d0725-c67b-4e14-b6d0-52f799cb3556-yelb-snat',
          detail: 'SNAT source 10.146.129.5 → 10.146.110.2 (rule "pks-0b7d0725-c67b-4e14-b6d0-52f799cb3556-yelb-snat")',
        },
      ]);
      expect(at(last(p))).toBe('ubuntu02 ubuntu02 PHYSICAL_HOST DELIVERED');
    }
  });

  it('NAT: tor-01 learns the floating /32s, not the pod /24s', () => {
    const tor = prefixesOf(nat, 'tor-01');
    expect(tor.filter((p) => p.startsWith('10.146.110.'))).toEqual(['10.146.110.1/32', '10.146.110.2/32', '10.146.110.3/32']);
    for (const p of POD_24S) expect(tor).not.toContain(p);
    expect(nat.bgp({ router: 'tor-01', prefix: '10.146.110.2/32' }).routes.map((x) => `${x.nextHop} ${x.best}`)).toEqual(['10.146.10.11 true', '10.146.10.12 false']);
  });

  it('NAT: the pod subnets are not routable from the Tier-0, so the ClusterIP member leg follows the default route out', () => {
    expect(routesOf(nat, { gateway: 't0-lhr', component: 'dr' }, '10.146.129.0/24')).toEqual([]);
    const r = nat.trace(YELB);
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    const m = r.paths[0].loadBalancer!.members[0];
    expect(m.paths.map((p) => `${p.disposition} ${ofType(p, 'T0_DR').map(via)} ${at(last(p))}`)).toEqual([
      'EXITS_NETWORK auto 0.0.0.0/0 via 169.254.0.2 tor-01 tor-01 PHYSICAL_ROUTER FORWARDED',
      'EXITS_NETWORK auto 0.0.0.0/0 via 169.254.0.3 tor-01 tor-01 PHYSICAL_ROUTER FORWARDED',
    ]);
  });

  it('route-map fix: tor-01 has no pod /24s but keeps the VIP /32s', () => {
    const tor = prefixesOf(fix, 'tor-01');
    for (const p of POD_24S) expect(tor).not.toContain(p);
    expect(tor).toEqual(expect.arrayContaining(['10.146.102.100/32', '10.146.102.101/32', '10.146.100.53/32']));
    expect(fix.trace({ from: 'ubuntu02', to: 'yelb/yelb-ui-0' }).paths.map((p) => `${p.disposition} ${last(p).component}`)).toEqual(['EXITS_NETWORK tor-01']);
  });

  it('route-map fix: inside NSX ops-manager still reaches yelb/yelb-ui-0, and the VIP still reaches its member', () => {
    const r = fix.trace({ from: 'ops-manager', to: 'yelb/yelb-ui-0' });
    expect(r.paths.map((p) => `${p.disposition} ${at(last(p))}`)).toEqual(['DELIVERED esx-02 yelb/yelb-ui-0 POD DELIVERED']);
    expect(r.paths[0].hops.filter((h) => h.route).map((h) => `${h.node} ${h.component} ${h.componentType} ${via(h)}`)).toEqual([
      'esx-01 t1-tkgi-mgmt T1_DR auto 0.0.0.0/0 via 169.254.0.2',
      'edge-01 t1-tkgi-mgmt T1_SR auto 0.0.0.0/0 via 100.64.0.4',
      'edge-01 t0-lhr T0_DR t1c 10.146.129.0/24 via 100.64.0.7',
      'edge-01 t1-pks-0b7d0725 T1_SR connected 10.146.129.0/24 via 169.254.0.1',
      'edge-01 t1-pks-0b7d0725 T1_DR connected 10.146.129.0/24 via null',
    ]);
    const vip = fix.trace(YELB, { withReturn: true });
    expect(vip.paths.map((p) => `${p.disposition} ${p.loadBalancer!.members[0].paths.map((x) => x.disposition)} ${p.loadBalancer!.members[0].return!.map((x) => x.disposition)}`)).toEqual(
      Array(4).fill('DELIVERED DELIVERED DELIVERED'),
    );
  });
});

describe('determinism', () => {
  it('the same trace twice, or on a second twin of the same scenario, gives the same JSON', () => {
    const a = JSON.stringify(byot.trace(YELB, { withReturn: true }));
    expect(JSON.stringify(byot.trace(YELB, { withReturn: true }))).toBe(a);
    expect(JSON.stringify(twinOf('tkgi-byot.yaml').trace(YELB, { withReturn: true }))).toBe(a);
    const l7 = { from: 'ubuntu02', to: 'fruit-tkgi.this-is-a.domain.net', proto: 'tcp', dport: 80 } as const;
    expect(byot.trace(l7)).toEqual(byot.trace(l7));
    expect(JSON.stringify(byot.avi())).toBe(JSON.stringify(twinOf('tkgi-byot.yaml').avi()));
  });
});

describe('hosts are case-insensitive; the VIP reply starts from the VIP; truncated legs are flagged', () => {
  it('an FQDN and an HTTP host in another case reach the same pools', () => {
    const r = byot.trace({ from: 'ubuntu02', to: 'FRUIT-TKGI.this-is-a.domain.net', proto: 'tcp', dport: 80 });
    expect(r.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect(r.paths[0].loadBalancer!.members.map((m) => m.path)).toEqual(['/apple', '/banana']);
    const other = byot.trace({ from: 'ubuntu02', to: '10.146.102.101', proto: 'tcp', dport: 80, host: 'nope.this-is-a.domain.net' });
    expect(other.paths[0].loadBalancer!.reason).toBe('no HTTP route of virtual service tkgi-cluster-1--Shared-L7-0 matches host nope.this-is-a.domain.net');
    expect(other.paths[0].loadBalancer!.snat).toBeUndefined();
  });
  it("the VIP leg's reply shows the VIP as its source from the first hop", () => {
    const r = byot.trace(YELB, { withReturn: true });
    for (const ret of r.return!) {
      expect(ret.flow.src).toBe('10.146.102.100');
      expect(ret.paths[0].hops[0].detail).toBe('10.146.102.100 → 172.60.146.10');
    }
  });
  it('a member leg stopped at settings.maxPaths says so', () => {
    const tw = twinOf('tkgi-byot-nat.yaml', { set: ['settings={maxPaths: 1}'] });
    const leg = tw.trace(YELB).paths[0].loadBalancer!.members[0];
    expect(leg.paths).toHaveLength(1);
    expect(leg.truncated).toBe(true);
  });
});
