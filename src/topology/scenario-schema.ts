// JSON Schema (draft-07) of the scenario format: the single source of structural truth. Ajv
// validates against it; `npm run schema` writes it to schema/scenario.schema.json for editors.
import { GATEWAY_SERVICES, SE_GROUP_HA_MODES, TIER0_REDISTRIBUTION_TYPES, TIER1_ADVERTISEMENT_TYPES } from './scenario.js';

const name = { type: 'string', minLength: 1 };
const ipv4 = '^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$';
const cidr = ipv4.slice(0, -1) + '/(3[0-2]|[12]?\\d)$';
/** Validation turns a failed address pattern into the same message as its semantic check. */
export const IPV4_PATTERN = ipv4;
export const CIDR_PATTERN = cidr;
export const IFADDR_DESCRIPTION = 'IPv4 interface address, e.g. 10.146.50.1/24';
const ip = { type: 'string', pattern: ipv4, description: 'IPv4 address, e.g. 10.146.10.1' };
const prefix = { type: 'string', pattern: cidr, description: 'IPv4 prefix, e.g. 10.146.50.0/24' };
const ifaddr = { type: 'string', pattern: cidr, description: IFADDR_DESCRIPTION };
// Other patterns: the description completes "must be …" in the problem a mismatch reports.
const urlPath = { type: 'string', pattern: '^/', description: 'a URL path starting with "/"' };
const haMode = { enum: ['ACTIVE_ACTIVE', 'ACTIVE_STANDBY'] };

function obj(properties: Record<string, unknown>, required: string[] = [], description?: string) {
  return { type: 'object', additionalProperties: false, properties, required, ...(description ? { description } : {}) };
}
function mapOf(value: unknown, description: string) {
  return { type: 'object', description, propertyNames: { minLength: 1 }, additionalProperties: value };
}

const nextHop = {
  oneOf: [
    ip,
    obj(
      {
        ip,
        blackhole: { type: 'boolean', description: 'null route: drop matching packets' },
        distance: { type: 'integer', minimum: 1, maximum: 255, description: 'administrative distance (default 1)' },
      },
      [],
      'a next hop: {ip} or {blackhole: true}, optional distance',
    ),
  ],
};
const staticRoute = obj(
  {
    name,
    network: prefix,
    nextHops: { type: 'array', minItems: 1, items: { $ref: '#/definitions/nextHop' } },
    enabled: { type: 'boolean' },
  },
  ['network', 'nextHops'],
);
const staticRoutes = { type: 'array', items: { $ref: '#/definitions/staticRoute' } };
const asn = { type: 'integer', minimum: 1, maximum: 4294967295 };
const prefixLen = { type: 'integer', minimum: 0, maximum: 32 };
const routeMapSet = obj({
  localPreference: { type: 'integer', minimum: 0, maximum: 4294967295 },
  med: { type: 'integer', minimum: 0, maximum: 4294967295 },
  asPathPrepend: { type: 'string', pattern: '^\\d+( \\d+)*$', description: 'AS numbers separated by spaces, e.g. "65146 65146"' },
  community: { type: 'string', description: 'communities, space separated (aa:nn, aa:bb:nn, NO_EXPORT, ...)' },
  communityAdditive: { type: 'boolean' },
  weight: { type: 'integer', minimum: 0, maximum: 65535 },
  nextHopPeerAddress: { type: 'boolean' },
});
const routeFilter = obj({ prefixList: name, routeMap: name }, [], 'one prefix list or one route map');
const nsxPolicy = {
  prefixLists: mapOf(
    { type: 'array', items: obj({ network: { type: 'string' }, action: { enum: ['PERMIT', 'DENY'] }, ge: prefixLen, le: prefixLen }, ['network']) },
    'NSX prefix lists: entries in order, network is a prefix or ANY; no match = deny',
  ),
  communityLists: mapOf({ type: 'array', minItems: 1, items: { type: 'string' } }, 'NSX community lists'),
  routeMaps: mapOf(
    {
      type: 'array',
      items: obj(
        {
          action: { enum: ['PERMIT', 'DENY'] },
          prefixLists: { type: 'array', minItems: 1, items: name },
          communityLists: { type: 'array', minItems: 1, items: obj({ communityList: name, operator: { enum: ['MATCH_ANY', 'MATCH_ALL', 'MATCH_EXACT'] } }, ['communityList']) },
          set: routeMapSet,
        },
        ['action'],
      ),
    },
    'NSX route maps: entries in order; no match = deny',
  ),
};
const frrAction = { enum: ['permit', 'deny'] };
const frrPolicy = {
  prefixLists: mapOf({ type: 'array', items: obj({ seq: { type: 'integer', minimum: 1 }, action: frrAction, prefix, ge: prefixLen, le: prefixLen }, ['action', 'prefix']) }, 'ip prefix-list'),
  communityLists: mapOf({ type: 'array', items: obj({ action: frrAction, communities: { type: 'string' } }, ['action', 'communities']) }, 'bgp community-list standard'),
  asPathLists: mapOf({ type: 'array', items: obj({ action: frrAction, regex: { type: 'string' } }, ['action', 'regex']) }, 'bgp as-path access-list'),
  routeMaps: mapOf(
    {
      type: 'array',
      items: obj(
        {
          seq: { type: 'integer', minimum: 1, maximum: 65535 },
          action: frrAction,
          match: obj({ prefixList: name, communityList: name, asPathList: name }),
          set: routeMapSet,
        },
        ['seq', 'action'],
      ),
    },
    'route-map entries (seq order)',
  ),
};

const firewallRules = {
  type: 'array',
  items: obj(
    {
      name,
      action: { enum: ['ALLOW', 'DROP', 'REJECT'] },
      sources: { type: 'array', items: name },
      destinations: { type: 'array', items: name },
      services: { type: 'array', items: { type: 'string', description: 'tcp/80, udp/53, tcp/8000-8100, icmp or ANY' } },
      enabled: { type: 'boolean' },
    },
    ['name', 'action'],
  ),
};

const natRules = {
  type: 'array',
  items: obj(
    {
      name,
      action: { enum: ['SNAT', 'DNAT', 'REFLEXIVE', 'NO_SNAT', 'NO_DNAT'] },
      section: { enum: ['INTERNAL', 'USER', 'DEFAULT'] },
      sequence: { type: 'integer', minimum: 0 },
      source: { type: 'string' },
      destination: { type: 'string' },
      translated: { type: 'string' },
      translatedPort: { type: 'integer', minimum: 1, maximum: 65535 },
      service: { type: 'string' },
      enabled: { type: 'boolean' },
    },
    ['name', 'action'],
  ),
};

const port = { type: 'integer', minimum: 1, maximum: 65535 };
const labels = { type: 'object', additionalProperties: { type: 'string' }, description: 'Kubernetes labels' };
const avi = obj(
  {
    cloud: obj(
      {
        name,
        managementSegment: name,
        dataNetworks: {
          type: 'array',
          minItems: 1,
          items: obj(
            { tier1: name, segment: name, staticRoutes: { type: 'array', items: obj({ network: prefix, nextHop: ip }, ['network', 'nextHop']) } },
            ['tier1', 'segment'],
            'a Tier-1 and its SE data segment (one Avi VRF)',
          ),
        },
        vipRouteType: { enum: ['LB_VIP', 'STATIC'], description: 'classification of the VIP/32 routes on the Tier-1 (default LB_VIP = t1l)' },
        vrfDefaultRoute: { type: 'boolean', description: '0.0.0.0/0 to the data segment gateway in each Tier-1 VRF (default true)' },
      },
      ['name', 'dataNetworks'],
      'the NSX overlay cloud',
    ),
    networks: mapOf(
      obj({
        segment: name,
        subnet: prefix,
        ranges: { type: 'array', items: obj({ from: ip, to: ip, type: { enum: ['VIP', 'SE', 'VIP_AND_SE'] } }, ['from', 'to']) },
      }),
      'Avi networks by name: an NSX segment or a plain (VIP) subnet, with static ranges',
    ),
    seGroups: mapOf(
      obj(
        {
          haMode: { enum: [...SE_GROUP_HA_MODES] },
          minScaleoutPerVs: { type: 'integer', minimum: 1, maximum: 64 },
          maxVsPerSe: { type: 'integer', minimum: 1, maximum: 1000 },
          algo: { enum: ['PACKED', 'DISTRIBUTED'] },
          serviceEngines: mapOf(obj({ host: name, ips: mapOf(ip, 'fixed SE addresses by segment') }, ['host']), 'SEs by name'),
        },
        ['serviceEngines'],
      ),
      'SE groups by name',
    ),
    pools: mapOf(
      obj(
        {
          members: { type: 'array', items: obj({ ip, port, enabled: { type: 'boolean' } }, ['ip']) },
          defaultPort: port,
          enabled: { type: 'boolean' },
        },
        ['members'],
      ),
      'pools by name',
    ),
    virtualServices: mapOf(
      obj(
        {
          tier1: name,
          seGroup: name,
          vip: obj({ address: ip, network: name }, [], 'a fixed address or a network to allocate from'),
          services: { type: 'array', minItems: 1, items: obj({ port, protocol: { enum: ['TCP', 'UDP'] }, pool: name }, ['port']) },
          pool: name,
          httpRoutes: { type: 'array', items: obj({ host: name, path: urlPath, pool: name }, ['pool']) },
          fqdns: { type: 'array', items: name },
          dns: { type: 'boolean' },
          enabled: { type: 'boolean' },
          trafficEnabled: { type: 'boolean' },
        },
        ['tier1', 'seGroup', 'vip', 'services'],
      ),
      'virtual services by name',
    ),
    dnsDomains: { type: 'array', items: name },
  },
  ['cloud'],
  'NSX Advanced Load Balancer',
);
const k8sCluster = obj(
  {
    cni: { enum: ['ncp', 'antrea'] },
    ncp: obj(
      {
        clusterId: { type: 'string', pattern: '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$', description: 'a cluster UUID in lower-case hex, e.g. 3f2a9c4e-1b7d-4e2a-9c1f-0a1b2c3d4e5f' },
        tier0: name,
        edgeCluster: name,
        tier1: name,
        nodeSubnet: prefix,
        podIpBlock: prefix,
        podSubnetLength: { type: 'integer', minimum: 16, maximum: 30 },
        floatingIpPool: prefix,
        nat: { type: 'boolean' },
      },
      ['clusterId', 'tier0', 'edgeCluster', 'nodeSubnet', 'podIpBlock', 'floatingIpPool'],
    ),
    nodeSegment: name,
    nodes: mapOf(obj({ host: name, role: { enum: ['worker', 'control-plane'] }, ip }, ['host']), 'nodes by name'),
    namespaces: { type: 'array', items: name },
    pods: mapOf({ type: 'array', items: obj({ name, node: name, labels, ip }, ['name', 'node']) }, 'pods per namespace'),
    services: mapOf(
      obj(
        {
          type: { enum: ['LoadBalancer', 'ClusterIP', 'NodePort'] },
          selector: labels,
          ports: { type: 'array', minItems: 1, items: obj({ port, targetPort: port, nodePort: port, protocol: { enum: ['TCP', 'UDP'] } }, ['port']) },
          loadBalancerIP: ip,
        },
        ['selector', 'ports'],
      ),
      'Services by namespace/name',
    ),
    ingresses: mapOf(
      obj(
        {
          rules: {
            type: 'array',
            minItems: 1,
            items: obj({ host: name, paths: { type: 'array', minItems: 1, items: obj({ path: urlPath, service: name, port }, ['service', 'port']) } }, ['host', 'paths']),
          },
        },
        ['rules'],
      ),
      'Ingresses by namespace/name',
    ),
    ako: obj(
      {
        clusterName: name,
        cniPlugin: { enum: ['ncp', 'antrea', 'calico'] },
        serviceType: { enum: ['ClusterIP', 'NodePort', 'NodePortLocal'] },
        nsxtT1LR: name,
        vipNetwork: name,
        seGroup: name,
        autoFQDN: { enum: ['default', 'flat', 'disabled'] },
        defaultDomain: name,
        shardVSSize: { enum: ['LARGE', 'MEDIUM', 'SMALL', 'DEDICATED'] },
      },
      ['clusterName', 'nsxtT1LR', 'vipNetwork', 'seGroup'],
    ),
  },
  ['cni', 'nodes'],
);

export const scenarioSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://nsx-twin.dev/schema/scenario.schema.json',
  title: 'nsx-twin scenario',
  type: 'object',
  additionalProperties: false,
  required: ['transportNodes'],
  definitions: { nextHop, staticRoute },
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    extends: { type: 'string', description: 'path of a base scenario, relative to this file' },
    settings: obj({
      ttl: { type: 'integer', minimum: 1, maximum: 255 },
      maxEcmp: { type: 'integer', minimum: 1, maximum: 64 },
      maxPaths: { type: 'integer', minimum: 1, maximum: 100000 },
    }),
    transportNodes: mapOf(
      obj({ type: { enum: ['host', 'edge'] }, tep: ip }, ['type', 'tep']),
      'ESXi hosts and edge nodes by name, with their TEP address',
    ),
    edgeClusters: mapOf(
      obj({ members: { type: 'array', minItems: 1, items: name } }, ['members']),
      'edge clusters by name',
    ),
    tier0s: mapOf(
      obj(
        {
          haMode,
          edgeCluster: name,
          internalTransitSubnet: prefix,
          transitSubnet: prefix,
          uplinks: {
            type: 'array',
            items: obj({ name, edge: name, segment: name, ip: ifaddr }, ['edge', 'segment', 'ip']),
          },
          staticRoutes,
          bgp: obj(
            {
              localAs: asn,
              enabled: { type: 'boolean' },
              ecmp: { type: 'boolean' },
              multipathRelax: { type: 'boolean' },
              interSrIbgp: { type: 'boolean' },
              neighbors: {
                type: 'array',
                items: obj(
                  {
                    name,
                    address: ip,
                    remoteAs: asn,
                    sourceAddresses: { type: 'array', minItems: 1, maxItems: 8, items: ip },
                    allowAsIn: { type: 'boolean' },
                    in: routeFilter,
                    out: routeFilter,
                  },
                  ['address', 'remoteAs'],
                ),
              },
              aggregations: { type: 'array', items: obj({ prefix, summaryOnly: { type: 'boolean' } }, ['prefix']) },
            },
            ['localAs'],
          ),
          redistribution: {
            type: 'array',
            items: obj({ name, types: { type: 'array', minItems: 1, items: { enum: [...TIER0_REDISTRIBUTION_TYPES] } }, routeMap: name }, ['name', 'types']),
          },
          ...nsxPolicy,
          gatewayFirewall: firewallRules,
          nat: natRules,
        },
        ['edgeCluster'],
      ),
      'Tier-0 gateways by name',
    ),
    tier1s: mapOf(
      obj({
        tier0: name,
        edgeCluster: name,
        edges: { type: 'array', minItems: 1, maxItems: 2, items: name },
        haMode,
        advertise: { type: 'array', items: { enum: [...TIER1_ADVERTISEMENT_TYPES] } },
        advertisementRules: {
          type: 'array',
          items: obj(
            {
              name,
              action: { enum: ['PERMIT', 'DENY'] },
              subnets: { type: 'array', minItems: 1, items: prefix },
              prefixOperator: { enum: ['GE', 'EQ'] },
              types: { type: 'array', items: { enum: [...TIER1_ADVERTISEMENT_TYPES] } },
            },
            ['name', 'subnets'],
          ),
        },
        staticRoutes,
        services: { type: 'array', items: { enum: [...GATEWAY_SERVICES] } },
        gatewayFirewall: firewallRules,
        nat: natRules,
      }),
      'Tier-1 gateways by name',
    ),
    segments: mapOf(
      obj({
        type: { enum: ['overlay', 'vlan'] },
        vlan: { type: 'integer', minimum: 0, maximum: 4094 },
        gateway: ifaddr,
        subnet: prefix,
        tier0: name,
        tier1: name,
      }),
      'segments by name',
    ),
    workloads: mapOf(obj({ host: name, segment: name, ip }, ['host', 'segment', 'ip']), 'VMs by name'),
    physicalRouters: mapOf(
      obj(
        {
          interfaces: {
            type: 'array',
            minItems: 1,
            items: obj({ name, ip: ifaddr, segment: name, external: { type: 'boolean' } }, ['name', 'ip']),
          },
          staticRoutes,
          bgp: obj(
            {
              asn,
              routerId: ip,
              ebgpRequiresPolicy: { type: 'boolean' },
              maximumPaths: { type: 'integer', minimum: 1, maximum: 64 },
              maximumPathsIbgp: { type: 'integer', minimum: 1, maximum: 64 },
              multipathRelax: { type: 'boolean' },
              alwaysCompareMed: { type: 'boolean' },
              neighbors: {
                type: 'array',
                items: obj(
                  {
                    address: ip,
                    remoteAs: asn,
                    routeMapIn: name,
                    routeMapOut: name,
                    prefixListIn: name,
                    prefixListOut: name,
                    nextHopSelf: { type: 'boolean' },
                    defaultOriginate: { type: 'boolean' },
                    allowAsIn: { oneOf: [{ type: 'boolean' }, { type: 'integer', minimum: 1, maximum: 10 }] },
                    weight: { type: 'integer', minimum: 0, maximum: 65535 },
                  },
                  ['address', 'remoteAs'],
                ),
              },
              networks: { type: 'array', items: prefix },
              redistribute: { type: 'array', items: obj({ type: { enum: ['connected', 'static'] }, routeMap: name }, ['type']) },
              aggregates: { type: 'array', items: obj({ prefix, summaryOnly: { type: 'boolean' } }, ['prefix']) },
            },
            ['asn'],
          ),
          ...frrPolicy,
        },
        ['interfaces'],
      ),
      'routers outside NSX (ToR, core) by name',
    ),
    physicalHosts: mapOf(obj({ ip: ifaddr, gateway: ip, segment: name }, ['ip']), 'hosts outside NSX by name'),
    failed: { type: 'array', items: name, description: 'failed edges, hosts, physical routers/hosts or workloads' },
    distributedFirewall: firewallRules,
    avi,
    kubernetes: mapOf(k8sCluster, 'Kubernetes clusters by name'),
  },
} as const;
