// What each topology in test/frr/topologies is meant to show, checked against FRR itself (so a
// topology that silently stops testing its step — e.g. a path decided one step earlier — fails
// even before nsx-twin is compared). Keys are topology file names without .yaml.
import type { TopologyExpectations } from './compare.js';

const L = null; // locally originated: peer null

export const EXPECTATIONS: Record<string, TopologyExpectations> = {
  'ebgp-basic': {
    paths: [
      { router: 'r1', prefix: '10.2.0.0/24', peer: '10.0.12.2', nextHop: '10.0.12.2', asPath: [65002], origin: 'igp', med: 0, localPref: null, weight: 0, best: true },
      { router: 'r1', prefix: '10.1.0.0/24', peer: L, nextHop: '0.0.0.0', asPath: [], weight: 32768, med: 0, best: true },
      { router: 'r2', prefix: '10.1.0.0/24', peer: '10.0.12.1', asPath: [65001], best: true },
    ],
    fib: [
      { router: 'r1', prefix: '10.2.0.0/24', hops: ['10.0.12.2@eth-r2'] },
      { router: 'r2', prefix: '10.1.0.0/24', hops: ['10.0.12.1@eth-r1'] },
    ],
  },
  'ibgp-split-horizon': {
    paths: [
      { router: 'r3', prefix: '10.1.0.0/24', peer: '10.0.23.2', nextHop: '10.0.12.1', localPref: 100, asPath: [65001], best: true, valid: true },
      { router: 'r1', prefix: '10.3.0.0/24', peer: '10.0.12.2', asPath: [65002], med: null, best: true },
    ],
    prefixes: [
      { router: 'r4', prefixes: ['10.3.0.0/24', '10.4.0.0/24'] },
      { router: 'r2', prefixes: ['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24'] },
      { router: 'r1', prefixes: ['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24'] },
    ],
    fib: [{ router: 'r3', prefix: '10.1.0.0/24', hops: ['10.0.12.1@to-r2'] }],
  },
  'next-hop-self': {
    paths: [
      { router: 'r3', prefix: '10.1.0.0/24', nextHop: '10.0.23.2', best: true, localPref: 100 },
      { router: 'r4', prefix: '10.1.0.0/24', nextHop: '10.0.24.2', best: true },
      { router: 'r5', prefix: '10.1.0.0/24', nextHop: '10.0.12.1', best: false, valid: false },
    ],
    fib: [
      { router: 'r3', prefix: '10.1.0.0/24', hops: ['10.0.23.2@to-r2'] },
      { router: 'r4', prefix: '10.1.0.0/24', hops: ['10.0.24.2@to-r2'] },
    ],
  },
  'bestpath-weight': {
    paths: [
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.13.3', weight: 100, asPath: [65003, 65003, 65003], best: true, reason: 'Weight' },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.12.2', weight: 0, best: false },
      { router: 'r1', prefix: '10.9.2.0/24', peer: '10.0.12.2', weight: 200, best: true, reason: 'Weight' },
      { router: 'r1', prefix: '10.9.2.0/24', peer: '10.0.13.3', weight: 100, best: false },
    ],
  },
  'bestpath-local-pref': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', localPref: 200, asPath: [65002, 65002, 65002], best: true, reason: 'Local Pref' },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', localPref: null, best: false },
      { router: 'r4', prefix: '10.9.0.0/24', peer: '10.0.14.1', nextHop: '10.0.14.1', localPref: 200, best: true },
    ],
  },
  'bestpath-local-origin': {
    paths: [
      { router: 'r1', prefix: '10.9.1.0/24', peer: L, weight: 32768, best: true, reason: 'Local Route' },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.12.2', weight: 32768, best: false },
      { router: 'r1', prefix: '10.9.2.0/24', peer: '10.0.12.2', localPref: 200, best: true, reason: 'Local Pref' },
      { router: 'r2', prefix: '10.9.1.0/24', peer: L, best: true, reason: 'Weight' },
    ],
    // The BGP route is in zebra but loses to the static blackhole (distance 1 < 20).
    fib: [{ router: 'r1', prefix: '10.9.2.0/24', selected: false, hops: ['10.0.12.2@to-r2'] }],
  },
  'bestpath-as-path': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', asPath: [65002], best: true, reason: 'AS Path' },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', asPath: [65003, 65003], best: false },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.13.3', asPath: [65003, 65004], med: null, best: true, reason: 'AS Path' },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.12.2', asPath: [65002, 65002, 65002, 65002], best: false },
    ],
  },
  'bestpath-origin': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', origin: 'igp', best: true, reason: 'Origin' },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', origin: 'incomplete', best: false },
    ],
  },
  'bestpath-med': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', med: 10, best: true, multipath: false, reason: 'MED' },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', med: 50, best: false, multipath: false },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.12.2', med: 5, best: true, reason: 'MED' },
    ],
  },
  'bestpath-med-always-compare': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', med: 10, best: true, reason: 'MED' },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', med: 50, best: false },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.13.3', med: null, asPath: [65003, 65004], best: true, reason: 'MED' },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.12.2', med: 50, asPath: [65002, 65002], best: false },
    ],
  },
  'bestpath-ebgp-over-ibgp': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', best: true, reason: 'Peer Type' },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', nextHop: '10.0.12.2', localPref: 100, asPath: [65004], best: false },
      { router: 'r2', prefix: '10.9.0.0/24', peer: '10.0.24.4', best: true, reason: 'Peer Type' },
      { router: 'r2', prefix: '10.9.0.0/24', peer: '10.0.12.1', nextHop: '10.0.12.1', asPath: [65003], best: false },
    ],
  },
  'bestpath-router-id': {
    paths: [
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.0.3', best: true, multipath: false, reason: 'Router ID' },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.0.2', best: false, multipath: false },
      { router: 'r1', prefix: '10.9.2.0/24', peer: '10.0.14.4', best: true, reason: 'Neighbor IP' },
      { router: 'r1', prefix: '10.9.2.0/24', peer: '10.0.114.4', best: false },
    ],
    fib: [
      { router: 'r1', prefix: '10.9.1.0/24', hops: ['10.0.0.3@lan'] },
      { router: 'r1', prefix: '10.9.2.0/24', hops: ['10.0.14.4@to-r4-a'] },
    ],
  },
  'route-map-set': {
    paths: [
      { router: 'r2', prefix: '10.1.1.0/24', asPath: [65001, 65001, 65001], communities: ['65001:1'], localPref: 300, med: 77 },
      { router: 'r2', prefix: '10.1.2.0/24', communities: ['65001:2', '65001:22', '65002:20'] },
      { router: 'r2', prefix: '10.1.3.0/24', communities: ['no-export'], largeCommunities: ['65001:1:3'] },
      { router: 'r2', prefix: '10.1.4.0/24', communities: ['65001:3'], largeCommunities: ['65001:1:3'] },
      { router: 'r4', prefix: '10.1.1.0/24', nextHop: '10.0.24.2', localPref: 300, med: 77 },
      { router: 'r4', prefix: '10.1.3.0/24', communities: ['no-export'], localPref: 100 },
      { router: 'r3', prefix: '10.1.1.0/24', asPath: [65002, 65001, 65001, 65001], communities: ['65001:1'], localPref: null, med: null },
    ],
    prefixes: [{ router: 'r3', prefixes: ['10.1.1.0/24', '10.1.2.0/24', '10.1.4.0/24'] }],
  },
  'prefix-list': {
    prefixes: [
      { router: 'r2', prefixes: ['10.8.1.0/24', '10.8.2.0/25', '10.7.0.0/24'] },
      { router: 'r3', prefixes: ['10.8.0.0/16', '10.7.1.0/25'] },
    ],
  },
  'community-list': {
    paths: [
      { router: 'r2', prefix: '10.6.1.0/24', localPref: 150, med: 0, weight: 0 },
      { router: 'r2', prefix: '10.6.2.0/24', localPref: null, med: 20 },
      { router: 'r2', prefix: '10.6.3.0/24', localPref: 250, med: 0 },
      { router: 'r2', prefix: '10.6.5.0/24', localPref: null, med: 20, communities: ['65001:100', '65001:200'] },
      { router: 'r2', prefix: '10.6.6.0/24', weight: 7, largeCommunities: ['65001:7:7'] },
    ],
    absent: [{ router: 'r2', prefixes: ['10.6.4.0/24'] }],
  },
  'as-path-list': {
    paths: [
      { router: 'r1', prefix: '10.5.2.0/24', asPath: [65002], localPref: 120, med: 0 },
      { router: 'r1', prefix: '10.5.3.0/24', asPath: [65002, 65003], localPref: null, med: 33 },
    ],
    absent: [{ router: 'r1', prefixes: ['10.5.4.0/24'] }],
    prefixes: [{ router: 'r2', prefixes: ['10.5.2.0/24', '10.5.3.0/24', '10.5.4.0/24'] }],
  },
  redistribute: {
    paths: [
      { router: 'r1', prefix: '10.1.1.0/24', peer: L, origin: 'incomplete', communities: ['65001:10'], med: 0, weight: 32768 },
      { router: 'r2', prefix: '10.1.2.0/24', origin: 'incomplete', communities: ['65001:10'] },
      { router: 'r2', prefix: '10.3.1.0/24', origin: 'incomplete', med: 20, communities: [] },
      { router: 'r2', prefix: '10.3.3.0/24', origin: 'incomplete', med: 20 },
    ],
    prefixes: [{ router: 'r2', prefixes: ['10.1.1.0/24', '10.1.2.0/24', '10.3.1.0/24', '10.3.3.0/24'] }],
  },
  aggregate: {
    paths: [
      { router: 'r1', prefix: '10.20.0.0/16', peer: L, nextHop: '0.0.0.0', best: true, suppressed: false },
      { router: 'r1', prefix: '10.30.0.0/16', peer: L, best: true },
      { router: 'r1', prefix: '10.30.1.0/24', peer: L, best: true, suppressed: true },
      { router: 'r1', prefix: '10.20.1.0/24', peer: L, best: true, suppressed: false },
      { router: 'r2', prefix: '10.30.0.0/16', asPath: [65001], origin: 'igp' },
    ],
    prefixes: [{ router: 'r2', prefixes: ['10.20.0.0/16', '10.20.1.0/24', '10.20.2.0/24', '10.30.0.0/16'] }],
    // FRR installs its aggregates as blackhole routes.
    fib: [{ router: 'r1', prefix: '10.30.0.0/16', hops: ['null@null'] }],
  },
  // An aggregate's ORIGIN is the worst of its contributors' (FRR bgp_aggregate_route).
  'aggregate-origin': {
    paths: [
      { router: 'r1', prefix: '10.9.1.1/32', peer: L, origin: 'incomplete', best: true },
      { router: 'r1', prefix: '10.9.1.0/24', peer: L, nextHop: '0.0.0.0', asPath: [], origin: 'incomplete', best: true },
      { router: 'r1', prefix: '10.20.1.0/24', peer: L, origin: 'igp', best: true },
      { router: 'r1', prefix: '10.20.0.0/16', peer: L, origin: 'incomplete', best: true },
      { router: 'r1', prefix: '10.40.1.0/24', peer: L, origin: 'incomplete', best: true, suppressed: true },
      { router: 'r1', prefix: '10.40.0.0/16', peer: L, origin: 'incomplete', best: true },
      { router: 'r2', prefix: '10.9.1.0/24', peer: '10.0.12.1', asPath: [65001], origin: 'incomplete', best: true },
      { router: 'r2', prefix: '10.20.0.0/16', peer: '10.0.12.1', asPath: [65001], origin: 'incomplete', best: true },
      { router: 'r2', prefix: '10.40.0.0/16', peer: '10.0.12.1', asPath: [65001], origin: 'incomplete', best: true },
    ],
    prefixes: [{ router: 'r2', prefixes: ['10.9.1.0/24', '10.9.1.1/32', '10.20.0.0/16', '10.20.1.0/24', '10.20.2.0/24', '10.40.0.0/16'] }],
    fib: [{ router: 'r1', prefix: '10.9.1.0/24', hops: ['null@null'] }],
  },
  'aggregate-origin-received': {
    paths: [
      { router: 'r1', prefix: '10.50.1.0/24', peer: '10.0.12.2', origin: 'incomplete', best: true },
      { router: 'r1', prefix: '10.50.0.0/16', peer: L, origin: 'incomplete', best: true },
      { router: 'r1', prefix: '10.60.1.0/24', peer: L, origin: 'igp', best: true },
      { router: 'r1', prefix: '10.60.1.0/24', peer: '10.0.12.2', origin: 'incomplete', best: false, valid: true },
      { router: 'r1', prefix: '10.60.0.0/16', peer: L, origin: 'incomplete', best: true },
      { router: 'r1', prefix: '10.70.1.0/24', peer: L, best: false, valid: false },
      { router: 'r2', prefix: '10.50.0.0/16', peer: '10.0.12.1', origin: 'incomplete', best: true },
      { router: 'r2', prefix: '10.60.0.0/16', peer: '10.0.12.1', origin: 'incomplete', best: true },
    ],
    absent: [{ router: 'r1', prefixes: ['10.70.0.0/16'] }],
    prefixes: [{ router: 'r2', prefixes: ['10.50.0.0/16', '10.50.1.0/24', '10.50.2.0/24', '10.60.0.0/16', '10.60.1.0/24'] }],
  },
  'default-originate': {
    paths: [
      { router: 'r2', prefix: '0.0.0.0/0', peer: '10.0.12.1', asPath: [65001], origin: 'igp', best: true },
      { router: 'r3', prefix: '0.0.0.0/0', peer: '10.0.23.2', asPath: [65002, 65001], best: true },
    ],
    prefixes: [{ router: 'r1', prefixes: [] }],
    fib: [{ router: 'r3', prefix: '0.0.0.0/0', hops: ['10.0.23.2@to-r2'] }],
  },
  'multipath-ebgp': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', multipath: true },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', multipath: true },
      { router: 'r5', prefix: '10.9.0.0/24', peer: '10.0.25.2', multipath: false },
      { router: 'r5', prefix: '10.9.0.0/24', peer: '10.0.35.3', multipath: false },
    ],
    fib: [{ router: 'r1', prefix: '10.9.0.0/24', hops: ['10.0.12.2@to-r2', '10.0.13.3@to-r3'] }],
  },
  'multipath-relax': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.12.2', asPath: [65002], multipath: true },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.13.3', asPath: [65003], multipath: true },
      { router: 'r4', prefix: '10.9.0.0/24', peer: '10.0.24.2', multipath: false },
      { router: 'r4', prefix: '10.9.0.0/24', peer: '10.0.34.3', multipath: false },
    ],
    fib: [{ router: 'r1', prefix: '10.9.0.0/24', hops: ['10.0.12.2@to-r2', '10.0.13.3@to-r3'] }],
  },
  'multipath-ibgp': {
    paths: [
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.0.2', best: true, multipath: true, reason: 'Router ID' },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.0.3', best: false, multipath: true },
      { router: 'r1', prefix: '10.9.0.0/24', peer: '10.0.0.4', best: false, multipath: false },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.0.3', best: true, multipath: true, reason: 'Router ID' },
      { router: 'r1', prefix: '10.9.1.0/24', peer: '10.0.0.4', best: false, multipath: true },
    ],
    fib: [
      { router: 'r1', prefix: '10.9.0.0/24', hops: ['10.0.0.2@lan', '10.0.0.3@lan'] },
      { router: 'r1', prefix: '10.9.1.0/24', hops: ['10.0.0.3@lan', '10.0.0.4@lan'] },
    ],
  },
  'network-import-check': {
    paths: [
      { router: 'r1', prefix: '10.1.0.0/24', peer: L, best: true, valid: true },
      { router: 'r1', prefix: '10.77.0.0/24', peer: L, nextHop: '0.0.0.0', best: false, valid: false },
      { router: 'r2', prefix: '10.0.12.0/24', peer: '10.0.12.1', asPath: [65001], best: true },
    ],
    prefixes: [{ router: 'r2', prefixes: ['10.0.12.0/24', '10.1.0.0/24'] }],
    fib: [
      { router: 'r2', prefix: '10.0.12.0/24', selected: false, hops: ['10.0.12.1@null'] },
      { router: 'r2', prefix: '10.1.0.0/24', selected: true, hops: ['10.0.12.1@to-r1'] },
    ],
  },
  'as-path-loop': {
    prefixes: [
      { router: 'r3', prefixes: ['10.3.0.0/24'] },
      { router: 'r1', prefixes: ['10.1.1.0/24', '10.1.2.0/24'] },
      { router: 'r4', prefixes: ['10.1.1.0/24', '10.3.0.0/24', '10.4.0.0/24'] },
    ],
    paths: [
      { router: 'r4', prefix: '10.1.1.0/24', asPath: [65002, 65001], best: true },
      { router: 'r4', prefix: '10.4.0.0/24', peer: '10.0.24.2', asPath: [65002, 65001], best: false },
      { router: 'r4', prefix: '10.4.0.0/24', peer: L, best: true, reason: 'Weight' },
      { router: 'r2', prefix: '10.1.2.0/24', asPath: [65001, 65001] },
    ],
  },
};
