// Realization (src/topology/realize/): what NCP, AKO and the Avi controller make of a scenario.
// - realize(): identity without avi/kubernetes; created objects added after the user's.
// - NCP (tkgi-byot, tkgi-byot-nat): the cluster Tier-1, node and pod segments, node and pod
//   addresses, SNAT per pod subnet and the DENY rule in NAT mode, failed nodes taking their pods.
// - Antrea (tkgi-antrea): node workloads on the existing segment, no pod workloads, NodePortLocal.
// - AKO: FNV-1a shards, L4/L7 virtual service and pool names, members by serviceType, FQDN modes,
//   and the problems validation reports for bad Kubernetes declarations.
// - Avi controller: SE data addresses, VIP allocation, placement by HA mode around failed or full
//   SEs, VIP routes / ARP owner, disabled and traffic-disabled VSes, DNS records, VRF routes.
// - Conflicts between what the controllers create and what the user wrote.
import { readFileSync } from 'node:fs';
import { produce, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { formatProblem, ScenarioError } from '../../src/topology/errors.js';
import { formatIp, formatPrefix } from '../../src/topology/ip.js';
import { fnv1a32, realize, shardOf, type Realized } from '../../src/topology/realize/index.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { generateSize } from '../../src/topology/generate.js';

// ---- helpers ------------------------------------------------------------------------------------

const read = (p: string) => readFileSync(`scenarios/${p}`, 'utf8');
/** Bundled scenarios by the name an `extends:` uses (n-plus-m.yaml extends ../reference-lab.yaml). */
const BASES: Record<string, string> = {
  'reference-lab.yaml': read('reference-lab.yaml'),
  '../reference-lab.yaml': read('reference-lab.yaml'),
  'tkgi-byot.yaml': read('tkgi-byot.yaml'),
  'tkgi-antrea.yaml': read('tkgi-antrea.yaml'),
  'n-plus-m.yaml': read('avi/n-plus-m.yaml'),
  'vip-in-se-subnet.yaml': read('avi/vip-in-se-subnet.yaml'),
};

/** A validated variant of a bundled scenario (`extends: <base>` plus `yaml`). */
const variant = (base: string, yaml: string): Scenario => loadScenarioText(`extends: ${base}\n${yaml}`, 'variant.yaml', BASES).scenario;
const realizeVariant = (base: string, yaml: string): Realized => realize(variant(base, yaml));
const realizeFile = (file: string): Realized => realize(loadScenarioFile(`scenarios/${file}`).scenario);
/** A mutable deep copy of a bundled scenario (validated), for realize() without validation. */
const copyOf = (file: string): Scenario => structuredClone(loadScenarioFile(`scenarios/${file}`).scenario);

/** The formatted problems validation reports for a variant (it must fail). */
function loadErrors(base: string, yaml: string): string[] {
  try {
    variant(base, yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems.map(formatProblem);
  }
  throw new Error('expected the variant to fail validation');
}

const vsOf = (r: Realized, name: string) => {
  const v = r.avi!.virtualServices.find((x) => x.name === name);
  if (!v) throw new Error(`no virtual service ${name}`);
  return v;
};
const seOf = (r: Realized, name: string) => {
  const s = r.avi!.serviceEngines.find((x) => x.name === name);
  if (!s) throw new Error(`no SE ${name}`);
  return s;
};
/** Pool members as "ip:port" (with " down" when the health monitor marks them down). */
const membersOf = (r: Realized, pool: string) => {
  const p = r.avi!.pools.get(pool);
  if (!p) throw new Error(`no pool ${pool}`);
  return p.members.map((m) => `${formatIp(m.ip)}:${m.port}${m.up ? '' : ' down'}`);
};
const seNics = (r: Realized, name: string) => seOf(r, name).nics.map((n) => `${n.workload} ${n.segment} ${formatIp(n.ip)}`);
const vrfRoutes = (r: Realized, tier1: string) => r.avi!.vrfs.get(tier1)!.routes.map((x) => `${formatPrefix(x.prefix)} via ${formatIp(x.nextHop)} (${x.origin})`);
const dnsOf = (r: Realized) => [...r.avi!.dns].map(([fqdn, d]) => `${fqdn} ${formatIp(d.vip)} ${d.virtualService}`);

const UUID = '0b7d0725-c67b-4e14-b6d0-52f799cb3556';
const NODE_SEG = `pks-${UUID}`;
const HOST = 'fruit-tkgi.this-is-a.domain.net';
const APPLE_POOL = `tkgi-cluster-1--${HOST}_apple-fruit-ingress-example-apple-service`;
const BANANA_POOL = `tkgi-cluster-1--${HOST}_banana-fruit-ingress-example-banana-service`;

// ---- realize() ----------------------------------------------------------------------------------

describe('realize()', () => {
  it('returns the scenario itself (no runtime, no problems) without avi and kubernetes sections', () => {
    const s = loadScenarioFile('scenarios/edge-cases/nat.yaml').scenario;
    const r = realize(s);
    expect(r.scenario).toBe(s);
    expect(r.avi).toBeNull();
    expect(r.clusters).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('adds the created objects after the user objects and leaves the input untouched', () => {
    const s = loadScenarioFile('scenarios/tkgi-byot.yaml').scenario;
    const r = realize(s);
    expect(r.problems).toEqual([]);
    expect(Object.keys(r.scenario.tier1s!)).toEqual(['The-Tier-1', 't1-avi-dns', 't1-tkgi-mgmt', 't1-pks-0b7d0725']);
    expect(Object.keys(r.scenario.workloads!).slice(0, 4)).toEqual(['ops-manager', 'bosh-director', 'tkgi-api', 'tkgi-cluster-1-worker-1']);
    expect(Object.keys(s.tier1s!)).toEqual(['The-Tier-1', 't1-avi-dns', 't1-tkgi-mgmt']);
    expect(Object.keys(s.workloads!)).toEqual(['ops-manager', 'bosh-director', 'tkgi-api']);
    expect(s.segments![NODE_SEG]).toBeUndefined();
  });

  it('AKO objects without an avi section: one problem on kubernetes, no runtime', () => {
    const s = copyOf('tkgi-byot.yaml');
    delete s.avi;
    const r = realize(s);
    expect(r.avi).toBeNull();
    expect(r.problems).toEqual([{ path: ['kubernetes'], message: 'AKO needs an avi section (cloud, networks, SE groups)' }]);
    // NCP still realizes the cluster.
    expect(r.scenario.tier1s!['t1-pks-0b7d0725']).toBeDefined();
  });

  it('a loaded (frozen) scenario is realized once: validation’s realization is what the Twin gets', () => {
    const s = loadScenarioFile('scenarios/tkgi-byot.yaml').scenario;
    expect(Object.isFrozen(s)).toBe(true);
    expect(realize(s)).toBe(realize(s));
    // A mutable scenario can change between calls: realized afresh, with the same result.
    const copy = copyOf('tkgi-byot.yaml');
    const a = realize(copy);
    expect(realize(copy)).not.toBe(a);
    expect(realize(copy)).toEqual(a);
  });
});

describe('Avi controller: SE data NICs at scale', () => {
  it('one NIC per data network of a Tier-1 its group serves, in cloud order (generated S: 20 Tier-1s, 8 per group)', () => {
    const s = generateSize('S');
    const r = realize(s);
    expect(r.problems).toEqual([]);
    const served = new Map<string, Set<string>>();
    for (const vs of Object.values(s.avi!.virtualServices!)) {
      if (!served.has(vs.seGroup)) served.set(vs.seGroup, new Set());
      served.get(vs.seGroup)!.add(vs.tier1);
    }
    expect(r.avi!.serviceEngines.length).toBeGreaterThan(2);
    for (const se of r.avi!.serviceEngines) {
      const want = s.avi!.cloud.dataNetworks.filter((dn) => served.get(se.group)!.has(dn.tier1)).map((dn) => `${dn.tier1} ${dn.segment}`);
      expect(se.nics.map((n) => `${n.tier1} ${n.segment}`)).toEqual(want);
      expect(want.length).toBeGreaterThan(0);
    }
  });
});

// ---- NCP (TKGi BYOT) ----------------------------------------------------------------------------

describe('NCP: tkgi-byot.yaml (no NAT)', () => {
  const r = realizeFile('tkgi-byot.yaml');
  const cluster = r.clusters[0];

  it('realizes without problems', () => {
    expect(r.problems).toEqual([]);
    expect(r.clusters.map((c) => c.name)).toEqual(['tkgi-cluster-1']);
  });

  it('creates the centralized Tier-1 t1-pks-<first 8 of the UUID> without NAT rules', () => {
    expect(cluster.tier1).toBe('t1-pks-0b7d0725');
    expect(r.scenario.tier1s!['t1-pks-0b7d0725']).toEqual({
      tier0: 't0-lhr',
      edgeCluster: 'edge-cluster-1',
      haMode: 'ACTIVE_STANDBY',
      advertise: ['TIER1_CONNECTED', 'TIER1_NAT', 'TIER1_LB_VIP', 'TIER1_LB_SNAT'],
    });
  });

  it('creates the node segment and one pod segment per namespace, in namespace order', () => {
    const created = Object.entries(r.scenario.segments!).filter(([n]) => n.startsWith('pks-'));
    expect(created).toEqual([
      [NODE_SEG, { tier1: 't1-pks-0b7d0725', gateway: '10.146.42.1/24' }],
      [`${NODE_SEG}-kube-system`, { tier1: 't1-pks-0b7d0725', gateway: '10.146.128.1/24' }],
      [`${NODE_SEG}-yelb`, { tier1: 't1-pks-0b7d0725', gateway: '10.146.129.1/24' }],
      [`${NODE_SEG}-fruit`, { tier1: 't1-pks-0b7d0725', gateway: '10.146.130.1/24' }],
    ]);
    expect([...cluster.podSubnets!]).toEqual([
      ['kube-system', '10.146.128.0/24'],
      ['yelb', '10.146.129.0/24'],
      ['fruit', '10.146.130.0/24'],
    ]);
  });

  it('allocates the workers .11 upwards on the node segment (role K8S_NODE)', () => {
    expect([...cluster.nodeIps].map(([n, ip]) => `${n}=${formatIp(ip)}`)).toEqual([
      'tkgi-cluster-1-worker-1=10.146.42.11',
      'tkgi-cluster-1-worker-2=10.146.42.12',
      'tkgi-cluster-1-worker-3=10.146.42.13',
    ]);
    expect(cluster.workers).toEqual(['tkgi-cluster-1-worker-1', 'tkgi-cluster-1-worker-2', 'tkgi-cluster-1-worker-3']);
    expect(r.scenario.workloads!['tkgi-cluster-1-worker-2']).toEqual({ host: 'esx-02', segment: NODE_SEG, ip: '10.146.42.12', role: 'K8S_NODE' });
  });

  it('allocates pods .2 upwards per namespace in declaration order, as POD workloads on their node’s host', () => {
    const pods = Object.entries(r.scenario.workloads!)
      .filter(([, w]) => w.role === 'POD')
      .map(([n, w]) => `${n} ${w.host} ${w.segment} ${w.ip}`);
    expect(pods).toEqual([
      `kube-system/coredns-0 esx-01 ${NODE_SEG}-kube-system 10.146.128.2`,
      `yelb/redis-server-0 esx-01 ${NODE_SEG}-yelb 10.146.129.2`,
      `yelb/yelb-db-0 esx-02 ${NODE_SEG}-yelb 10.146.129.3`,
      `yelb/yelb-appserver-0 esx-03 ${NODE_SEG}-yelb 10.146.129.4`,
      `yelb/yelb-ui-0 esx-02 ${NODE_SEG}-yelb 10.146.129.5`,
      `fruit/apple-app esx-01 ${NODE_SEG}-fruit 10.146.130.2`,
      `fruit/banana-app esx-03 ${NODE_SEG}-fruit 10.146.130.3`,
    ]);
    expect(cluster.pods.find((p) => p.name === 'yelb-ui-0')).toEqual({
      namespace: 'yelb',
      index: 3,
      name: 'yelb-ui-0',
      labels: { app: 'yelb-ui' },
      ip: 0x0a928105, // 10.146.129.5
      node: 'tkgi-cluster-1-worker-2',
      nodeIp: 0x0a922a0c, // 10.146.42.12
      nplPort: 61001,
    });
  });

  it('marks nothing failed', () => {
    expect(r.scenario.failed).toBeUndefined();
  });
});

describe('NCP: tkgi-byot-nat.yaml (NAT)', () => {
  const r = realizeFile('tkgi-byot-nat.yaml');
  const t1 = r.scenario.tier1s!['t1-pks-0b7d0725'];

  it('SNATs each pod subnet to the next floating IP, sequence 1024 upwards', () => {
    expect(r.problems).toEqual([]);
    expect(t1.nat).toEqual([
      { name: `${NODE_SEG}-kube-system-snat`, action: 'SNAT', source: '10.146.128.0/24', translated: '10.146.110.1', sequence: 1024 },
      { name: `${NODE_SEG}-yelb-snat`, action: 'SNAT', source: '10.146.129.0/24', translated: '10.146.110.2', sequence: 1025 },
      { name: `${NODE_SEG}-fruit-snat`, action: 'SNAT', source: '10.146.130.0/24', translated: '10.146.110.3', sequence: 1026 },
    ]);
    expect(t1.services).toEqual(['NAT']);
  });

  it('denies advertisement of the pod block as TIER1_CONNECTED', () => {
    expect(t1.advertisementRules).toEqual([{ name: 'ncp-no-advertise-pod-block', action: 'DENY', subnets: ['10.146.128.0/17'], types: ['TIER1_CONNECTED'] }]);
    expect(t1.advertise).toEqual(['TIER1_CONNECTED', 'TIER1_NAT', 'TIER1_LB_VIP', 'TIER1_LB_SNAT']);
  });

  it('pods keep their pod-subnet addresses (NAT happens on the Tier-1)', () => {
    expect(r.scenario.workloads!['yelb/yelb-ui-0'].ip).toBe('10.146.129.5');
  });
});

describe('NCP: variants', () => {
  it('a failed node puts its pods in the realized failed list; their pool members go down', () => {
    const r = realizeVariant('tkgi-byot.yaml', 'failed: [tkgi-cluster-1-worker-2]\n');
    expect(r.problems).toEqual([]);
    expect(r.scenario.failed).toEqual(['tkgi-cluster-1-worker-2', 'yelb/yelb-db-0', 'yelb/yelb-ui-0']);
    expect(membersOf(r, 'tkgi-cluster-1--yelb-yelb-ui-TCP-80')).toEqual(['10.146.129.5:80 down']);
    const ui = vsOf(r, 'tkgi-cluster-1--yelb-yelb-ui');
    expect([ui.state, ui.reason]).toEqual(['DOWN', 'no pool member is enabled and up']);
    // The route is still injected: the SEs are up.
    expect(ui.route).toEqual({ prefix: '10.146.102.100/32', nextHops: ['10.146.50.11', '10.146.50.12'], type: 'LB_VIP' });
    expect(vsOf(r, 'tkgi-cluster-1--Shared-L7-0').state).toBe('UP');
  });

  it('podSubnetLength carves smaller pod subnets; an explicit tier1 name is used as is', () => {
    const r = realizeVariant('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ncp: { podSubnetLength: 26, tier1: t1-cluster-1 }\n');
    expect(r.problems).toEqual([]);
    expect(r.clusters[0].tier1).toBe('t1-cluster-1');
    expect(r.scenario.tier1s!['t1-pks-0b7d0725']).toBeUndefined();
    expect([...r.clusters[0].podSubnets!.values()]).toEqual(['10.146.128.0/26', '10.146.128.64/26', '10.146.128.128/26']);
    expect(r.scenario.segments![`${NODE_SEG}-fruit`]).toEqual({ tier1: 't1-cluster-1', gateway: '10.146.128.129/26' });
    expect(r.scenario.workloads!['fruit/banana-app'].ip).toBe('10.146.128.131');
  });

  it('a pod IP block too small for the namespaces is a problem on ncp.podIpBlock', () => {
    const errors = loadErrors('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ncp: { podIpBlock: 10.146.128.0/23 }\n');
    expect(errors).toContain('variant.yaml: kubernetes.tkgi-cluster-1.ncp.podIpBlock: 10.146.128.0/23 holds 2 /24 pod subnets; 3 namespaces need one each (line 4)');
  });

  it('a given node address outside the node subnet is a problem on the node', () => {
    const errors = loadErrors('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    nodes:\n      tkgi-cluster-1-worker-1: { host: esx-01, ip: 10.146.43.11 }\n');
    expect(errors).toContain('variant.yaml: kubernetes.tkgi-cluster-1.nodes.tkgi-cluster-1-worker-1.ip: 10.146.43.11 is outside the node subnet 10.146.42.0/24 (line 5)');
  });

  it('a pod on an unknown node is a problem on the pod’s node', () => {
    const errors = loadErrors('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    pods:\n      fruit:\n        - { name: apple-app, node: tkgi-cluster-1-worker-9, labels: { app: apple } }\n');
    expect(errors).toEqual(['variant.yaml: kubernetes.tkgi-cluster-1.pods.fruit[0].node: no node named "tkgi-cluster-1-worker-9" in cluster \"tkgi-cluster-1\" (line 6)']);
  });
});

// ---- Antrea -------------------------------------------------------------------------------------

describe('Antrea: tkgi-antrea.yaml', () => {
  const r = realizeFile('tkgi-antrea.yaml');
  const cluster = r.clusters[0];

  it('puts every node (control plane and workers) on the existing node segment as K8S_NODE, creates no Tier-1 or segment', () => {
    expect(r.problems).toEqual([]);
    const nodes = Object.entries(r.scenario.workloads!)
      .filter(([, w]) => w.role === 'K8S_NODE')
      .map(([n, w]) => `${n} ${w.host} ${w.segment} ${w.ip}`);
    expect(nodes).toEqual([
      'tkgi-antrea-cp-1 esx-01 ls-tkgi-service-network 10.146.41.2',
      'tkgi-antrea-cp-2 esx-02 ls-tkgi-service-network 10.146.41.3',
      'tkgi-antrea-cp-3 esx-03 ls-tkgi-service-network 10.146.41.4',
      'tkgi-antrea-worker-1 esx-01 ls-tkgi-service-network 10.146.41.11',
      'tkgi-antrea-worker-2 esx-02 ls-tkgi-service-network 10.146.41.12',
      'tkgi-antrea-worker-3 esx-03 ls-tkgi-service-network 10.146.41.13',
    ]);
    expect(Object.keys(r.scenario.tier1s!)).toEqual(['The-Tier-1', 't1-avi-dns', 't1-tkgi-mgmt']);
    expect(Object.keys(r.scenario.segments!)).toEqual(Object.keys(loadScenarioFile('scenarios/tkgi-antrea.yaml').scenario.segments!));
    expect(cluster.tier1).toBeUndefined();
  });

  it('creates no pod workloads; pods have no address', () => {
    expect(Object.values(r.scenario.workloads!).filter((w) => w.role === 'POD')).toEqual([]);
    expect(cluster.pods.map((p) => p.ip)).toEqual([null, null, null, null, null, null]);
  });

  it('workers exclude control-plane nodes', () => {
    expect(cluster.workers).toEqual(['tkgi-antrea-worker-1', 'tkgi-antrea-worker-2', 'tkgi-antrea-worker-3']);
  });

  it('NodePortLocal ports count 61000 upwards per node across namespaces, in declaration order', () => {
    expect(cluster.pods.map((p) => `${p.namespace}/${p.name} ${formatIp(p.nodeIp)}:${p.nplPort}`)).toEqual([
      'yelb/redis-server-0 10.146.41.11:61000',
      'yelb/yelb-db-0 10.146.41.12:61000',
      'yelb/yelb-appserver-0 10.146.41.13:61000',
      'yelb/yelb-ui-0 10.146.41.12:61001',
      'fruit/apple-app 10.146.41.11:61001',
      'fruit/banana-app 10.146.41.13:61001',
    ]);
  });

  it('NodePortLocal pool members are node IP : NPL port of each endpoint', () => {
    expect(membersOf(r, 'tkgi-cluster-1-antrea--yelb-yelb-ui-TCP-80')).toEqual(['10.146.41.12:61001']);
    expect(membersOf(r, `tkgi-cluster-1-antrea--${HOST}_apple-fruit-ingress-example-apple-service`)).toEqual(['10.146.41.11:61001']);
    expect(membersOf(r, `tkgi-cluster-1-antrea--${HOST}_banana-fruit-ingress-example-banana-service`)).toEqual(['10.146.41.13:61001']);
  });

  it('a failed node takes its NPL members down (no pod workloads to fail)', () => {
    const f = realizeVariant('tkgi-antrea.yaml', 'failed: [tkgi-antrea-worker-2]\n');
    expect(f.scenario.failed).toEqual(['tkgi-antrea-worker-2']);
    expect(membersOf(f, 'tkgi-cluster-1-antrea--yelb-yelb-ui-TCP-80')).toEqual(['10.146.41.12:61001 down']);
    expect(vsOf(f, 'tkgi-cluster-1-antrea--yelb-yelb-ui').state).toBe('DOWN');
  });

  it('missing nodeSegment and node ip are problems on the cluster and the node', () => {
    const s = copyOf('tkgi-antrea.yaml');
    delete s.kubernetes!['tkgi-cluster-1-antrea'].nodeSegment;
    delete s.kubernetes!['tkgi-cluster-1-antrea'].nodes['tkgi-antrea-worker-3'].ip;
    expect(realize(s).problems).toEqual([
      { path: ['kubernetes', 'tkgi-cluster-1-antrea'], message: 'an Antrea cluster needs nodeSegment (the NSX segment its nodes sit on)' },
      { path: ['kubernetes', 'tkgi-cluster-1-antrea', 'nodes', 'tkgi-antrea-worker-3'], message: 'an Antrea node needs ip (nodes sit on an existing segment)' },
    ]);
  });

  it('an unknown nodeSegment is a problem on nodeSegment', () => {
    expect(loadErrors('tkgi-antrea.yaml', 'kubernetes:\n  tkgi-cluster-1-antrea:\n    nodeSegment: nope\n')).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1-antrea.nodeSegment: no segment named "nope" (line 4)',
    ]);
  });
});

// ---- AKO ----------------------------------------------------------------------------------------

describe('AKO: FNV-1a shards', () => {
  it('fnv1a32 matches the FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('shardOf(host, N) = fnv1a32(host) & (N − 1)', () => {
    for (const host of [HOST, 'x.example.com', 'a', '']) {
      expect(shardOf(host, 8)).toBe(fnv1a32(host) & 7);
      expect(shardOf(host, 4)).toBe(fnv1a32(host) & 3);
      expect(shardOf(host, 1)).toBe(0);
    }
    expect(shardOf(HOST, 8)).toBe(1);
    expect(shardOf('x.example.com', 8)).toBe(4);
  });
});

describe('AKO: tkgi-byot.yaml (ClusterIP, autoFQDN default, shardVSSize SMALL)', () => {
  const r = realizeFile('tkgi-byot.yaml');

  it('creates one L4 VS per LoadBalancer Service and one shared L7 parent, in that order', () => {
    expect(r.avi!.virtualServices.map((v) => `${v.name} ${formatIp(v.vip)} ${v.createdFor}`)).toEqual([
      'dns-service-1 10.146.100.53 null',
      'tkgi-cluster-1--yelb-yelb-ui 10.146.102.100 tkgi-cluster-1: Service yelb/yelb-ui',
      'tkgi-cluster-1--Shared-L7-0 10.146.102.101 tkgi-cluster-1: Ingress fruit/ingress-example',
    ]);
  });

  it('L4: VS <cluster>--<ns>-<svc> on nsxtT1LR / seGroup, pool <vs>-TCP-<port> with pod ip:targetPort', () => {
    const ui = vsOf(r, 'tkgi-cluster-1--yelb-yelb-ui');
    expect([ui.tier1, ui.seGroup]).toEqual(['The-Tier-1', 'se-group-generic']);
    expect(ui.services).toEqual([{ port: 80, protocol: 'TCP', pool: 'tkgi-cluster-1--yelb-yelb-ui-TCP-80' }]);
    expect(ui.fqdns).toEqual(['yelb-ui.yelb.this-is-a.domain.net']);
    expect(membersOf(r, 'tkgi-cluster-1--yelb-yelb-ui-TCP-80')).toEqual(['10.146.129.5:80']);
  });

  it('ClusterIP Services are not published', () => {
    expect(r.avi!.virtualServices.some((v) => v.name.includes('redis'))).toBe(false);
    expect([...r.avi!.pools.keys()]).toEqual(['tkgi-cluster-1--yelb-yelb-ui-TCP-80', APPLE_POOL, BANANA_POOL]);
  });

  it('L7: shared parent on 80/443 with host/path routes to <cluster>--<host>_<path>-<ns>-<ingress>-<svc> pools', () => {
    const l7 = vsOf(r, 'tkgi-cluster-1--Shared-L7-0');
    expect(l7.services).toEqual([
      { port: 80, protocol: 'TCP', pool: null },
      { port: 443, protocol: 'TCP', pool: null },
    ]);
    expect(l7.httpRoutes).toEqual([
      { host: HOST, path: '/apple', pool: APPLE_POOL },
      { host: HOST, path: '/banana', pool: BANANA_POOL },
    ]);
    expect(l7.fqdns).toEqual([HOST]);
    expect(membersOf(r, APPLE_POOL)).toEqual(['10.146.130.2:5678']);
    expect(membersOf(r, BANANA_POOL)).toEqual(['10.146.130.3:5678']);
  });
});

describe('AKO: options', () => {
  it('autoFQDN flat: <svc>-<ns>.<domain>; shardVSSize DEDICATED: <cluster>--<host>-L7-dedicated', () => {
    const r = realizeVariant('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ako: { shardVSSize: DEDICATED, autoFQDN: flat }\n');
    expect(r.problems).toEqual([]);
    expect(vsOf(r, 'tkgi-cluster-1--yelb-yelb-ui').fqdns).toEqual(['yelb-ui-yelb.this-is-a.domain.net']);
    const l7 = vsOf(r, `tkgi-cluster-1--${HOST}-L7-dedicated`);
    expect(l7.fqdns).toEqual([HOST]);
    expect(formatIp(l7.vip)).toBe('10.146.102.101');
    expect(r.avi!.virtualServices.some((v) => v.name.includes('Shared-L7'))).toBe(false);
  });

  it('autoFQDN disabled: no FQDN for L4 Services (Ingress hosts are still registered)', () => {
    const r = realizeVariant('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ako: { autoFQDN: disabled }\n');
    expect(vsOf(r, 'tkgi-cluster-1--yelb-yelb-ui').fqdns).toEqual([]);
    expect(dnsOf(r)).toEqual([`${HOST} 10.146.102.101 tkgi-cluster-1--Shared-L7-0`]);
  });

  it('defaultDomain overrides avi.dnsDomains; no domain at all means no L4 FQDN', () => {
    const own = realizeVariant('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ako: { defaultDomain: apps.example.com }\n');
    expect(vsOf(own, 'tkgi-cluster-1--yelb-yelb-ui').fqdns).toEqual(['yelb-ui.yelb.apps.example.com']);
    const none = realizeVariant('tkgi-byot.yaml', 'avi:\n  dnsDomains: null\n');
    expect(vsOf(none, 'tkgi-cluster-1--yelb-yelb-ui').fqdns).toEqual([]);
  });

  it('shardVSSize LARGE: parent Shared-L7-<fnv1a32(host) & 7>, one parent per shard; path "/" becomes "_"', () => {
    const r = realizeVariant(
      'tkgi-byot.yaml',
      `kubernetes:
  tkgi-cluster-1:
    ako: { shardVSSize: LARGE }
    ingresses:
      fruit/ingress-example:
        rules:
          - host: ${HOST}
            paths:
              - { service: apple-service, port: 5678 }
          - host: x.example.com
            paths:
              - { path: /b, service: banana-service, port: 5678 }
`,
    );
    expect(r.problems).toEqual([]);
    expect(r.avi!.virtualServices.map((v) => `${v.name} ${formatIp(v.vip)}`)).toEqual([
      'dns-service-1 10.146.100.53',
      'tkgi-cluster-1--yelb-yelb-ui 10.146.102.100',
      `tkgi-cluster-1--Shared-L7-${shardOf(HOST, 8)} 10.146.102.101`,
      `tkgi-cluster-1--Shared-L7-${shardOf('x.example.com', 8)} 10.146.102.102`,
    ]);
    expect(vsOf(r, 'tkgi-cluster-1--Shared-L7-1').httpRoutes).toEqual([{ host: HOST, path: '/', pool: `tkgi-cluster-1--${HOST}_-fruit-ingress-example-apple-service` }]);
    expect(vsOf(r, 'tkgi-cluster-1--Shared-L7-4').httpRoutes).toEqual([{ host: 'x.example.com', path: '/b', pool: 'tkgi-cluster-1--x.example.com_b-fruit-ingress-example-banana-service' }]);
  });

  it('shardVSSize MEDIUM: Shared-L7-<fnv1a32(host) & 3>', () => {
    const r = realizeVariant('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ako: { shardVSSize: MEDIUM }\n');
    expect(vsOf(r, `tkgi-cluster-1--Shared-L7-${fnv1a32(HOST) & 3}`).httpRoutes.map((h) => h.path)).toEqual(['/apple', '/banana']);
  });

  it('one pool per Service port (<vs>-<protocol>-<port>, member port = targetPort); loadBalancerIP is a fixed VIP reserved first', () => {
    const r = realizeVariant(
      'tkgi-byot.yaml',
      `kubernetes:
  tkgi-cluster-1:
    services:
      yelb/yelb-ui:
        loadBalancerIP: 10.146.102.101
        ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443, protocol: UDP }]
`,
    );
    expect(r.problems).toEqual([]);
    const ui = vsOf(r, 'tkgi-cluster-1--yelb-yelb-ui');
    expect(formatIp(ui.vip)).toBe('10.146.102.101');
    expect(ui.services).toEqual([
      { port: 80, protocol: 'TCP', pool: 'tkgi-cluster-1--yelb-yelb-ui-TCP-80' },
      { port: 443, protocol: 'UDP', pool: 'tkgi-cluster-1--yelb-yelb-ui-UDP-443' },
    ]);
    expect(membersOf(r, 'tkgi-cluster-1--yelb-yelb-ui-TCP-80')).toEqual(['10.146.129.5:8080']);
    expect(membersOf(r, 'tkgi-cluster-1--yelb-yelb-ui-UDP-443')).toEqual(['10.146.129.5:8443']);
    // The Ingress parent, declared later, gets the lowest free address: .100.
    expect(formatIp(vsOf(r, 'tkgi-cluster-1--Shared-L7-0').vip)).toBe('10.146.102.100');
  });

  it('serviceType NodePort (NCP): every worker ip:nodePort', () => {
    const r = realizeVariant(
      'tkgi-byot.yaml',
      `kubernetes:
  tkgi-cluster-1:
    ako: { serviceType: NodePort }
    services:
      fruit/apple-service: { selector: { app: apple }, ports: [{ port: 5678, nodePort: 30001 }] }
      fruit/banana-service: { selector: { app: banana }, ports: [{ port: 5678, nodePort: 30002 }] }
`,
    );
    expect(r.problems).toEqual([]);
    expect(membersOf(r, 'tkgi-cluster-1--yelb-yelb-ui-TCP-80')).toEqual(['10.146.42.11:30400', '10.146.42.12:30400', '10.146.42.13:30400']);
    expect(membersOf(r, APPLE_POOL)).toEqual(['10.146.42.11:30001', '10.146.42.12:30001', '10.146.42.13:30001']);
    expect(membersOf(r, BANANA_POOL)).toEqual(['10.146.42.11:30002', '10.146.42.12:30002', '10.146.42.13:30002']);
  });

  it('serviceType NodePort (Antrea): control-plane nodes are not members', () => {
    const r = realizeVariant(
      'tkgi-antrea.yaml',
      `kubernetes:
  tkgi-cluster-1-antrea:
    ako: { serviceType: NodePort }
    services:
      fruit/apple-service: { selector: { app: apple }, ports: [{ port: 5678, nodePort: 30001 }] }
      fruit/banana-service: { selector: { app: banana }, ports: [{ port: 5678, nodePort: 30002 }] }
`,
    );
    expect(r.problems).toEqual([]);
    expect(membersOf(r, 'tkgi-cluster-1-antrea--yelb-yelb-ui-TCP-80')).toEqual(['10.146.41.11:32498', '10.146.41.12:32498', '10.146.41.13:32498']);
  });

  it('ClusterIP with an Antrea pod that has an address: pod ip:port', () => {
    const r = realizeVariant(
      'tkgi-antrea.yaml',
      `kubernetes:
  tkgi-cluster-1-antrea:
    ako: { serviceType: ClusterIP }
    pods:
      yelb:
        - { name: yelb-ui-0, node: tkgi-antrea-worker-2, labels: { app: yelb-ui }, ip: 10.244.1.5 }
    ingresses: null
`,
    );
    expect(r.problems).toEqual([]);
    expect(membersOf(r, 'tkgi-cluster-1-antrea--yelb-yelb-ui-TCP-80')).toEqual(['10.244.1.5:80']);
  });
});

describe('AKO: problems reported by validation', () => {
  it('NodePortLocal with cniPlugin ncp', () => {
    expect(loadErrors('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ako: { serviceType: NodePortLocal }\n')).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1.ako.serviceType: NodePortLocal needs the Antrea CNI (cniPlugin: antrea) (line 4)',
    ]);
  });

  it('NodePort on a Service port without nodePort (per Ingress path)', () => {
    expect(loadErrors('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ako: { serviceType: NodePort }\n')).toEqual([
      'tkgi-byot.yaml: kubernetes.tkgi-cluster-1.ingresses["fruit/ingress-example"].rules[0].paths[0]: serviceType NodePort needs a nodePort on port 5678 (line 57)',
      'tkgi-byot.yaml: kubernetes.tkgi-cluster-1.ingresses["fruit/ingress-example"].rules[0].paths[1]: serviceType NodePort needs a nodePort on port 5678 (line 58)',
    ]);
  });

  it('an Ingress naming a missing Service', () => {
    const errors = loadErrors(
      'tkgi-byot.yaml',
      `kubernetes:
  tkgi-cluster-1:
    ingresses:
      fruit/ingress-example:
        rules:
          - host: ${HOST}
            paths:
              - { path: /cherry, service: cherry-service, port: 5678 }
`,
    );
    expect(errors).toEqual(['variant.yaml: kubernetes.tkgi-cluster-1.ingresses["fruit/ingress-example"].rules[0].paths[0].service: no Service "fruit/cherry-service" in cluster \"tkgi-cluster-1\" (line 9)']);
  });

  it('an Ingress path on a port the Service does not have', () => {
    const errors = loadErrors(
      'tkgi-byot.yaml',
      'kubernetes:\n  tkgi-cluster-1:\n    ingresses:\n      fruit/ingress-example:\n        rules:\n          - host: a.b\n            paths:\n              - { service: apple-service, port: 80 }\n',
    );
    expect(errors).toEqual(['variant.yaml: kubernetes.tkgi-cluster-1.ingresses["fruit/ingress-example"].rules[0].paths[0]: the Service has no port 80 (line 9)']);
  });

  it('ClusterIP with Antrea pods that have no address: one problem per endpoint', () => {
    const hint = 'has no address NSX can reach (Antrea pods are invisible to NSX): use serviceType NodePortLocal or NodePort';
    expect(loadErrors('tkgi-antrea.yaml', 'kubernetes:\n  tkgi-cluster-1-antrea:\n    ako: { serviceType: ClusterIP }\n')).toEqual([
      `tkgi-antrea.yaml: kubernetes.tkgi-cluster-1-antrea.services["yelb/yelb-ui"]: pod "yelb/yelb-ui-0" ${hint} (line 60)`,
      `tkgi-antrea.yaml: kubernetes.tkgi-cluster-1-antrea.ingresses["fruit/ingress-example"].rules[0].paths[0]: pod "fruit/apple-app" ${hint} (line 70)`,
      `tkgi-antrea.yaml: kubernetes.tkgi-cluster-1-antrea.ingresses["fruit/ingress-example"].rules[0].paths[1]: pod "fruit/banana-app" ${hint} (line 71)`,
    ]);
  });

  it('problems carry the invalid-value code', () => {
    try {
      variant('tkgi-byot.yaml', 'kubernetes:\n  tkgi-cluster-1:\n    ako: { serviceType: NodePortLocal }\n');
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).problems.map((p) => [p.file, p.path, p.code, p.line])).toEqual([['variant.yaml', 'kubernetes.tkgi-cluster-1.ako.serviceType', 'invalid-value', 4]]);
    }
  });
});

// ---- Avi controller -----------------------------------------------------------------------------

describe('Avi controller: SE data addresses', () => {
  const r = realizeFile('avi/n-plus-m.yaml');

  it('fixed ips where given, else allocated from the SE range in SE group / SE order', () => {
    expect(r.problems).toEqual([]);
    expect(r.avi!.serviceEngines.map((s) => `${s.name} ${s.group} ${s.host} ${seNics(r, s.name).join(', ')}`)).toEqual([
      'se-generic-01 se-group-generic esx-01 se-generic-01 avi-se-generic-data 10.146.50.11',
      'se-generic-02 se-group-generic esx-02 se-generic-02 avi-se-generic-data 10.146.50.12',
      'se-dns-01 se-dns-group esx-03 se-dns-01 avi-se-dns-data 10.146.51.11',
      'se-nm-01 se-group-nm esx-01 se-nm-01 avi-se-generic-data 10.146.50.13',
      'se-nm-02 se-group-nm esx-02 se-nm-02 avi-se-generic-data 10.146.50.14',
      'se-nm-03 se-group-nm esx-03 se-nm-03 avi-se-generic-data 10.146.50.15',
      'se-as-01 se-group-legacy esx-02 se-as-01 avi-se-generic-data 10.146.50.16',
      'se-as-02 se-group-legacy esx-03 se-as-02 avi-se-generic-data 10.146.50.17',
    ]);
    expect(r.scenario.workloads!['se-nm-01']).toEqual({ host: 'esx-01', segment: 'avi-se-generic-data', ip: '10.146.50.13', role: 'SERVICE_ENGINE' });
  });

  it('allocation skips addresses already used by workloads', () => {
    const v = realizeVariant('n-plus-m.yaml', 'workloads:\n  squatter: { host: esx-01, segment: avi-se-generic-data, ip: 10.146.50.13 }\n');
    expect(v.problems).toEqual([]);
    expect(seNics(v, 'se-nm-01')).toEqual(['se-nm-01 avi-se-generic-data 10.146.50.14']);
    expect(seNics(v, 'se-as-02')).toEqual(['se-as-02 avi-se-generic-data 10.146.50.18']);
  });

  it('one data NIC per Tier-1 the group serves (<se>/<segment> after the first) and a management NIC <se>/mgmt; a failed SE fails all its NICs', () => {
    const v = realizeVariant(
      'n-plus-m.yaml',
      `failed: [se-nm-01]
avi:
  cloud: { managementSegment: ls-tkgi-mgmt }
  networks:
    mgmt: { segment: ls-tkgi-mgmt, ranges: [{ from: 10.146.40.100, to: 10.146.40.120 }] }
  virtualServices:
    app-dns: { tier1: t1-avi-dns, seGroup: se-group-nm, vip: { network: vip-apps }, services: [{ port: 443 }], pool: mgmt-api }
`,
    );
    expect(v.problems).toEqual([]);
    expect(seNics(v, 'se-generic-01')).toEqual(['se-generic-01 avi-se-generic-data 10.146.50.11', 'se-generic-01/mgmt ls-tkgi-mgmt 10.146.40.100']);
    expect(seNics(v, 'se-nm-01')).toEqual([
      'se-nm-01 avi-se-generic-data 10.146.50.13',
      'se-nm-01/avi-se-dns-data avi-se-dns-data 10.146.51.12',
      'se-nm-01/mgmt ls-tkgi-mgmt 10.146.40.103',
    ]);
    expect(seOf(v, 'se-nm-01').nics.map((n) => n.tier1)).toEqual(['The-Tier-1', 't1-avi-dns', null]);
    expect(v.scenario.failed).toEqual(['se-nm-01', 'se-nm-01/avi-se-dns-data', 'se-nm-01/mgmt']);
    // app-dns runs on se-nm-02 (se-nm-01 is down), on its t1-avi-dns NIC.
    const dnsApp = vsOf(v, 'app-dns');
    expect(dnsApp.serviceEngines).toEqual(['se-nm-02']);
    expect(dnsApp.nics).toEqual(['se-nm-02/avi-se-dns-data']);
    expect(dnsApp.route).toEqual({ prefix: '10.146.103.13/32', nextHops: ['10.146.51.13'], type: 'LB_VIP' });
  });

  it('a management segment without an SE range or fixed ips is a problem per SE', () => {
    const errors = loadErrors('n-plus-m.yaml', 'avi:\n  cloud: { managementSegment: ls-tkgi-mgmt }\n');
    const msg = 'needs an address on "ls-tkgi-mgmt": give one in ips, or an avi network with segment "ls-tkgi-mgmt" and an SE range';
    expect(errors).toEqual([
      `../reference-lab.yaml: avi.seGroups.se-group-generic.serviceEngines.se-generic-01: ${msg} (line 105)`,
      `../reference-lab.yaml: avi.seGroups.se-group-generic.serviceEngines.se-generic-02: ${msg} (line 106)`,
      `../reference-lab.yaml: avi.seGroups.se-dns-group.serviceEngines.se-dns-01: ${msg} (line 110)`,
      `n-plus-m.yaml: avi.seGroups.se-group-nm.serviceEngines.se-nm-01: ${msg} (line 20)`,
      `n-plus-m.yaml: avi.seGroups.se-group-nm.serviceEngines.se-nm-02: ${msg} (line 21)`,
      `n-plus-m.yaml: avi.seGroups.se-group-nm.serviceEngines.se-nm-03: ${msg} (line 22)`,
      `n-plus-m.yaml: avi.seGroups.se-group-legacy.serviceEngines.se-as-01: ${msg} (line 26)`,
      `n-plus-m.yaml: avi.seGroups.se-group-legacy.serviceEngines.se-as-02: ${msg} (line 27)`,
    ]);
  });
});

describe('Avi controller: VIP allocation', () => {
  it('lowest free address of the VIP range, in declaration order', () => {
    const r = realizeFile('avi/n-plus-m.yaml');
    expect(r.avi!.virtualServices.map((v) => `${v.name} ${formatIp(v.vip)}`)).toEqual(['dns-service-1 10.146.100.53', 'app-a 10.146.103.10', 'app-b 10.146.103.11', 'app-legacy 10.146.103.12']);
  });

  it('fixed addresses are reserved before anything is allocated', () => {
    const r = realizeVariant('n-plus-m.yaml', 'avi:\n  virtualServices:\n    app-fixed: { tier1: The-Tier-1, seGroup: se-group-nm, vip: { address: 10.146.103.10 }, services: [{ port: 80 }], pool: mgmt-api }\n');
    expect(r.problems).toEqual([]);
    expect(r.avi!.virtualServices.map((v) => `${v.name} ${formatIp(v.vip)}`)).toEqual([
      'dns-service-1 10.146.100.53',
      'app-a 10.146.103.11',
      'app-b 10.146.103.12',
      'app-legacy 10.146.103.13',
      'app-fixed 10.146.103.10',
    ]);
  });

  it('an exhausted range is a problem on the VS’s vip.network', () => {
    expect(loadErrors('n-plus-m.yaml', 'avi:\n  networks:\n    vip-apps: { ranges: [{ from: 10.146.103.10, to: 10.146.103.11, type: VIP }] }\n')).toEqual([
      'n-plus-m.yaml: avi.virtualServices.app-legacy.vip.network: no free VIP address left in network \"vip-apps\" (line 48)',
    ]);
  });

  it('the Antrea lab skips .101 (not in its ranges): ingress parent on .102', () => {
    const r = realizeFile('tkgi-antrea.yaml');
    expect(r.avi!.virtualServices.map((v) => `${v.name} ${formatIp(v.vip)}`)).toEqual([
      'dns-service-1 10.146.100.53',
      'tkgi-cluster-1-antrea-api 10.146.101.10',
      'tkgi-cluster-1-antrea--yelb-yelb-ui 10.146.102.100',
      'tkgi-cluster-1-antrea--Shared-L7-0 10.146.102.102',
    ]);
  });
});

describe('Avi controller: placement and VIP routes', () => {
  it('HA_MODE_SHARED_PAIR: two SEs, one next hop per SE data IP, type LB_VIP', () => {
    const r = realizeFile('tkgi-byot.yaml');
    const ui = vsOf(r, 'tkgi-cluster-1--yelb-yelb-ui');
    expect([ui.haMode, ui.state, ui.reason]).toEqual(['HA_MODE_SHARED_PAIR', 'UP', '']);
    expect(ui.serviceEngines).toEqual(['se-generic-01', 'se-generic-02']);
    expect(ui.nics).toEqual(['se-generic-01', 'se-generic-02']);
    expect(ui.route).toEqual({ prefix: '10.146.102.100/32', nextHops: ['10.146.50.11', '10.146.50.12'], type: 'LB_VIP' });
    expect(ui.arpOwner).toBeNull();
    expect(seOf(r, 'se-generic-01').virtualServices).toEqual(['tkgi-cluster-1--yelb-yelb-ui', 'tkgi-cluster-1--Shared-L7-0']);
    const dns = vsOf(r, 'dns-service-1');
    expect(dns.services).toEqual([{ port: 53, protocol: 'UDP', pool: null }]);
    expect(dns.route).toEqual({ prefix: '10.146.100.53/32', nextHops: ['10.146.51.11'], type: 'LB_VIP' });
  });

  it('HA_MODE_SHARED_PAIR with one SE down (failed host): placed on 1 of 2, one next hop', () => {
    const r = realizeVariant('tkgi-byot.yaml', 'failed: [esx-02]\n');
    expect(seOf(r, 'se-generic-02').down).toBe(true);
    const l7 = vsOf(r, 'tkgi-cluster-1--Shared-L7-0');
    expect([l7.state, l7.reason]).toEqual(['UP', 'placed on 1 of 2 SEs (the others are down or full)']);
    expect(l7.route).toEqual({ prefix: '10.146.102.101/32', nextHops: ['10.146.50.11'], type: 'LB_VIP' });
    // yelb-ui-0 runs on worker-2 on esx-02: its only member is down.
    expect(membersOf(r, 'tkgi-cluster-1--yelb-yelb-ui-TCP-80')).toEqual(['10.146.129.5:80 down']);
    expect(vsOf(r, 'tkgi-cluster-1--yelb-yelb-ui').state).toBe('DOWN');
  });

  it('HA_MODE_SHARED packed: both VSes on the first SE; legacy A/S: active + standby, only the active is a next hop', () => {
    const r = realizeFile('avi/n-plus-m.yaml');
    for (const name of ['app-a', 'app-b']) {
      const v = vsOf(r, name);
      expect([v.serviceEngines, v.standby]).toEqual([['se-nm-01'], []]);
    }
    expect(vsOf(r, 'app-a').route).toEqual({ prefix: '10.146.103.10/32', nextHops: ['10.146.50.13'], type: 'LB_VIP' });
    expect(vsOf(r, 'app-b').route).toEqual({ prefix: '10.146.103.11/32', nextHops: ['10.146.50.13'], type: 'LB_VIP' });
    expect(seOf(r, 'se-nm-01').virtualServices).toEqual(['app-a', 'app-b']);
    expect(seOf(r, 'se-nm-02').virtualServices).toEqual([]);
    const legacy = vsOf(r, 'app-legacy');
    expect([legacy.haMode, legacy.serviceEngines, legacy.standby]).toEqual(['HA_MODE_LEGACY_ACTIVE_STANDBY', ['se-as-01'], ['se-as-02']]);
    expect(legacy.route).toEqual({ prefix: '10.146.103.12/32', nextHops: ['10.146.50.16'], type: 'LB_VIP' });
    expect(seOf(r, 'se-as-02').virtualServices).toEqual(['app-legacy']);
  });

  it('failed se-nm-01 / se-as-01: re-placed on the next SE, the standby takes over, routes follow', () => {
    const r = realizeVariant('n-plus-m.yaml', 'failed: [se-nm-01, se-as-01]\n');
    expect(r.problems).toEqual([]);
    expect(seOf(r, 'se-nm-01').down).toBe(true);
    expect(vsOf(r, 'app-a').serviceEngines).toEqual(['se-nm-02']);
    expect(vsOf(r, 'app-b').serviceEngines).toEqual(['se-nm-02']);
    expect(vsOf(r, 'app-a').route!.nextHops).toEqual(['10.146.50.14']);
    expect(vsOf(r, 'app-b').route!.nextHops).toEqual(['10.146.50.14']);
    const legacy = vsOf(r, 'app-legacy');
    expect([legacy.serviceEngines, legacy.standby, legacy.state]).toEqual([['se-as-02'], [], 'UP']);
    expect(legacy.route!.nextHops).toEqual(['10.146.50.17']);
  });

  it('algo DISTRIBUTED spreads; maxVsPerSe fills an SE, then the next; all full → DOWN', () => {
    const d = realizeVariant('n-plus-m.yaml', 'avi:\n  seGroups:\n    se-group-nm: { algo: DISTRIBUTED }\n');
    expect(['app-a', 'app-b'].map((n) => vsOf(d, n).serviceEngines)).toEqual([['se-nm-01'], ['se-nm-02']]);
    const m = realizeVariant(
      'n-plus-m.yaml',
      `failed: [se-nm-01]
avi:
  seGroups:
    se-group-nm: { maxVsPerSe: 1 }
  virtualServices:
    app-c: { tier1: The-Tier-1, seGroup: se-group-nm, vip: { network: vip-apps }, services: [{ port: 443 }], pool: mgmt-api }
`,
    );
    expect(['app-a', 'app-b'].map((n) => vsOf(m, n).serviceEngines)).toEqual([['se-nm-02'], ['se-nm-03']]);
    const c = vsOf(m, 'app-c');
    expect([c.state, c.reason, c.serviceEngines, c.route]).toEqual(['DOWN', 'no SE of "se-group-nm" is available (failed or full)', [], null]);
  });

  it('all SEs failed: DOWN, no route, no SEs', () => {
    const r = realizeVariant('n-plus-m.yaml', 'failed: [se-nm-01, se-nm-02, se-nm-03, se-as-01, se-as-02]\n');
    for (const [name, group] of [
      ['app-a', 'se-group-nm'],
      ['app-b', 'se-group-nm'],
      ['app-legacy', 'se-group-legacy'],
    ]) {
      const v = vsOf(r, name);
      expect([v.state, v.reason, v.serviceEngines, v.standby, v.route, v.nics]).toEqual(['DOWN', `no SE of ${JSON.stringify(group)} is available (failed or full)`, [], [], null, []]);
    }
  });

  it('vipRouteType STATIC: routes are STATIC', () => {
    const r = realizeVariant('n-plus-m.yaml', 'avi:\n  cloud: { vipRouteType: STATIC }\n');
    expect(r.avi!.virtualServices.map((v) => v.route!.type)).toEqual(['STATIC', 'STATIC', 'STATIC', 'STATIC']);
  });

  it('a VIP inside the SE data subnet: no route, the primary SE answers ARP; on failure the other SE does', () => {
    const r = realizeFile('avi/vip-in-se-subnet.yaml');
    const v = vsOf(r, 'ops-portal');
    expect([formatIp(v.vip), v.route, v.arpOwner, v.state]).toEqual(['10.146.50.100', null, 'se-generic-01', 'UP']);
    const f = realizeVariant('vip-in-se-subnet.yaml', 'failed: [se-generic-01]\n');
    expect(vsOf(f, 'ops-portal').arpOwner).toBe('se-generic-02');
  });

  it('a disabled VS: DISABLED, no SEs, no route, no DNS record (its VIP is still allocated)', () => {
    const r = realizeVariant('n-plus-m.yaml', 'avi:\n  virtualServices:\n    app-b: { enabled: false, fqdns: [b.this-is-a.domain.net] }\n');
    const b = vsOf(r, 'app-b');
    expect([b.state, b.reason, b.serviceEngines, b.route, b.arpOwner, formatIp(b.vip)]).toEqual(['DISABLED', 'the virtual service is disabled', [], null, null, '10.146.103.11']);
    expect(r.avi!.dns.has('b.this-is-a.domain.net')).toBe(false);
    expect(seOf(r, 'se-nm-01').virtualServices).toEqual(['app-a']);
  });

  it('trafficEnabled false: placed and UP, but no route (the FQDN is still registered)', () => {
    const r = realizeVariant('n-plus-m.yaml', 'avi:\n  virtualServices:\n    app-legacy: { trafficEnabled: false, fqdns: [l.this-is-a.domain.net] }\n');
    const l = vsOf(r, 'app-legacy');
    expect([l.state, l.reason, l.serviceEngines, l.route]).toEqual(['UP', 'traffic_enabled is off: no route is injected', ['se-as-01'], null]);
    expect(dnsOf(r)).toEqual(['l.this-is-a.domain.net 10.146.103.12 app-legacy']);
  });
});

describe('Avi controller: DNS', () => {
  it('FQDN → VIP of every placed VS; the DNS virtual services', () => {
    const r = realizeFile('tkgi-antrea.yaml');
    expect(dnsOf(r)).toEqual([
      'tkgi-cluster-1-antrea.this-is-a.domain.net 10.146.101.10 tkgi-cluster-1-antrea-api',
      'yelb-ui-yelb.this-is-a.domain.net 10.146.102.100 tkgi-cluster-1-antrea--yelb-yelb-ui',
      `${HOST} 10.146.102.102 tkgi-cluster-1-antrea--Shared-L7-0`,
    ]);
    expect(r.avi!.dnsVirtualServices).toEqual(['dns-service-1']);
    expect(r.avi!.cloud).toBe('nsx-t-lhr');
  });

  it('a DNS VS with no SE up is not serving', () => {
    const r = realizeVariant('tkgi-byot.yaml', 'failed: [se-dns-01]\n');
    expect(r.avi!.dnsVirtualServices).toEqual([]);
    expect(vsOf(r, 'dns-service-1').state).toBe('DOWN');
  });

  it('a duplicate FQDN is a problem on the later VS’s fqdns', () => {
    expect(loadErrors('n-plus-m.yaml', 'avi:\n  virtualServices:\n    app-b: { fqdns: [a.this-is-a.domain.net] }\n    app-a: { fqdns: [a.this-is-a.domain.net] }\n')).toEqual([
      'variant.yaml: avi.virtualServices.app-b.fqdns: FQDN "a.this-is-a.domain.net" is already registered by "app-a" (line 4)',
    ]);
  });
});

describe('Avi controller: VRFs', () => {
  it('per data network: connected, then default to the segment gateway', () => {
    const r = realizeFile('tkgi-byot.yaml');
    expect([...r.avi!.vrfs.keys()]).toEqual(['The-Tier-1', 't1-avi-dns']);
    expect(r.avi!.vrfs.get('The-Tier-1')!.segment).toBe('avi-se-generic-data');
    expect(vrfRoutes(r, 'The-Tier-1')).toEqual(['10.146.50.0/24 via 0.0.0.0 (connected avi-se-generic-data)', '0.0.0.0/0 via 10.146.50.1 (default route to the segment gateway)']);
    expect(vrfRoutes(r, 't1-avi-dns')).toEqual(['10.146.51.0/24 via 0.0.0.0 (connected avi-se-dns-data)', '0.0.0.0/0 via 10.146.51.1 (default route to the segment gateway)']);
  });

  it('vrfDefaultRoute false drops the default; user static routes follow the connected route', () => {
    const r = realizeVariant(
      'n-plus-m.yaml',
      `avi:
  cloud:
    vrfDefaultRoute: false
    dataNetworks:
      - { tier1: The-Tier-1, segment: avi-se-generic-data, staticRoutes: [{ network: 10.146.40.0/24, nextHop: 10.146.50.1 }] }
      - { tier1: t1-avi-dns, segment: avi-se-dns-data }
`,
    );
    expect(r.problems).toEqual([]);
    expect(vrfRoutes(r, 'The-Tier-1')).toEqual(['10.146.50.0/24 via 0.0.0.0 (connected avi-se-generic-data)', '10.146.40.0/24 via 10.146.50.1 (VRF static route 10.146.40.0/24)']);
    expect(vrfRoutes(r, 't1-avi-dns')).toEqual(['10.146.51.0/24 via 0.0.0.0 (connected avi-se-dns-data)']);
  });

  it('a static route next hop off the data segment is a problem', () => {
    const errors = loadErrors(
      'n-plus-m.yaml',
      'avi:\n  cloud: { dataNetworks: [{ tier1: The-Tier-1, segment: avi-se-generic-data, staticRoutes: [{ network: 10.146.40.0/24, nextHop: 10.146.40.1 }] }, { tier1: t1-avi-dns, segment: avi-se-dns-data }] }\n',
    );
    expect(errors).toEqual(['variant.yaml: avi.cloud.dataNetworks[0].staticRoutes[0].nextHop: 10.146.40.1 is not on the data segment \"avi-se-generic-data\" (10.146.50.0/24) (line 3)']);
  });
});

// ---- Conflicts ----------------------------------------------------------------------------------

describe('conflicts with what the controllers create', () => {
  it('a user segment named like an NCP segment', () => {
    expect(loadErrors('tkgi-byot.yaml', `segments:\n  ${NODE_SEG}-yelb: { tier1: The-Tier-1, gateway: 10.146.129.1/24 }\n`)).toEqual([
      `tkgi-byot.yaml: kubernetes.tkgi-cluster-1.ncp: would create segment "${NODE_SEG}-yelb", but the scenario already has one (line 19)`,
    ]);
  });

  it('a user Tier-1 named like the NCP Tier-1', () => {
    expect(loadErrors('tkgi-byot.yaml', 'tier1s:\n  t1-pks-0b7d0725: { tier0: t0-lhr }\n')).toEqual([
      'tkgi-byot.yaml: kubernetes.tkgi-cluster-1.ncp: would create Tier-1 "t1-pks-0b7d0725", but the scenario already has one (line 19)',
    ]);
  });

  it('two clusters whose NCP Tier-1 names collide: the second names the first', () => {
    const s = copyOf('tkgi-byot.yaml');
    s.kubernetes!['cluster-2'] = {
      cni: 'ncp',
      ncp: { clusterId: '0b7d0725-ffff-4e14-b6d0-52f799cb3556', tier0: 't0-lhr', edgeCluster: 'edge-cluster-1', nodeSubnet: '10.147.42.0/24', podIpBlock: '10.147.128.0/17', floatingIpPool: '10.147.110.0/24' },
      nodes: { 'c2-worker-1': { host: 'esx-01' } },
    };
    expect(realize(s).problems).toEqual([{ path: ['kubernetes', 'cluster-2', 'ncp'], message: 'would create Tier-1 "t1-pks-0b7d0725", already created for kubernetes.tkgi-cluster-1.ncp' }]);
  });

  it('a user workload named like an SE', () => {
    expect(loadErrors('n-plus-m.yaml', 'workloads:\n  se-nm-01: { host: esx-01, segment: ls-tkgi-mgmt, ip: 10.146.40.20 }\n')).toEqual([
      'n-plus-m.yaml: avi.seGroups.se-group-nm.serviceEngines.se-nm-01: would create workload "se-nm-01", but the scenario already has one (line 20)',
    ]);
  });

  it('a user workload on a node’s address', () => {
    expect(loadErrors('tkgi-antrea.yaml', 'workloads:\n  squatter: { host: esx-01, segment: ls-tkgi-service-network, ip: 10.146.41.11 }\n')).toEqual([
      'tkgi-antrea.yaml: kubernetes.tkgi-cluster-1-antrea.nodes.tkgi-antrea-worker-1: address 10.146.41.11 of "tkgi-antrea-worker-1" is already in use (line 46)',
    ]);
  });

  it('a user workload on a fixed SE address', () => {
    expect(loadErrors('reference-lab.yaml', 'workloads:\n  squatter: { host: esx-01, segment: avi-se-generic-data, ip: 10.146.50.11 }\n')).toEqual([
      'reference-lab.yaml: avi.seGroups.se-group-generic.serviceEngines.se-generic-01: address 10.146.50.11 of "se-generic-01" is already in use (line 105)',
    ]);
  });

  it('a user VS named like an AKO VS', () => {
    const errors = loadErrors(
      'tkgi-byot.yaml',
      'avi:\n  virtualServices:\n    tkgi-cluster-1--yelb-yelb-ui: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { network: vip-tkgi-api }, services: [{ port: 80 }] }\n',
    );
    expect(errors).toEqual(['tkgi-byot.yaml: kubernetes.tkgi-cluster-1.services["yelb/yelb-ui"]: AKO would create virtual service "tkgi-cluster-1--yelb-yelb-ui", which already exists (line 47)']);
  });

  it('a user segment overlapping a created one is caught by the checks on the realized scenario', () => {
    const errors = loadErrors('tkgi-byot.yaml', 'segments:\n  my-seg: { tier1: The-Tier-1, gateway: 10.146.129.1/24 }\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^variant\.yaml: segments\.pks-0b7d0725-c67b-4e14-b6d0-52f799cb3556-yelb\.gateway: address 10\.146\.129\.1 is already used by the gateway of segment "my-seg" \(segments\.my-seg\.gateway\) \(in the objects the controllers create\)/,
    );
  });
});

describe('allocation around given addresses, and problem paths', () => {
  it('NCP skips node and pod addresses given explicitly, and pod problems name the pod in its namespace', () => {
    const r = realizeVariant(
      'tkgi-byot.yaml',
      `kubernetes:
  tkgi-cluster-1:
    nodes:
      tkgi-cluster-1-worker-1: { host: esx-01, ip: 10.146.42.12 }
    pods:
      fruit:
        - { name: apple-app, node: tkgi-cluster-1-worker-1, labels: { app: apple }, ip: 10.146.130.3 }
        - { name: banana-app, node: tkgi-cluster-1-worker-3, labels: { app: banana } }
        - { name: cherry-app, node: tkgi-cluster-1-worker-3, labels: { app: cherry } }
`,
    );
    expect(r.problems).toEqual([]);
    const w = r.scenario.workloads!;
    expect(['tkgi-cluster-1-worker-1', 'tkgi-cluster-1-worker-2', 'tkgi-cluster-1-worker-3'].map((n) => w[n].ip)).toEqual(['10.146.42.12', '10.146.42.11', '10.146.42.13']);
    expect(['fruit/apple-app', 'fruit/banana-app', 'fruit/cherry-app'].map((n) => w[n].ip)).toEqual(['10.146.130.3', '10.146.130.2', '10.146.130.4']);
    expect(
      loadErrors(
        'tkgi-byot.yaml',
        `kubernetes:
  tkgi-cluster-1:
    pods:
      fruit:
        - { name: apple-app, node: tkgi-cluster-1-worker-1, labels: { app: apple } }
        - { name: banana-app, node: tkgi-cluster-1-worker-3, labels: { app: banana }, ip: 10.146.40.10 }
`,
      ),
    ).toEqual(['variant.yaml: kubernetes.tkgi-cluster-1.pods.fruit[1]: address 10.146.40.10 of "fruit/banana-app" is already in use (line 7)']);
  });
  it('fixed SE addresses are reserved before SE addresses are allocated', () => {
    const r = realizeVariant(
      'reference-lab.yaml',
      `avi:
  seGroups:
    se-group-generic:
      serviceEngines:
        se-generic-01: { host: esx-01, ips: null }
        se-generic-02: { host: esx-02, ips: { avi-se-generic-data: 10.146.50.11 } }
  virtualServices:
    web: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.102.50 }, services: [{ port: 80 }] }
`,
    );
    expect(r.problems).toEqual([]);
    expect(seNics(r, 'se-generic-01')).toEqual(['se-generic-01 avi-se-generic-data 10.146.50.12']);
    expect(seNics(r, 'se-generic-02')).toEqual(['se-generic-02 avi-se-generic-data 10.146.50.11']);
  });
  it('two virtual services cannot share a VIP; FQDN records are case-insensitive', () => {
    expect(
      loadErrors(
        'reference-lab.yaml',
        `avi:
  virtualServices:
    a: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.102.50 }, services: [{ port: 80 }] }
    b: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.102.50 }, services: [{ port: 443 }] }
`,
      ),
    ).toEqual(['variant.yaml: avi.virtualServices.b.vip.address: VIP 10.146.102.50 is already the VIP of virtual service \"a\" (shared VIPs are not modelled) (line 5)']);
    const r = realizeVariant(
      'reference-lab.yaml',
      `avi:
  virtualServices:
    a: { tier1: The-Tier-1, seGroup: se-group-generic, vip: { address: 10.146.102.50 }, services: [{ port: 80 }], fqdns: [Ops-Portal.This-Is-A.domain.net] }
`,
    );
    expect(dnsOf(r)).toContain('ops-portal.this-is-a.domain.net 10.146.102.50 a');
  });
});

describe('realize() of an edited scenario reuses the latest realization when nothing it reads changed', () => {
  const base = loadScenarioFile('scenarios/tkgi-byot.yaml').scenario;
  const edit = (s: Scenario, recipe: (d: Draft<Scenario>) => void) => produce(s, recipe);
  /** The same result as a realization from scratch (a copy that shares nothing and is not frozen). */
  const fromScratch = (s: Scenario) => realize(structuredClone(s));
  const comparable = (r: Realized) => ({ scenario: r.scenario, avi: r.avi && { ...r.avi, pools: [...r.avi.pools] }, clusters: r.clusters, problems: r.problems, created: r.created });

  it('a static route on a Tier-1 (only its names are read): the same Avi runtime, the edited scenario merged', () => {
    const before = realize(base);
    const t1 = Object.keys(base.tier1s!)[0];
    const next = edit(base, (d) => void (d.tier1s![t1].staticRoutes ??= []).push({ network: '203.0.113.0/24', nextHops: [{ blackhole: true }] }));
    const after = realize(next);
    expect(after.avi).toBe(before.avi);
    expect(after.scenario.tier1s![t1].staticRoutes!.at(-1)!.network).toBe('203.0.113.0/24');
    // The maps the edit left alone, merged with the created objects again: the same merged maps.
    expect(Object.keys(before.created!.segments).length).toBeGreaterThan(0);
    expect(after.scenario.segments).toBe(before.scenario.segments);
    expect(after.scenario.workloads).toBe(before.scenario.workloads);
    expect(after.scenario.tier1s).not.toBe(before.scenario.tier1s);
    expect(comparable(after)).toEqual(comparable(fromScratch(next)));
  });

  it('the scenario it was edited from (given as `from`) is reused too when another was realized since (an undo, a branch)', () => {
    const before = realize(base);
    const t1 = Object.keys(base.tier1s!)[0];
    // Another scenario realized in between: the latest realization is no longer base's.
    const other = edit(base, (d) => void (d.failed = [...(d.failed ?? []), Object.keys(base.transportNodes!)[0]]));
    expect(realize(other).avi).not.toBe(before.avi);
    const next = edit(base, (d) => void (d.tier1s![t1].staticRoutes ??= []).push({ network: '203.0.113.0/24', nextHops: [{ blackhole: true }] }));
    const after = realize(next, base);
    expect(after.avi).toBe(before.avi);
    expect(comparable(after)).toEqual(comparable(fromScratch(next)));
    // Without `from`, the latest (other's) differs in what realization reads: realized again.
    const again = edit(base, (d) => void (d.tier1s![t1].staticRoutes ??= []).push({ network: '203.0.113.0/25', nextHops: [{ blackhole: true }] }));
    realize(other);
    expect(realize(again).avi).not.toBe(before.avi);
    // A `from` whose realization reads something else is not reused.
    const failedNext = edit(base, (d) => void (d.failed = [Object.keys(base.transportNodes!)[1]]));
    const r = realize(failedNext, base);
    expect(r.avi).not.toBe(before.avi);
    expect(comparable(r)).toEqual(comparable(fromScratch(failedNext)));
  });

  it('an edge or a physical router failed (realization reads neither): the same realization, the failure merged', () => {
    const before = realize(base);
    const edge = Object.keys(base.transportNodes!).find((n) => base.transportNodes![n].type === 'edge')!;
    const router = Object.keys(base.physicalRouters ?? {})[0];
    for (const name of [edge, router].filter(Boolean)) {
      realize(base);
      const next = edit(base, (d) => void (d.failed = [...(d.failed ?? []), name]));
      const after = realize(next);
      expect(after.avi, name).toBe(before.avi);
      expect(after.scenario.failed).toContain(name);
      expect(comparable(after)).toEqual(comparable(fromScratch(next)));
      // And back (the failure removed again), from the failed scenario.
      const back = edit(next, (d) => void (d.failed = d.failed!.filter((n) => n !== name)));
      expect(realize(back, next).avi).toBe(before.avi);
      expect(comparable(realize(back, next))).toEqual(comparable(fromScratch(back)));
    }
    // A host failed (SEs and workloads sit on hosts): realized again.
    const host = Object.keys(base.transportNodes!).find((n) => base.transportNodes![n].type === 'host')!;
    realize(base);
    const failedHost = edit(base, (d) => void (d.failed = [...(d.failed ?? []), host]));
    expect(realize(failedHost).avi).not.toBe(before.avi);
  });

  it('segments added after the others, or the last ones removed, that nothing realization reads names: the same realization, the segments merged', () => {
    const before = realize(base);
    const grown = edit(base, (d) => {
      d.segments!['added-1'] = { subnet: '198.51.100.0/24' };
      d.segments!['added-2'] = { tier1: Object.keys(base.tier1s!)[0], gateway: '198.51.101.1/24' };
    });
    const after = realize(grown, base);
    expect(after.avi).toBe(before.avi);
    expect(after.created).toBe(before.created);
    expect(Object.keys(after.scenario.segments!)).toContain('added-2');
    expect(comparable(after)).toEqual(comparable(fromScratch(grown)));
    // Removed again: the same realization again.
    const back = realize(base, grown);
    expect(back.avi).toBe(before.avi);
    expect(comparable(back)).toEqual(comparable(fromScratch(base)));
    // A segment the controllers create (NCP) given by the user too: realized again (the clash is a problem).
    const created = Object.keys(before.created!.segments)[0];
    const clash = edit(base, (d) => void (d.segments![created] = { subnet: '198.51.102.0/24' }));
    const r = realize(clash, base);
    expect(r.avi === before.avi && r.problems === before.problems).toBe(false);
    expect(comparable(r)).toEqual(comparable(fromScratch(clash)));
  });

  it('the last segment removed while an Avi data network names it: realized again (the missing segment is a problem)', () => {
    const lab = loadScenarioFile('scenarios/reference-lab.yaml').scenario;
    const named = lab.avi!.cloud.dataNetworks[0].segment;
    // The named segment moved last, then removed.
    const last = edit(lab, (d) => {
      const seg = d.segments![named];
      delete d.segments![named];
      d.segments![named] = seg;
    });
    const before = realize(last);
    expect(before.problems).toEqual([]);
    const without = edit(last, (d) => void delete d.segments![named]);
    const r = realize(without, last);
    expect(r.avi).not.toBe(before.avi);
    expect(r.problems.map((p) => p.message).join('\n')).toContain(named);
    expect(comparable(r)).toEqual(comparable(fromScratch(without)));
  });

  it('a pool toggled, a segment edited, a Tier-1 renamed or a host failed: realized again, equal to a realization from scratch', () => {
    const pool = Object.keys(base.avi?.pools ?? {})[0];
    const t1 = Object.keys(base.tier1s!)[0];
    const seg = Object.keys(base.segments!)[0];
    const edits: ((d: Draft<Scenario>) => void)[] = [
      (d) => void (d.failed = [...(d.failed ?? []), Object.keys(base.transportNodes!).find((n) => base.transportNodes![n].type === 'host')!]),
      (d) => void (d.segments![seg] = { ...d.segments![seg], subnet: '198.51.100.1/24' }),
      (d) => {
        d.tier1s![`${t1}-renamed`] = d.tier1s![t1];
        delete d.tier1s![t1];
      },
    ];
    if (pool) edits.push((d) => void (d.avi!.pools![pool].enabled = false));
    for (const recipe of edits) {
      const before = realize(base);
      const next = edit(base, recipe);
      const after = realize(next);
      expect(after.avi === before.avi && after.problems === before.problems).toBe(false);
      expect(comparable(after)).toEqual(comparable(fromScratch(next)));
    }
  });
});
