// A three-edge Tier-0 with one DR-only Tier-1, a workload, a ToR and a client: the small lab
// several engine tests share.
export const THREE_EDGE_LAB = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
  edge-03: { type: edge, tep: 10.0.20.23 }
edgeClusters:
  ec: { members: [edge-01, edge-02, edge-03] }
tier0s:
  t0:
    edgeCluster: ec
    uplinks:
      - { edge: edge-01, segment: up, ip: 10.0.10.11/24 }
      - { edge: edge-02, segment: up, ip: 10.0.10.12/24 }
      - { edge: edge-03, segment: up, ip: 10.0.10.13/24 }
    staticRoutes:
      - { network: 0.0.0.0/0, nextHops: [10.0.10.1] }
tier1s:
  t1: { tier0: t0, advertise: [TIER1_CONNECTED] }
segments:
  up: { type: vlan, vlan: 10, subnet: 10.0.10.0/24 }
  web: { tier1: t1, gateway: 10.1.1.1/24 }
workloads:
  vm1: { host: esx-01, segment: web, ip: 10.1.1.10 }
physicalRouters:
  tor:
    interfaces:
      - { name: vlan10, ip: 10.0.10.1/24, segment: up }
      - { name: lan, ip: 172.16.0.1/24 }
physicalHosts:
  client: { ip: 172.16.0.10/24, gateway: 172.16.0.1 }
`;
