// Synthetic scenarios of any size, for benchmarks and scale tests. This file owns the shape of a
// generated fabric: one ACTIVE_ACTIVE Tier-0 on an edge cluster (uplinks on a VLAN segment), N
// Tier-1s (every k-th centralized), /24 overlay segments carved from 10.0.0.0/8 in order,
// workloads spread round-robin over the hosts, a ToR with a static 10.0.0.0/8 toward the Tier-0
// uplinks (ECMP) and a client host behind it. With `virtualServices`, an NSX Advanced Load
// Balancer on top: one SE data segment per Tier-1 that hosts virtual services (/24s carved from
// 172.20.0.0/14, outside 10/8, so the workload segments keep their addresses), one
// HA_MODE_SHARED_PAIR SE group whose SEs take their data addresses from SE ranges, a VIP-only
// network on 172.24.0.0/14, one pool per virtual service whose members are the generated workloads
// of its Tier-1, and the virtual services round-robin over the Tier-1s. Output is a plain Scenario,
// fully deterministic (same options, same document), and valid under validateScenario.
//
// The realistic shape (`bgp`, `tors`, `seGroupTier1s`, `seed`; what the S/M/L presets of
// `generateSize` and `nsx-twin generate` use): several ToRs on the shared uplink VLAN, each an
// eBGP peer (defaultOriginate) of every Tier-0 SR, the Tier-0 redistributing TIER1_CONNECTED and
// TIER1_LB_VIP instead of static routes; one SE group per set of at most 9 Tier-1s (an SE has at
// most 9 data NICs), each with a few SEs; with a seed, virtual services land on Tier-1s and
// workloads on hosts by a seeded pseudo-random draw instead of round-robin.
import type { AviSpec, K8sNodeSpec, K8sPodSpec, PhysicalRouterSpec, PoolSpec, Scenario, SegmentSpec, SeGroupSpec, ServiceEngineSpec, Tier0Spec, Tier1Spec, TransportNodeSpec, VirtualServiceSpec, WorkloadSpec } from './scenario.js';
import { formatIp, parseIp } from './ip.js';

export interface GenerateOptions {
  /** Number of Tier-1 gateways (all attached to the single Tier-0). */
  tier1s: number;
  /** Overlay segments per Tier-1 (each a /24 with gateway .1). */
  segmentsPerTier1: number;
  /** Workloads per segment (addresses .10 upward; at most 245). */
  workloadsPerSegment: number;
  /** ESXi hosts the workloads are spread over. */
  hosts: number;
  /** Edge nodes in the Tier-0's edge cluster (one uplink each). */
  edges: number;
  /** When set, every k-th Tier-1 (k, 2k, …) gets an edge cluster (an ACTIVE_STANDBY SR pair). */
  centralizedEvery?: number;
  /**
   * Avi virtual services (0 or absent: no avi section). VS i is on Tier-1 i mod tier1s, takes its
   * VIP from the VIP network and balances port 80 over a pool of that Tier-1's workloads (needs
   * workloadsPerSegment ≥ 1).
   */
  virtualServices?: number;
  /**
   * SEs in the SE group (HA_MODE_SHARED_PAIR, DISTRIBUTED), spread over the hosts. Default: the
   * fewest that place every VS within Avi's maxVsPerSe ceiling of 1000 (at least 2).
   */
  serviceEngines?: number;
  /** Members per pool (default 2; fewer when the Tier-1 has fewer workloads). */
  poolMembers?: number;
  /** Physical routers (ToRs) on the uplink VLAN (default 1; at most 10). */
  tors?: number;
  /**
   * BGP instead of static routes: every ToR (AS 65100, defaultOriginate, announcing the client
   * subnet) peers with every SR of the Tier-0 (AS 65000), which redistributes TIER1_CONNECTED and
   * TIER1_LB_VIP; with ACTIVE_ACTIVE, NSX's inter-SR iBGP too.
   */
  bgp?: boolean;
  /**
   * Tier-1s per SE group (1–9, an SE's data NIC limit): one SE group per consecutive set of that
   * many Tier-1s hosting virtual services, instead of one group for all. Needs virtualServices.
   */
  seGroupTier1s?: number;
  /** SEs per SE group with seGroupTier1s (default 2, HA_MODE_SHARED_PAIR). */
  sesPerGroup?: number;
  /** Seed of the pseudo-random placement of virtual services (on Tier-1s) and workloads (on hosts); absent: round-robin. */
  seed?: number;
  /**
   * With BGP, an export policy on the Tier-0's sessions to the ToRs, as a deployment keeps some
   * networks off the physical fabric: route map `to-tors` denies prefix list `held-back` (the
   * smallest block from 10.0.0.0 that holds the first Tier-1's /24 segments, `le 32`: with 10
   * segments per Tier-1, 10.0.0.0/20, the second Tier-1's first six too) and permits the rest.
   */
  routePolicy?: boolean;
  /**
   * Kubernetes clusters (TKGi with Antrea and AKO), one per Tier-1 hosting virtual services from
   * the first on (needs virtualServices): 3 worker nodes on a node segment of that Tier-1
   * (172.28.k.0/24), a pod per worker, and a LoadBalancer Service AKO places on the Tier-1's SE
   * group with a VIP from the VIP network (NodePort: the nodes are the pool members). At most 256.
   */
  kubernetes?: number;
  /**
   * The Kubernetes clusters are TKGi clusters with NCP instead of Antrea (needs kubernetes): NCP
   * creates each one's Tier-1 on the Tier-0 (centralized, on the edge cluster), its node segment
   * (172.29.k.0/24, workers from .11) and a pod segment per namespace (172.30.k.0/24, from its pod
   * block), and AKO (ClusterIP) places the LoadBalancer Service on the SE group of the k-th Tier-1
   * with virtual services, the pods its pool members.
   */
  ncp?: boolean;
}

/** Names of the fixed objects of a generated scenario (for callers that trace through them). */
export const GENERATED = {
  tier0: 't0',
  edgeCluster: 'edge-cluster-1',
  uplinkSegment: 't0-uplink-vlan',
  tor: 'tor-01',
  /** AS numbers of the BGP shape (Tier-0, ToRs). */
  tier0As: 65000,
  torAs: 65100,
  clientSubnet: '172.31.0.0/24',
  client: 'client-01',
  clientIp: '172.31.0.10',
  aviCloud: 'nsx-cloud',
  seGroup: 'se-group-1',
  /** The route map on the Tier-0's sessions to the ToRs (routePolicy) and the prefix list it denies. */
  exportRouteMap: 'to-tors',
  heldBackPrefixList: 'held-back',
  vipNetwork: 'vip-net',
  /** The port every generated virtual service listens on (TCP). */
  vsPort: 80,
} as const;

/** Name of the SE data segment (and its Avi network) of a Tier-1 that hosts virtual services. */
export const aviDataSegment = (tier1: string) => `avi-data-${tier1}`;

const MAX_SEGMENTS = 65536; // /24s in 10.0.0.0/8
const FIRST_WORKLOAD_HOST = 10; // workloads at .10, .11, … of their /24
const MAX_WORKLOADS_PER_SEGMENT = 254 - FIRST_WORKLOAD_HOST + 1;
const MAX_EDGES = 240; // uplinks .11 … .250 of the uplink /24
const MAX_TORS = 10; // ToRs .1 … .10 of the uplink /24
const MAX_SE_DATA_NICS = 9; // an SE has one management and at most 9 data vNICs
const TOR_ECMP = 8; // NSX (and settings.maxEcmp) default: at most 8 next hops per static route
const DEFAULT_TRANSIT_LINKS = 32768; // 100.64.0.0/16 holds 32768 /31 router links
// NSX ALB: SE data /24s from 172.20.0.0/14 (1024 of them), VIPs from 172.24.0.0/14.
const SE_DATA_BASE = 0xac140000; // 172.20.0.0
const SE_DATA_BLOCK = '172.20.0.0/14';
const MAX_VS_TIER1S = 8192; // as /27s (1024 as /24s)
const FIRST_SE_HOST = 10; // SE range .10–.254 of each data /24
const MAX_SERVICE_ENGINES = 254 - FIRST_SE_HOST + 1;
const VIP_BASE = 0xac180000; // 172.24.0.0
const VIP_SUBNET = '172.24.0.0/14';
const FIRST_VIP = VIP_BASE + 10;
const MAX_VIRTUAL_SERVICES = 0x40000 - 10 - 1; // .10 up to the last address before broadcast
const AVI_MAX_VS_PER_SE = 1000; // Avi's ceiling for se_group.max_vs_per_se
const AVI_DEFAULT_MAX_VS_PER_SE = 10;
const PAIR = 2; // HA_MODE_SHARED_PAIR places every VS on two SEs
const MAX_K8S_CLUSTERS = 256; // node segments 172.28.0.0/24 … 172.28.255.0/24
const K8S_WORKERS = 3;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; the same seed gives the same sequence. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
const digits = (n: number) => String(Math.max(n, 1)).length;

function check(name: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`generateScenario: ${name} must be an integer ${min}-${max} (got ${v})`);
}

export function generateScenario(opts: GenerateOptions): Scenario {
  const { tier1s, segmentsPerTier1, workloadsPerSegment, hosts, edges, centralizedEvery } = opts;
  check('tier1s', tier1s, 1, MAX_SEGMENTS);
  check('segmentsPerTier1', segmentsPerTier1, 1, MAX_SEGMENTS);
  check('workloadsPerSegment', workloadsPerSegment, 0, MAX_WORKLOADS_PER_SEGMENT);
  check('hosts', hosts, 1, 65536);
  check('edges', edges, 1, MAX_EDGES);
  check('centralizedEvery', centralizedEvery, 1, Number.MAX_SAFE_INTEGER);
  check('virtualServices', opts.virtualServices, 0, MAX_VIRTUAL_SERVICES);
  check('serviceEngines', opts.serviceEngines, PAIR, MAX_SERVICE_ENGINES);
  check('poolMembers', opts.poolMembers, 1, MAX_WORKLOADS_PER_SEGMENT * MAX_SEGMENTS);
  check('tors', opts.tors, 1, MAX_TORS);
  check('seGroupTier1s', opts.seGroupTier1s, 1, MAX_SE_DATA_NICS);
  check('sesPerGroup', opts.sesPerGroup, PAIR, MAX_SERVICE_ENGINES);
  check('seed', opts.seed, 0, 0xffffffff);
  check('kubernetes', opts.kubernetes, 0, MAX_K8S_CLUSTERS);
  if (opts.seGroupTier1s === undefined && opts.sesPerGroup !== undefined) throw new RangeError('generateScenario: sesPerGroup needs seGroupTier1s');
  if (opts.routePolicy && !opts.bgp) throw new RangeError('generateScenario: routePolicy needs bgp');
  if (tier1s * segmentsPerTier1 > MAX_SEGMENTS) {
    throw new RangeError(`generateScenario: ${tier1s * segmentsPerTier1} segments do not fit 10.0.0.0/8 as /24s (at most ${MAX_SEGMENTS})`);
  }

  const hostW = digits(hosts);
  const edgeW = digits(edges);
  const t1W = digits(tier1s);
  const segW = digits(segmentsPerTier1);
  const wlW = digits(workloadsPerSegment);
  const hostOf = opts.seed === undefined ? (i: number) => i % hosts : (() => {
    const draw = prng(opts.seed);
    return () => draw(hosts);
  })();

  // Transport nodes: hosts' TEPs from 172.16.0.0/16, edges' from 172.17.0.0/16 (outside 10/8).
  const transportNodes: Record<string, TransportNodeSpec> = {};
  const hostNames: string[] = [];
  for (let h = 0; h < hosts; h++) {
    const name = `esx-${pad(h + 1, hostW)}`;
    hostNames.push(name);
    transportNodes[name] = { type: 'host', tep: formatIp(0xac100000 + 1 + h) };
  }
  const edgeNames: string[] = [];
  for (let e = 0; e < edges; e++) {
    const name = `edge-${pad(e + 1, edgeW)}`;
    edgeNames.push(name);
    transportNodes[name] = { type: 'edge', tep: formatIp(0xac110000 + 1 + e) };
  }

  // Tier-0 uplinks on 192.168.0.0/24: the ToR is .1, edge i's uplink .11+i.
  const uplinkIp = (e: number) => `192.168.0.${11 + e}`;
  const segments: Record<string, SegmentSpec> = {
    [GENERATED.uplinkSegment]: { type: 'vlan', vlan: 10, subnet: '192.168.0.0/24' },
  };

  const tier1Specs: Record<string, Tier1Spec> = {};
  const workloads: Record<string, WorkloadSpec> = {};
  let workloadIndex = 0;
  for (let t = 0; t < tier1s; t++) {
    const t1 = `t1-${pad(t + 1, t1W)}`;
    const spec: Tier1Spec = { tier0: GENERATED.tier0, advertise: ['TIER1_CONNECTED'] };
    if (centralizedEvery !== undefined && (t + 1) % centralizedEvery === 0) {
      spec.edgeCluster = GENERATED.edgeCluster;
      // Spread the SR pairs over the cluster: active on edge t, standby on the next one.
      if (edges >= 2) spec.edges = [edgeNames[t % edges], edgeNames[(t + 1) % edges]];
      spec.haMode = 'ACTIVE_STANDBY';
    }
    tier1Specs[t1] = spec;
    for (let s = 0; s < segmentsPerTier1; s++) {
      const g = t * segmentsPerTier1 + s; // global segment index → 10.(g >> 8).(g & 255).0/24
      const base = (10 << 24) + g * 256;
      const seg = `ls-${t1}-${pad(s + 1, segW)}`;
      segments[seg] = { tier1: t1, gateway: `${formatIp(base + 1)}/24` };
      for (let w = 0; w < workloadsPerSegment; w++) {
        workloads[`vm-${t1}-${pad(s + 1, segW)}-${pad(w + 1, wlW)}`] = {
          host: hostNames[hostOf(workloadIndex)],
          segment: seg,
          ip: formatIp(base + FIRST_WORKLOAD_HOST + w),
        };
        workloadIndex++;
      }
    }
  }

  // Router links: 2 addresses per Tier-1; widen the pool beyond the default /16 when needed.
  let transitLen = 16;
  while (tier1s > 2 ** (31 - transitLen)) transitLen--;
  const torCount = opts.tors ?? 1;
  const torW = Math.max(2, digits(torCount));
  const torNames = Array.from({ length: torCount }, (_, r) => `tor-${pad(r + 1, torW)}`);
  const torIp = (r: number) => `192.168.0.${1 + r}`;
  const tier0: Scenario['tier0s'] = {
    [GENERATED.tier0]: {
      haMode: 'ACTIVE_ACTIVE',
      edgeCluster: GENERATED.edgeCluster,
      ...(tier1s > DEFAULT_TRANSIT_LINKS ? { transitSubnet: `100.64.0.0/${transitLen}` } : {}),
      uplinks: edgeNames.map((edge, e) => ({ name: `uplink-${edge}`, edge, segment: GENERATED.uplinkSegment, ip: `${uplinkIp(e)}/24` })),
      ...(opts.bgp
        ? {
            bgp: { localAs: GENERATED.tier0As, neighbors: torNames.map((name, r) => ({ name, address: torIp(r), remoteAs: GENERATED.torAs, ...(opts.routePolicy ? { out: { routeMap: GENERATED.exportRouteMap } } : {}) })) },
            redistribution: [{ name: 'tier1-to-bgp', types: ['TIER1_CONNECTED', 'TIER1_LB_VIP'] }],
            ...(opts.routePolicy ? exportPolicy(segmentsPerTier1) : {}),
          }
        : { staticRoutes: [{ name: 'default-to-tor', network: '0.0.0.0/0', nextHops: torNames.map((_, r) => torIp(r)) }] }),
    },
  };
  const physicalRouters: Record<string, PhysicalRouterSpec> = {};
  torNames.forEach((name, r) => {
    physicalRouters[name] = {
      interfaces: [
        { name: 'vlan10', ip: `${torIp(r)}/24`, segment: GENERATED.uplinkSegment },
        { name: 'clients', ip: `172.31.0.${1 + r}/24` },
      ],
      ...(opts.bgp
        ? {
            bgp: {
              asn: GENERATED.torAs,
              neighbors: edgeNames.map((_, e) => ({ address: uplinkIp(e), remoteAs: GENERATED.tier0As, defaultOriginate: true })),
              networks: [GENERATED.clientSubnet],
            },
          }
        : {
            // ECMP toward the Tier-0 uplinks, at most 8 next hops (the default maxEcmp).
            staticRoutes: [{ name: 'nsx', network: '10.0.0.0/8', nextHops: edgeNames.slice(0, TOR_ECMP).map((_, e) => uplinkIp(e)) }],
          }),
    };
  });

  const vsCount = opts.virtualServices ?? 0;
  const scenario: Scenario = {
    name: `generated-${tier1s}x${segmentsPerTier1}x${workloadsPerSegment}`,
    description:
      `Generated: ${tier1s} Tier-1s × ${segmentsPerTier1} segments × ${workloadsPerSegment} workloads, ` +
      `${hosts} hosts, ${edges} edges${centralizedEvery ? `, every ${centralizedEvery}th Tier-1 centralized` : ''}` +
      (opts.bgp ? `; ${torCount} ToRs (AS ${GENERATED.torAs}) peering by eBGP with every SR of the Tier-0 (AS ${GENERATED.tier0As}).` : '.'),
    transportNodes,
    edgeClusters: { [GENERATED.edgeCluster]: { members: edgeNames } },
    tier0s: tier0,
    tier1s: tier1Specs,
    segments,
    workloads,
    physicalRouters,
    physicalHosts: {
      [GENERATED.client]: { ip: `${GENERATED.clientIp}/24`, gateway: '172.31.0.1' },
    },
  };
  if (vsCount > 0) addLoadBalancer(scenario, opts, hostNames, opts.bgp ? null : edgeNames.slice(0, TOR_ECMP).map((_, e) => uplinkIp(e)));
  else if (opts.seGroupTier1s !== undefined) throw new RangeError('generateScenario: seGroupTier1s needs virtualServices');
  if (opts.kubernetes) {
    if (vsCount === 0) throw new RangeError('generateScenario: kubernetes needs virtualServices (AKO places its Services on their SE groups)');
    addKubernetes(scenario, opts.kubernetes, hostNames, opts.ncp === true);
  } else if (opts.ncp) throw new RangeError('generateScenario: ncp needs kubernetes (the clusters it makes NCP clusters)');
  return scenario;
}

/** The Tier-0's export policy (routePolicy): the first Tier-1's segments held back from the ToRs, the rest permitted. */
function exportPolicy(segmentsPerTier1: number): Pick<Tier0Spec, 'prefixLists' | 'routeMaps'> {
  // The first Tier-1's /24s are 10.0.0.0/24 … : the smallest aligned block holding them.
  let len = 24;
  while (len > 8 && 2 ** (24 - len) < segmentsPerTier1) len--;
  return {
    prefixLists: {
      [GENERATED.heldBackPrefixList]: [{ network: `10.0.0.0/${len}`, le: 32, action: 'PERMIT' }],
      any: [{ network: 'ANY', action: 'PERMIT' }],
    },
    routeMaps: {
      [GENERATED.exportRouteMap]: [
        { action: 'DENY', prefixLists: [GENERATED.heldBackPrefixList] },
        { action: 'PERMIT', prefixLists: ['any'] },
      ],
    },
  };
}

/**
 * Adds the NSX ALB objects to a generated scenario (in place): SE data segments on the Tier-1s
 * that host virtual services (which also advertise TIER1_LB_VIP), the avi section, and (without
 * BGP) ToR routes to the SE data and VIP blocks.
 */
function addLoadBalancer(s: Scenario, opts: GenerateOptions, hostNames: readonly string[], torNextHops: string[] | null): void {
  const { tier1s, segmentsPerTier1, workloadsPerSegment } = opts;
  const vsCount = opts.virtualServices!;
  if (workloadsPerSegment < 1) throw new RangeError('generateScenario: virtualServices needs workloadsPerSegment ≥ 1 (pool members are workloads)');

  // The Tier-1 of every VS: i mod tier1s (round-robin), or a seeded draw.
  const vsTier1 = new Uint32Array(vsCount);
  if (opts.seed === undefined) for (let i = 0; i < vsCount; i++) vsTier1[i] = i % tier1s;
  else {
    const draw = prng(opts.seed ^ 0x5eed5eed);
    for (let i = 0; i < vsCount; i++) vsTier1[i] = draw(tier1s);
  }
  const vsPerTier1 = new Uint32Array(tier1s);
  for (let i = 0; i < vsCount; i++) vsPerTier1[vsTier1[i]]++;
  const hosting: number[] = []; // Tier-1s with virtual services, in Tier-1 order
  for (let t = 0; t < tier1s; t++) if (vsPerTier1[t] > 0) hosting.push(t);
  if (hosting.length > MAX_VS_TIER1S) {
    throw new RangeError(`generateScenario: ${hosting.length} Tier-1s with virtual services need as many SE data subnets; ${SE_DATA_BLOCK} holds ${MAX_VS_TIER1S} (as /27s)`);
  }
  // SE data subnets: /24s while 1024 fit the block, else the longest prefix (down to /27) that fits.
  let dataLen = 24;
  while (hosting.length > 2 ** (dataLen - 14)) dataLen++;
  const dataSize = 2 ** (32 - dataLen);
  const seRangeSize = dataSize - 2 - (FIRST_SE_HOST - 1); // .FIRST_SE_HOST … broadcast − 1

  const t1W = digits(tier1s);
  const t1Name = (t: number) => `t1-${pad(t + 1, t1W)}`;
  const dataNetworks: AviSpec['cloud']['dataNetworks'] = [];
  const networks: NonNullable<AviSpec['networks']> = {};
  hosting.forEach((t, d) => {
    const t1 = t1Name(t);
    const seg = aviDataSegment(t1);
    const base = SE_DATA_BASE + d * dataSize;
    s.segments![seg] = { tier1: t1, gateway: `${formatIp(base + 1)}/${dataLen}` };
    s.tier1s![t1].advertise = ['TIER1_CONNECTED', 'TIER1_LB_VIP'];
    dataNetworks.push({ tier1: t1, segment: seg });
    networks[seg] = { segment: seg, ranges: [{ from: formatIp(base + FIRST_SE_HOST), to: formatIp(base + dataSize - 2), type: 'SE' }] };
  });
  networks[GENERATED.vipNetwork] = { subnet: VIP_SUBNET, ranges: [{ from: formatIp(FIRST_VIP), to: formatIp(FIRST_VIP + vsCount - 1), type: 'VIP' }] };

  // SE groups: one for everything, or one per set of seGroupTier1s hosting Tier-1s.
  const seGroups: Record<string, SeGroupSpec> = {};
  const groupOfTier1 = new Map<number, string>();
  const maxVsPerSeFor = (vs: number, ses: number, what: string) => {
    const need = Math.ceil((PAIR * vs) / ses); // DISTRIBUTED placement keeps SE loads within one of each other
    if (need > AVI_MAX_VS_PER_SE) throw new RangeError(`generateScenario: ${what}: ${vs} virtual services on ${ses} SEs exceed maxVsPerSe ${AVI_MAX_VS_PER_SE}; add SEs`);
    return Math.max(AVI_DEFAULT_MAX_VS_PER_SE, need);
  };
  if (opts.seGroupTier1s === undefined) {
    // Every VS is on two SEs; ceil(2V / SEs) per SE places them all.
    const minSes = Math.max(PAIR, Math.ceil((PAIR * vsCount) / AVI_MAX_VS_PER_SE));
    const seCount = opts.serviceEngines ?? minSes;
    if (minSes > MAX_SERVICE_ENGINES) throw new RangeError(`generateScenario: ${vsCount} virtual services need ${minSes} SEs; the SE range of a data /24 holds ${MAX_SERVICE_ENGINES}`);
    if (seCount < minSes) throw new RangeError(`generateScenario: ${vsCount} virtual services need at least ${minSes} SEs (maxVsPerSe is at most ${AVI_MAX_VS_PER_SE})`);
    if (seCount > seRangeSize) throw new RangeError(`generateScenario: ${seCount} SEs do not fit the SE range of a data /${dataLen} (${seRangeSize})`);
    const seW = digits(seCount);
    const serviceEngines: Record<string, ServiceEngineSpec> = {};
    for (let e = 0; e < seCount; e++) serviceEngines[`se-${pad(e + 1, seW)}`] = { host: hostNames[e % hostNames.length] };
    seGroups[GENERATED.seGroup] = { haMode: 'HA_MODE_SHARED_PAIR', algo: 'DISTRIBUTED', maxVsPerSe: maxVsPerSeFor(vsCount, seCount, GENERATED.seGroup), serviceEngines };
    for (const t of hosting) groupOfTier1.set(t, GENERATED.seGroup);
  } else {
    if (opts.serviceEngines !== undefined) throw new RangeError('generateScenario: give sesPerGroup (not serviceEngines) with seGroupTier1s');
    const per = opts.seGroupTier1s;
    const sesPerGroup = opts.sesPerGroup ?? PAIR;
    if (sesPerGroup > seRangeSize) throw new RangeError(`generateScenario: ${sesPerGroup} SEs per group do not fit the SE range of a data /${dataLen} (${seRangeSize})`);
    const groups = Math.ceil(hosting.length / per);
    const gW = digits(groups);
    const eW = digits(sesPerGroup);
    let seIndex = 0;
    for (let g = 0; g < groups; g++) {
      const name = `se-group-${pad(g + 1, gW)}`;
      const members = hosting.slice(g * per, (g + 1) * per);
      let vs = 0;
      for (const t of members) {
        groupOfTier1.set(t, name);
        vs += vsPerTier1[t];
      }
      const serviceEngines: Record<string, ServiceEngineSpec> = {};
      // Consecutive SEs on consecutive hosts: the two SEs of a pair never share a host (with ≥ 2 hosts).
      for (let e = 0; e < sesPerGroup; e++) serviceEngines[`se-${pad(g + 1, gW)}-${pad(e + 1, eW)}`] = { host: hostNames[seIndex++ % hostNames.length] };
      seGroups[name] = { haMode: 'HA_MODE_SHARED_PAIR', algo: 'DISTRIBUTED', maxVsPerSe: maxVsPerSeFor(vs, sesPerGroup, name), serviceEngines };
    }
  }

  // Pool of VS i (the k-th on its Tier-1): poolSize consecutive workloads of that Tier-1, from the
  // k·poolSize-th on (wrapping), so the pools of a Tier-1 rotate over its workloads.
  const perTier1 = segmentsPerTier1 * workloadsPerSegment;
  const members = Math.min(opts.poolMembers ?? 2, perTier1);
  const vsW = digits(vsCount);
  const pools: Record<string, PoolSpec> = {};
  const virtualServices: Record<string, VirtualServiceSpec> = {};
  const seen = new Uint32Array(tier1s);
  for (let i = 0; i < vsCount; i++) {
    const t = vsTier1[i];
    const k = seen[t]++;
    const vs = `vs-${pad(i + 1, vsW)}`;
    const pool = `pool-${pad(i + 1, vsW)}`;
    const list: { ip: string }[] = [];
    for (let m = 0; m < members; m++) {
      const j = (k * members + m) % perTier1;
      const seg = t * segmentsPerTier1 + Math.floor(j / workloadsPerSegment);
      list.push({ ip: formatIp((10 << 24) + seg * 256 + FIRST_WORKLOAD_HOST + (j % workloadsPerSegment)) });
    }
    pools[pool] = { members: list };
    virtualServices[vs] = { tier1: t1Name(t), seGroup: groupOfTier1.get(t)!, vip: { network: GENERATED.vipNetwork }, services: [{ port: GENERATED.vsPort }], pool };
  }

  s.avi = { cloud: { name: GENERATED.aviCloud, dataNetworks }, networks, seGroups, pools, virtualServices };
  const seTotal = Object.values(seGroups).reduce((n, g) => n + Object.keys(g.serviceEngines ?? {}).length, 0);
  const groupCount = Object.keys(seGroups).length;
  s.description += ` NSX ALB: ${vsCount} virtual services on ${hosting.length} Tier-1s, ${seTotal} SEs (HA_MODE_SHARED_PAIR)${groupCount > 1 ? ` in ${groupCount} SE groups` : ''}.`;
  if (torNextHops) {
    for (const tor of Object.values(s.physicalRouters!)) {
      tor.staticRoutes!.push({ name: 'avi-se-data', network: SE_DATA_BLOCK, nextHops: torNextHops }, { name: 'avi-vips', network: VIP_SUBNET, nextHops: torNextHops });
    }
  }
}

/**
 * Adds `clusters` Kubernetes clusters (in place), each on the next Tier-1 of the cloud's data
 * networks: Antrea nodes on a node segment of that Tier-1, a pod per worker, and a LoadBalancer
 * Service that AKO turns into a virtual service on the Tier-1's SE group (its VIP allocated from
 * the VIP network, whose range grows by one per cluster).
 */
function addKubernetes(s: Scenario, clusters: number, hostNames: readonly string[], ncp: boolean): void {
  const avi = s.avi!;
  const dataNetworks = avi.cloud.dataNetworks;
  if (clusters > dataNetworks.length) throw new RangeError(`generateScenario: kubernetes ${clusters} needs as many Tier-1s with virtual services (there are ${dataNetworks.length})`);
  const vsCount = Object.keys(avi.virtualServices ?? {}).length;
  if (vsCount + clusters > MAX_VIRTUAL_SERVICES) throw new RangeError(`generateScenario: kubernetes ${clusters} needs ${clusters} more VIPs than the ${VIP_SUBNET} range holds beside ${vsCount} virtual services`);
  // The SE group of each Tier-1 (that of its virtual services).
  const groupOf = new Map<string, string>();
  for (const vs of Object.values(avi.virtualServices ?? {})) if (!groupOf.has(vs.tier1)) groupOf.set(vs.tier1, vs.seGroup);
  // Room on the SEs for the Services' virtual services (the groups' maxVsPerSe fits theirs exactly).
  for (let k = 0; k < clusters; k++) {
    const g = avi.seGroups![groupOf.get(dataNetworks[k].tier1)!];
    g.maxVsPerSe = Math.min(AVI_MAX_VS_PER_SE, (g.maxVsPerSe ?? AVI_DEFAULT_MAX_VS_PER_SE) + 1);
  }
  const range = avi.networks![GENERATED.vipNetwork].ranges![0];
  range.to = formatIp(parseIp(range.to)! + clusters);
  const kubernetes: NonNullable<Scenario['kubernetes']> = {};
  const cW = digits(clusters);
  for (let k = 0; k < clusters; k++) {
    const t1 = dataNetworks[k].tier1;
    const name = `k8s-${pad(k + 1, cW)}`;
    const service = { 'shop/web': { type: 'LoadBalancer' as const, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } };
    if (ncp) {
      const nodes: Record<string, K8sNodeSpec> = {};
      const pods: K8sPodSpec[] = [];
      for (let n = 0; n < K8S_WORKERS; n++) {
        const node = `${name}-worker-${n + 1}`;
        nodes[node] = { host: hostNames[(k * K8S_WORKERS + n) % hostNames.length] };
        // Pod names unique across clusters: NCP names a pod's workload namespace/pod.
        pods.push({ name: `${name}-web-${n + 1}`, node, labels: { app: 'web' } });
      }
      kubernetes[name] = {
        cni: 'ncp',
        // The first block of the UUID names the Tier-1 NCP creates (t1-pks-<block>): one per cluster.
        ncp: { clusterId: `${(k + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`, tier0: GENERATED.tier0, edgeCluster: GENERATED.edgeCluster, nodeSubnet: `172.29.${k}.0/24`, podIpBlock: `172.30.${k}.0/24`, floatingIpPool: `172.19.${k}.0/24` },
        nodes,
        namespaces: ['shop'],
        pods: { shop: pods },
        services: service,
        ako: { clusterName: name, cniPlugin: 'ncp', serviceType: 'ClusterIP', nsxtT1LR: t1, vipNetwork: GENERATED.vipNetwork, seGroup: groupOf.get(t1)!, autoFQDN: 'disabled' },
      };
      continue;
    }
    const nodeSegment = `${name}-nodes`;
    s.segments![nodeSegment] = { tier1: t1, gateway: `172.28.${k}.1/24` };
    const nodes: Record<string, K8sNodeSpec> = {};
    const pods: K8sPodSpec[] = [];
    for (let n = 0; n < K8S_WORKERS; n++) {
      const node = `${name}-worker-${n + 1}`;
      nodes[node] = { host: hostNames[(k * K8S_WORKERS + n) % hostNames.length], ip: `172.28.${k}.${11 + n}` };
      pods.push({ name: `web-${n + 1}`, node, labels: { app: 'web' } });
    }
    kubernetes[name] = {
      cni: 'antrea',
      nodeSegment,
      nodes,
      pods: { shop: pods },
      services: service,
      ako: { clusterName: name, cniPlugin: 'antrea', serviceType: 'NodePort', nsxtT1LR: t1, vipNetwork: GENERATED.vipNetwork, seGroup: groupOf.get(t1)!, autoFQDN: 'disabled' },
    };
  }
  s.kubernetes = kubernetes;
  s.description += ` Kubernetes: ${clusters} ${ncp ? 'NCP' : 'Antrea'} cluster(s) of ${K8S_WORKERS} workers, a LoadBalancer Service each through AKO.`;
}

const VS_PER_TIER1 = 25; // virtual services per Tier-1 in the presets

/** The preset sizes of `generateSize` and `nsx-twin generate`. */
export const SIZES = ['S', 'M', 'L'] as const;
export type Size = (typeof SIZES)[number];

/**
 * The realistic shape at every size: an ACTIVE_ACTIVE Tier-0 on 8 edges, 8 ToRs in one AS each
 * peering with every SR (64 eBGP sessions), every 10th Tier-1 centralized, 10 segments per Tier-1
 * with one workload each, 25 virtual services per Tier-1 (on average, seeded), SE groups of 2 SEs
 * serving 8 Tier-1s each (8 data NICs per SE). L: 4,000 Tier-1s, 40,000 segments and workloads on
 * 64 hosts, 100,000 virtual services; M: 200 Tier-1s; S: 20 Tier-1s.
 */
export const SIZE_PRESETS: Readonly<Record<Size, Readonly<GenerateOptions>>> = {
  S: sizePreset(20, 8),
  M: sizePreset(200, 32),
  L: sizePreset(4000, 64),
};

function sizePreset(tier1s: number, hosts: number): GenerateOptions {
  return {
    tier1s,
    segmentsPerTier1: 10,
    workloadsPerSegment: 1,
    hosts,
    edges: 8,
    tors: 8,
    bgp: true,
    centralizedEvery: 10,
    virtualServices: tier1s * VS_PER_TIER1,
    seGroupTier1s: 8,
    sesPerGroup: 2,
    poolMembers: 2,
    seed: 1,
  };
}

/**
 * A preset size with any option overridden (`generateSize('M', { tier1s: 300 })`). Overriding
 * tier1s alone keeps 25 virtual services per Tier-1.
 */
export function generateSize(size: Size, overrides: Partial<GenerateOptions> = {}): Scenario {
  const preset = SIZE_PRESETS[size];
  if (!preset) throw new RangeError(`generateSize: size must be one of ${SIZES.join(', ')} (got ${JSON.stringify(size)})`);
  const opts: GenerateOptions = { ...preset };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (opts as unknown as Record<string, unknown>)[k] = v;
  if (overrides.tier1s !== undefined && overrides.virtualServices === undefined) opts.virtualServices = opts.tier1s * VS_PER_TIER1;
  // No virtual services: no SE groups either (asking for both is an error).
  if (opts.virtualServices === 0) {
    if (overrides.seGroupTier1s !== undefined || overrides.sesPerGroup !== undefined) throw new RangeError('generateSize: seGroupTier1s and sesPerGroup need virtualServices');
    delete opts.seGroupTier1s;
    delete opts.sesPerGroup;
  }
  const s = generateScenario(opts);
  s.name = `generated-${size}${Object.keys(overrides).some((k) => overrides[k as keyof GenerateOptions] !== undefined) ? '-custom' : ''}`;
  s.description = `Size ${size}${s.name.endsWith('-custom') ? ' (with overrides)' : ''}. ${s.description}`;
  return s;
}
