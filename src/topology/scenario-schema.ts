// JSON Schema (draft-07) of the scenario format: the single source of structural truth. Ajv
// validates against it; `npm run schema` writes it to schema/scenario.schema.json for editors.
import { GATEWAY_SERVICES, TIER1_ADVERTISEMENT_TYPES } from './scenario.js';

const name = { type: 'string', minLength: 1 };
const ipv4 = '^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$';
const cidr = ipv4.slice(0, -1) + '/(3[0-2]|[12]?\\d)$';
const ip = { type: 'string', pattern: ipv4, description: 'IPv4 address, e.g. 10.146.10.1' };
const prefix = { type: 'string', pattern: cidr, description: 'IPv4 prefix, e.g. 10.146.50.0/24' };
const ifaddr = { type: 'string', pattern: cidr, description: 'IPv4 interface address, e.g. 10.146.50.1/24' };
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
        },
        ['interfaces'],
      ),
      'routers outside NSX (ToR, core) by name',
    ),
    physicalHosts: mapOf(obj({ ip: ifaddr, gateway: ip, segment: name }, ['ip']), 'hosts outside NSX by name'),
  },
} as const;
