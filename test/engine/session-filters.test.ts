// An edit of BGP session filters alone (neighbours' in/out, and the prefix lists, community lists,
// AS-path lists and route maps that only they read) is told apart from any other configuration
// change (src/engine/incremental/session-filters.ts): BGP then runs whole from the previous
// origination and the tables before BGP are kept, with a state equal to a fresh build
// (test/engine/incremental.test.ts replays such edits against fresh builds).
import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { sessionFiltersOnly } from '../../src/engine/incremental/session-filters.js';
import { generateSize, GENERATED } from '../../src/topology/generate.js';
import { Twin } from '../../src/engine/twin.js';
import type { Scenario } from '../../src/topology/scenario.js';

const start = generateSize('S', { routePolicy: true });
const t0 = (d: Scenario) => d.tier0s![GENERATED.tier0];
const tor = (d: Scenario) => d.physicalRouters!['tor-01'];
const edited = (recipe: (d: Scenario) => void) => produce(start, recipe);

describe('session filters alone', () => {
  it('a neighbour\'s filter, a route map or prefix list only filters read: filters only', () => {
    expect(sessionFiltersOnly(start, start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void delete t0(d).bgp!.neighbors![0].out), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).bgp!.neighbors![1].in = { prefixList: GENERATED.heldBackPrefixList })), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).routeMaps![GENERATED.exportRouteMap][0].action = 'PERMIT')), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).prefixLists![GENERATED.heldBackPrefixList][0].network = '10.0.0.0/16')), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).bgp!.neighbors![0].routeMapIn = 'none')), start)).toBe(true);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).prefixLists = { p: [{ action: 'permit', prefix: '10.0.0.0/8', le: 32 }] })), start)).toBe(true);
  });

  it('what origination reads, or anything else: not filters only', () => {
    // A route map (and the lists it names) that redistribution reads.
    const redistributing = edited((d) => void (t0(d).redistribution![0].routeMap = GENERATED.exportRouteMap));
    expect(sessionFiltersOnly(produce(redistributing, (d) => void (t0(d).routeMaps![GENERATED.exportRouteMap][0].action = 'PERMIT')), redistributing)).toBe(false);
    expect(sessionFiltersOnly(produce(redistributing, (d) => void (t0(d).prefixLists![GENERATED.heldBackPrefixList][0].le = 24)), redistributing)).toBe(false);
    expect(sessionFiltersOnly(redistributing, start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).bgp!.localAs = 65001)), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).bgp!.neighbors![0].remoteAs = 65101)), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (t0(d).staticRoutes = [{ name: 'x', network: '192.0.2.0/24', nextHops: [{ blackhole: true }] }])), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).bgp!.neighbors![0].defaultOriginate = false)), start)).toBe(false);
    expect(sessionFiltersOnly(edited((d) => void (tor(d).bgp!.networks = ['172.31.1.0/24'])), start)).toBe(false);
    // FRR redistribution through a route map: its lists are origination's.
    const frr = edited((d) => {
      tor(d).prefixLists = { p: [{ action: 'permit', prefix: '172.31.0.0/16', le: 32 }] };
      tor(d).routeMaps = { rm: [{ seq: 10, action: 'permit', match: { prefixList: 'p' } }] };
      tor(d).bgp!.redistribute = [{ type: 'connected', routeMap: 'rm' }];
    });
    expect(sessionFiltersOnly(produce(frr, (d) => void (tor(d).prefixLists!.p[0].le = 24)), frr)).toBe(false);
    expect(sessionFiltersOnly(produce(frr, (d) => void (tor(d).bgp!.neighbors![0].routeMapOut = 'rm')), frr)).toBe(true);
  });

  it('an update of a filter edit keeps the tables before BGP and runs BGP from the previous origination', () => {
    const twin = new Twin(start);
    const up = twin.update(edited((d) => void (t0(d).routeMaps![GENERATED.exportRouteMap][0].action = 'PERMIT')));
    const stage = (name: string) => up.report.stages.find((x) => x.stage === name)!;
    expect(stage('ribs').how).toBe('kept');
    expect(stage('bgp').detail).toMatch(/^BGP session filters changed \(origination reused where a table is the same: 16 of 16 speakers\)/);
    // The held-back segments now reach the ToRs.
    expect(twin.bgp({ router: 'tor-01' }).routes.map((r) => r.prefix)).not.toContain('10.0.0.0/24');
    expect(up.bgp({ router: 'tor-01' }).routes.map((r) => r.prefix)).toContain('10.0.0.0/24');
  });
});
