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
import type { AviSpec, PoolSpec, Scenario, SegmentSpec, ServiceEngineSpec, Tier1Spec, TransportNodeSpec, VirtualServiceSpec, WorkloadSpec } from './scenario.js';
import { formatIp } from './ip.js';

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
}

/** Names of the fixed objects of a generated scenario (for callers that trace through them). */
export const GENERATED = {
  tier0: 't0',
  edgeCluster: 'edge-cluster-1',
  uplinkSegment: 't0-uplink-vlan',
  tor: 'tor-01',
  client: 'client-01',
  clientIp: '172.31.0.10',
  aviCloud: 'nsx-cloud',
  seGroup: 'se-group-1',
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
const TOR_ECMP = 8; // NSX (and settings.maxEcmp) default: at most 8 next hops per static route
const DEFAULT_TRANSIT_LINKS = 32768; // 100.64.0.0/16 holds 32768 /31 router links
// NSX ALB: SE data /24s from 172.20.0.0/14 (1024 of them), VIPs from 172.24.0.0/14.
const SE_DATA_BASE = 0xac140000; // 172.20.0.0
const SE_DATA_BLOCK = '172.20.0.0/14';
const MAX_VS_TIER1S = 1024;
const FIRST_SE_HOST = 10; // SE range .10–.254 of each data /24
const MAX_SERVICE_ENGINES = 254 - FIRST_SE_HOST + 1;
const VIP_BASE = 0xac180000; // 172.24.0.0
const VIP_SUBNET = '172.24.0.0/14';
const FIRST_VIP = VIP_BASE + 10;
const MAX_VIRTUAL_SERVICES = 0x40000 - 10 - 1; // .10 up to the last address before broadcast
const AVI_MAX_VS_PER_SE = 1000; // Avi's ceiling for se_group.max_vs_per_se
const AVI_DEFAULT_MAX_VS_PER_SE = 10;
const PAIR = 2; // HA_MODE_SHARED_PAIR places every VS on two SEs

const pad = (n: number, width: number) => String(n).padStart(width, '0');
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
  if (tier1s * segmentsPerTier1 > MAX_SEGMENTS) {
    throw new RangeError(`generateScenario: ${tier1s * segmentsPerTier1} segments do not fit 10.0.0.0/8 as /24s (at most ${MAX_SEGMENTS})`);
  }

  const hostW = digits(hosts);
  const edgeW = digits(edges);
  const t1W = digits(tier1s);
  const segW = digits(segmentsPerTier1);
  const wlW = digits(workloadsPerSegment);

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
          host: hostNames[workloadIndex % hosts],
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
  const tier0: Scenario['tier0s'] = {
    [GENERATED.tier0]: {
      haMode: 'ACTIVE_ACTIVE',
      edgeCluster: GENERATED.edgeCluster,
      ...(tier1s > DEFAULT_TRANSIT_LINKS ? { transitSubnet: `100.64.0.0/${transitLen}` } : {}),
      uplinks: edgeNames.map((edge, e) => ({ name: `uplink-${edge}`, edge, segment: GENERATED.uplinkSegment, ip: `${uplinkIp(e)}/24` })),
      staticRoutes: [{ name: 'default-to-tor', network: '0.0.0.0/0', nextHops: ['192.168.0.1'] }],
    },
  };

  const vsCount = opts.virtualServices ?? 0;
  const scenario: Scenario = {
    name: `generated-${tier1s}x${segmentsPerTier1}x${workloadsPerSegment}`,
    description:
      `Generated: ${tier1s} Tier-1s × ${segmentsPerTier1} segments × ${workloadsPerSegment} workloads, ` +
      `${hosts} hosts, ${edges} edges${centralizedEvery ? `, every ${centralizedEvery}th Tier-1 centralized` : ''}.`,
    transportNodes,
    edgeClusters: { [GENERATED.edgeCluster]: { members: edgeNames } },
    tier0s: tier0,
    tier1s: tier1Specs,
    segments,
    workloads,
    physicalRouters: {
      [GENERATED.tor]: {
        interfaces: [
          { name: 'vlan10', ip: '192.168.0.1/24', segment: GENERATED.uplinkSegment },
          { name: 'clients', ip: '172.31.0.1/24' },
        ],
        staticRoutes: [
          // ECMP toward the Tier-0 uplinks, at most 8 next hops (the default maxEcmp).
          { name: 'nsx', network: '10.0.0.0/8', nextHops: edgeNames.slice(0, TOR_ECMP).map((_, e) => uplinkIp(e)) },
        ],
      },
    },
    physicalHosts: {
      [GENERATED.client]: { ip: `${GENERATED.clientIp}/24`, gateway: '172.31.0.1' },
    },
  };
  if (vsCount > 0) addLoadBalancer(scenario, opts, hostNames, edgeNames.slice(0, TOR_ECMP).map((_, e) => uplinkIp(e)));
  return scenario;
}

/**
 * Adds the NSX ALB objects to a generated scenario (in place): SE data segments on the Tier-1s
 * that host virtual services (which also advertise TIER1_LB_VIP), the avi section, and ToR routes
 * to the SE data and VIP blocks.
 */
function addLoadBalancer(s: Scenario, opts: GenerateOptions, hostNames: readonly string[], torNextHops: string[]): void {
  const { tier1s, segmentsPerTier1, workloadsPerSegment } = opts;
  const vsCount = opts.virtualServices!;
  if (workloadsPerSegment < 1) throw new RangeError('generateScenario: virtualServices needs workloadsPerSegment ≥ 1 (pool members are workloads)');
  const vsTier1s = Math.min(vsCount, tier1s); // VS i → Tier-1 i mod tier1s: the first vsTier1s host some
  if (vsTier1s > MAX_VS_TIER1S) {
    throw new RangeError(`generateScenario: ${vsTier1s} Tier-1s with virtual services need as many SE data /24s; ${SE_DATA_BLOCK} holds ${MAX_VS_TIER1S}`);
  }
  // Every VS is on two SEs; DISTRIBUTED placement keeps SE loads within one of each other, so
  // ceil(2V / SEs) per SE places them all.
  const minSes = Math.max(PAIR, Math.ceil((PAIR * vsCount) / AVI_MAX_VS_PER_SE));
  const seCount = opts.serviceEngines ?? minSes;
  if (minSes > MAX_SERVICE_ENGINES) throw new RangeError(`generateScenario: ${vsCount} virtual services need ${minSes} SEs; the SE range of a data /24 holds ${MAX_SERVICE_ENGINES}`);
  if (seCount < minSes) throw new RangeError(`generateScenario: ${vsCount} virtual services need at least ${minSes} SEs (maxVsPerSe is at most ${AVI_MAX_VS_PER_SE})`);
  const maxVsPerSe = Math.max(AVI_DEFAULT_MAX_VS_PER_SE, Math.ceil((PAIR * vsCount) / seCount));
  const poolSize = opts.poolMembers ?? 2;

  const t1W = digits(tier1s);
  const t1Name = (t: number) => `t1-${pad(t + 1, t1W)}`;

  const dataNetworks: AviSpec['cloud']['dataNetworks'] = [];
  const networks: NonNullable<AviSpec['networks']> = {};
  for (let t = 0; t < vsTier1s; t++) {
    const t1 = t1Name(t);
    const seg = aviDataSegment(t1);
    const base = SE_DATA_BASE + t * 256;
    s.segments![seg] = { tier1: t1, gateway: `${formatIp(base + 1)}/24` };
    s.tier1s![t1].advertise = ['TIER1_CONNECTED', 'TIER1_LB_VIP'];
    dataNetworks.push({ tier1: t1, segment: seg });
    networks[seg] = { segment: seg, ranges: [{ from: formatIp(base + FIRST_SE_HOST), to: formatIp(base + 254), type: 'SE' }] };
  }
  networks[GENERATED.vipNetwork] = { subnet: VIP_SUBNET, ranges: [{ from: formatIp(FIRST_VIP), to: formatIp(FIRST_VIP + vsCount - 1), type: 'VIP' }] };

  const seW = digits(seCount);
  const serviceEngines: Record<string, ServiceEngineSpec> = {};
  for (let e = 0; e < seCount; e++) serviceEngines[`se-${pad(e + 1, seW)}`] = { host: hostNames[e % hostNames.length] };

  // Pool of VS i (the k-th on its Tier-1): poolSize consecutive workloads of that Tier-1, from the
  // k·poolSize-th on (wrapping), so the pools of a Tier-1 rotate over its workloads.
  const perTier1 = segmentsPerTier1 * workloadsPerSegment;
  const members = Math.min(poolSize, perTier1);
  const vsW = digits(vsCount);
  const pools: Record<string, PoolSpec> = {};
  const virtualServices: Record<string, VirtualServiceSpec> = {};
  for (let i = 0; i < vsCount; i++) {
    const t = i % tier1s;
    const k = Math.floor(i / tier1s);
    const vs = `vs-${pad(i + 1, vsW)}`;
    const pool = `pool-${pad(i + 1, vsW)}`;
    const list: { ip: string }[] = [];
    for (let m = 0; m < members; m++) {
      const j = (k * members + m) % perTier1;
      const seg = t * segmentsPerTier1 + Math.floor(j / workloadsPerSegment);
      list.push({ ip: formatIp((10 << 24) + seg * 256 + FIRST_WORKLOAD_HOST + (j % workloadsPerSegment)) });
    }
    pools[pool] = { members: list };
    virtualServices[vs] = { tier1: t1Name(t), seGroup: GENERATED.seGroup, vip: { network: GENERATED.vipNetwork }, services: [{ port: GENERATED.vsPort }], pool };
  }

  s.avi = {
    cloud: { name: GENERATED.aviCloud, dataNetworks },
    networks,
    seGroups: { [GENERATED.seGroup]: { haMode: 'HA_MODE_SHARED_PAIR', algo: 'DISTRIBUTED', maxVsPerSe, serviceEngines } },
    pools,
    virtualServices,
  };
  s.description += ` NSX ALB: ${vsCount} virtual services on ${vsTier1s} Tier-1s, ${seCount} SEs (HA_MODE_SHARED_PAIR).`;
  s.physicalRouters![GENERATED.tor].staticRoutes!.push(
    { name: 'avi-se-data', network: SE_DATA_BLOCK, nextHops: torNextHops },
    { name: 'avi-vips', network: VIP_SUBNET, nextHops: torNextHops },
  );
}
