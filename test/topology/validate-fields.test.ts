// Regression tests for validation before realization: every address, prefix, AS and pattern field
// of every section (avi, kubernetes, routing policy) is checked — one precise problem per bad field
// — so realization never meets an unparsed value; name lookups are own-property only; prototype
// member names work as ordinary names end to end; duplicate and overlap sets are one problem each
// (found in n log n); and the problem list is capped.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/topology/load.js';
import { formatProblem, ScenarioError, type Problem } from '../../src/topology/errors.js';
import { MAX_PROBLEMS, overlapSets, validateScenario } from '../../src/topology/validate.js';
import { parsePrefix } from '../../src/topology/ip.js';
import { realize } from '../../src/topology/realize/index.js';
import { buildTwin } from '../../src/engine/twin.js';

const read = (p: string) => readFileSync(`scenarios/${p}`, 'utf8');
const BASES: Record<string, string> = {
  'reference-lab.yaml': read('reference-lab.yaml'),
  'tkgi-byot.yaml': read('tkgi-byot.yaml'),
  'tkgi-byot-nat.yaml': read('tkgi-byot-nat.yaml'),
};

/** Problems of `extends: <base>` plus `yaml` (formatted), [] when it loads. */
function problems(base: string, yaml: string): string[] {
  try {
    loadScenarioText(`extends: ${base}\n${yaml}`, 'variant.yaml', BASES);
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e; // an internal error fails the test
    return e.problems.map(formatProblem);
  }
}
const CLUSTER = 'kubernetes:\n  tkgi-cluster-1:\n';

describe('every address, prefix and pattern field is validated before realization', () => {
  it.each([
    ['nodeSubnet', 'tkgi-byot.yaml', 'nodeSubnet: not-a-prefix', 'invalid IPv4 prefix "not-a-prefix" (expected a.b.c.d/len)'],
    ['podIpBlock', 'tkgi-byot.yaml', 'podIpBlock: 10.146.128.0', 'invalid IPv4 prefix "10.146.128.0" (expected a.b.c.d/len)'],
    ['floatingIpPool', 'tkgi-byot-nat.yaml', 'floatingIpPool: pool', 'invalid IPv4 prefix "pool" (expected a.b.c.d/len)'],
    ['nodeSubnet', 'tkgi-byot.yaml', 'nodeSubnet: 10.146.42.1/24', '"10.146.42.1/24" has host bits set (did you mean "10.146.42.0/24"?)'],
  ])('ncp.%s (%s, %s): one problem on the field, no internal error', (field, base, set, message) => {
    expect(problems(base, `${CLUSTER}    ncp: { ${set} }\n`)).toEqual([`variant.yaml: kubernetes.tkgi-cluster-1.ncp.${field}: ${message} (line 4)`]);
  });

  it('ncp.clusterId must be a UUID (no Tier-1 "t1-pks-not a uu")', () => {
    expect(problems('tkgi-byot.yaml', `${CLUSTER}    ncp: { clusterId: not a uuid! }\n`)).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1.ncp.clusterId: must be a cluster UUID in lower-case hex, e.g. 3f2a9c4e-1b7d-4e2a-9c1f-0a1b2c3d4e5f (got string "not a uuid!") (line 4)',
    ]);
  });

  it('an ingress path must start with "/"', () => {
    const yaml = `${CLUSTER}    ingresses:\n      fruit/ingress-example:\n        rules:\n          - host: fruit-tkgi.this-is-a.domain.net\n            paths: [{ path: apple, service: apple-service, port: 5678 }]\n`;
    expect(problems('tkgi-byot.yaml', yaml)).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1.ingresses["fruit/ingress-example"].rules[0].paths[0].path: must be a URL path starting with "/" (got string "apple") (line 8)',
    ]);
  });

  it('a route-map asPathPrepend that is not AS numbers is a problem (validate no longer says valid)', () => {
    const t0 = (prepend: string) => `tier0s:\n  t0-lhr:\n    routeMaps:\n      rm: [{ action: PERMIT, set: { asPathPrepend: "${prepend}" } }]\n`;
    expect(problems('reference-lab.yaml', t0('abc'))).toEqual([
      'variant.yaml: tier0s.t0-lhr.routeMaps.rm[0].set.asPathPrepend: must be AS numbers separated by spaces, e.g. "65146 65146" (got string "abc") (line 5)',
    ]);
    expect(problems('reference-lab.yaml', t0('65146 99999999999'))).toEqual([
      'variant.yaml: tier0s.t0-lhr.routeMaps.rm[0].set.asPathPrepend: "99999999999" is not an AS number 1-4294967295 (line 5)',
    ]);
  });

  it('a pool member that is not an address is a problem (not 0.0.0.0)', () => {
    expect(problems('reference-lab.yaml', 'avi:\n  pools:\n    p: { members: [{ ip: localhost }] }\n')).toEqual([
      'variant.yaml: avi.pools.p.members[0].ip: invalid IPv4 address "localhost" (line 4)',
    ]);
  });

  it('an invalid SE fixed address is a problem (never replaced by an allocated one)', () => {
    const yaml = 'avi:\n  seGroups:\n    se-group-generic:\n      serviceEngines:\n        se-generic-01: { host: esx-01, ips: { avi-se-generic-data: 10.0.0.-1 } }\n';
    expect(problems('reference-lab.yaml', yaml)).toEqual([
      'variant.yaml: avi.seGroups.se-group-generic.serviceEngines.se-generic-01.ips.avi-se-generic-data: invalid IPv4 address "10.0.0.-1" (line 6)',
    ]);
  });

  it('an invalid VIP address says so (not "a VIP needs address or network")', () => {
    expect(problems('reference-lab.yaml', 'avi:\n  virtualServices:\n    dns-service-1:\n      vip: { address: 10.146.100.300 }\n')).toEqual([
      'variant.yaml: avi.virtualServices.dns-service-1.vip.address: invalid IPv4 address "10.146.100.300" (line 5)',
    ]);
  });

  it('an invalid Avi network subnet is reported on the subnet, not as a missing network', () => {
    expect(problems('tkgi-byot.yaml', 'avi:\n  networks:\n    vip-l4-incluster-tkgi: { subnet: 10.146.102.1/24 }\n')).toEqual([
      'variant.yaml: avi.networks.vip-l4-incluster-tkgi.subnet: "10.146.102.1/24" has host bits set (did you mean "10.146.102.0/24"?) (line 4)',
    ]);
  });

  it('realize() itself never throws on unvalidated bad addresses: it reports problems', () => {
    const s = loadScenarioText('extends: tkgi-byot.yaml\n', 'v.yaml', BASES).scenario;
    const bad = structuredClone(s);
    bad.kubernetes!['tkgi-cluster-1'].ncp!.nodeSubnet = 'x';
    bad.avi!.pools = { p: { members: [{ ip: 'localhost' }] } };
    const r = realize(bad);
    expect(r.problems.map((p) => p.message)).toContain('invalid IPv4 prefix "x" (expected a.b.c.d/len)');
    expect(r.problems.map((p) => p.message)).toContain('invalid IPv4 address "localhost"');
  });
});

describe('structural messages', () => {
  it('a number too large for YAML (1e999) says so, not "got number null"', () => {
    const text = 'transportNodes: {}\nsettings: { ttl: 1e999 }\n';
    expect(() => loadScenarioText(text, 's.yaml')).toThrow('settings.ttl: must be <= 255 (got an infinite number (too large for any field)) (line 2)');
  });

  it('an absent value is "got nothing", not "got undefined undefined"', () => {
    const p = validateScenario({ transportNodes: { a: undefined } }, () => ({ file: 'x' }));
    expect(p.map((x) => `${x.path}: ${x.message}`)).toEqual(['transportNodes.a: must be a map (got nothing)']);
  });

  it('a name with a newline stays on one line (quoted in messages and paths)', () => {
    const text = 'transportNodes: {}\ntier1s:\n  "a\\nb": { tier0: "x\\ny" }\n';
    let out = '';
    try {
      loadScenarioText(text, 's.yaml');
    } catch (e) {
      out = (e as Error).message;
    }
    expect(out).toBe('s.yaml: tier1s["a\\nb"].tier0: no Tier-0 named "x\\ny" (line 3)');
  });
});

describe('name lookups are own-property only', () => {
  it.each(['valueOf', '__proto__', 'constructor', 'toString', 'hasOwnProperty'])('a virtual service seGroup %s is a dangling reference', (name) => {
    expect(problems('reference-lab.yaml', `avi:\n  virtualServices:\n    dns-service-1: { seGroup: ${name} }\n`)).toEqual([
      `variant.yaml: avi.virtualServices.dns-service-1.seGroup: no SE group named ${JSON.stringify(name)} (line 4)`,
    ]);
  });

  it('AKO settings are reported at ako.* (the real path and line), once per setting', () => {
    expect(problems('tkgi-byot.yaml', `${CLUSTER}    ako: { seGroup: valueOf }\n`)).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1.ako.seGroup: no SE group named "valueOf" (line 4)',
    ]);
    expect(problems('tkgi-byot.yaml', `${CLUSTER}    ako:\n      nsxtT1LR: t1-nope\n`)).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1.ako.nsxtT1LR: Tier-1 "t1-nope" is not a data network of cloud "nsx-t-lhr" (avi.cloud.dataNetworks) (line 5)',
    ]);
    expect(problems('tkgi-byot.yaml', `${CLUSTER}    ako:\n      vipNetwork: constructor\n`)).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1.ako.vipNetwork: no avi network named "constructor" (line 5)',
    ]);
  });

  it('a pod on node "constructor" (not a node of the cluster) is a problem, not placed "on undefined"', () => {
    const yaml = `${CLUSTER}    pods:\n      fruit:\n        - { name: apple-app, node: constructor, labels: { app: apple } }\n`;
    expect(problems('tkgi-byot.yaml', yaml)).toEqual([
      'variant.yaml: kubernetes.tkgi-cluster-1.pods.fruit[0].node: no node named "constructor" in cluster "tkgi-cluster-1" (line 6)',
    ]);
  });

  it('prototype member names as keys work end to end: load → validate → realize → trace', () => {
    const yaml = [
      'segments:',
      '  __proto__: { tier1: The-Tier-1, gateway: 10.146.77.1/24 }',
      'workloads:',
      '  constructor: { host: esx-01, segment: __proto__, ip: 10.146.77.10 }',
      CLUSTER.trimEnd(),
      '    nodes:',
      '      toString: { host: esx-01 }',
      '    pods:',
      '      fruit:',
      '        - { name: apple-app, node: toString, labels: { app: apple } }',
      '',
    ].join('\n');
    const { scenario } = loadScenarioText(`extends: tkgi-byot.yaml\n${yaml}`, 'variant.yaml', BASES);
    const twin = buildTwin(scenario);
    const created = twin.realized.scenario.workloads!;
    expect(Object.hasOwn(created, 'fruit/apple-app') && created['fruit/apple-app'].host).toBe('esx-01');
    const t = twin.trace({ from: 'constructor', to: 'fruit/apple-app' });
    expect(t.paths.map((p) => p.disposition)).toEqual(['DELIVERED']);
    expect(Object.getPrototypeOf(scenario.segments)).toBe(Object.prototype);
  });
});

describe('duplicate and overlap sets: one problem each, found in n log n', () => {
  const base = 'transportNodes:\n  esx-01: { type: host, tep: 10.0.20.11 }\ntier1s:\n  t1: {}\nsegments:\n';

  it('2,001 copies of one segment: one overlap problem and one duplicate-address problem, quickly', () => {
    const lines = Array.from({ length: 2001 }, (_, i) => `  seg-${i + 1}: { tier1: t1, gateway: 10.0.0.1/24 }`);
    const start = Date.now();
    let list: readonly Problem[] = [];
    try {
      loadScenarioText(base + lines.join('\n') + '\n', 's.yaml');
    } catch (e) {
      list = (e as ScenarioError).problems;
    }
    expect(Date.now() - start).toBeLessThan(5000);
    expect(list.map(formatProblem)).toEqual([
      's.yaml: segments.seg-1.gateway: 10.0.0.0/24 overlaps 2,000 other segments on the same gateway "t1" ("seg-2" 10.0.0.0/24, "seg-3" 10.0.0.0/24, "seg-4" 10.0.0.0/24, …) (line 6)',
      's.yaml: segments.seg-2.gateway: address 10.0.0.1 is already used by the gateway of segment "seg-1" (segments.seg-1.gateway); 1,999 more use it too (segments.seg-3.gateway, segments.seg-4.gateway, segments.seg-5.gateway, …) (line 7)',
    ]);
  });

  it('overlapSets groups nested prefixes with their root, in input order', () => {
    const items = ['10.0.0.0/25', '10.0.1.0/24', '10.0.0.128/25', '10.0.0.0/24', '10.0.2.0/24'].map((t) => ({ t, net: parsePrefix(t)! }));
    expect(overlapSets(items).map((s) => [s.root.t, s.members.map((m) => m.t)])).toEqual([['10.0.0.0/24', ['10.0.0.0/25', '10.0.0.128/25', '10.0.0.0/24']]]);
  });

  it('a shared TEP is one problem per address, counting the others', () => {
    const transportNodes = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`esx-${i}`, { type: 'host', tep: '10.0.20.11' }]));
    const p = validateScenario({ transportNodes }, () => ({ file: 'x' }));
    expect(p.map((x) => `${x.path}: ${x.message}`)).toEqual(['transportNodes.esx-1.tep: TEP 10.0.20.11 is already used by transport node "esx-0"; 3 more use it too ("esx-2", "esx-3", "esx-4")']);
  });
});

describe('the problem list is capped', () => {
  it(`lists the first ${MAX_PROBLEMS} problems, then how many more`, () => {
    const wl = Array.from({ length: 1500 }, (_, i) => `  vm-${i}: { host: esx-01, segment: s, ip: bad }`).join('\n');
    const text = `transportNodes:\n  esx-01: { type: host, tep: 10.0.20.11 }\nsegments:\n  s: { subnet: 10.0.0.0/24 }\nworkloads:\n${wl}\n`;
    let list: readonly Problem[] = [];
    try {
      loadScenarioText(text, 's.yaml');
    } catch (e) {
      list = (e as ScenarioError).problems;
    }
    expect(list).toHaveLength(MAX_PROBLEMS + 1);
    expect(formatProblem(list[0])).toBe('s.yaml: workloads.vm-0.ip: invalid IPv4 address "bad" (line 6)');
    expect(formatProblem(list[MAX_PROBLEMS])).toBe('s.yaml: … and 500 more problems (the first 1,000 are listed)');
  });
});
