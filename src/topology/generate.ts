// Synthetic scenarios of any size, for benchmarks and scale tests. This file owns the shape of a
// generated fabric: one ACTIVE_ACTIVE Tier-0 on an edge cluster (uplinks on a VLAN segment), N
// Tier-1s (every k-th centralized), /24 overlay segments carved from 10.0.0.0/8 in order,
// workloads spread round-robin over the hosts, a ToR with a static 10.0.0.0/8 toward the Tier-0
// uplinks (ECMP) and a client host behind it. Output is a plain Scenario, fully deterministic
// (same options, same document), and valid under validateScenario.
import type { Scenario, SegmentSpec, Tier1Spec, TransportNodeSpec, WorkloadSpec } from './scenario.js';
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
}

/** Names of the fixed objects of a generated scenario (for callers that trace through them). */
export const GENERATED = {
  tier0: 't0',
  edgeCluster: 'edge-cluster-1',
  uplinkSegment: 't0-uplink-vlan',
  tor: 'tor-01',
  client: 'client-01',
  clientIp: '172.31.0.10',
} as const;

const MAX_SEGMENTS = 65536; // /24s in 10.0.0.0/8
const FIRST_WORKLOAD_HOST = 10; // workloads at .10, .11, … of their /24
const MAX_WORKLOADS_PER_SEGMENT = 254 - FIRST_WORKLOAD_HOST + 1;
const MAX_EDGES = 240; // uplinks .11 … .250 of the uplink /24
const TOR_ECMP = 8; // NSX (and settings.maxEcmp) default: at most 8 next hops per static route
const DEFAULT_TRANSIT_LINKS = 32768; // 100.64.0.0/16 holds 32768 /31 router links

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

  return {
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
}
