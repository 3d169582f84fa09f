// realize() after an edit of virtual services or pools, or SEs failed or recovered, patches the
// previous Avi runtime (only the SE groups the edit touched are placed again: avi-controller patchAvi). The patched realization
// must equal a realization from scratch, edit after edit (a patch of a patch included), and edits
// it cannot patch exactly (a VIP, an SE group changed, a problem) fall back to a whole realization.
import fc from 'fast-check';
import { formatIp } from '../../src/topology/ip.js';
import { applyPatches, enablePatches, freeze, produce, produceWithPatches, type Draft } from 'immer';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { generateSize } from '../../src/topology/generate.js';
import { aviRuntimeChange, realize, type Realized } from '../../src/topology/realize/index.js';
import type { Scenario } from '../../src/topology/scenario.js';

enablePatches();

const comparable = (r: Realized) => ({ scenario: r.scenario, avi: r.avi && { ...r.avi, pools: [...r.avi.pools] }, clusters: r.clusters, problems: r.problems, created: r.created });
/** A realization from scratch: a copy that shares nothing and is not frozen (never cached, never patched). */
const fromScratch = (s: Scenario) => realize(structuredClone(s));

type Recipe = (d: Draft<Scenario>) => void;

/** The edits of virtual services and pools a scenario offers: index-chosen, so fast-check can shrink them. */
function editOf(s: Scenario, kind: number, a: number, b: number): { label: string; recipe: Recipe } {
  const vss = Object.keys(s.avi?.virtualServices ?? {});
  const pools = Object.keys(s.avi?.pools ?? {});
  const groups = Object.keys(s.avi?.seGroups ?? {});
  const vs = vss[a % vss.length];
  const other = vss[b % vss.length];
  const pool = pools.length ? pools[a % pools.length] : undefined;
  const V = (d: Draft<Scenario>) => d.avi!.virtualServices![vs];
  const ses = Object.values(s.avi?.seGroups ?? {}).flatMap((g) => Object.entries(g.serviceEngines));
  const toggle = (name: string) => (d: Draft<Scenario>) => {
    const list = (d.failed ??= []);
    const i = list.indexOf(name);
    if (i >= 0) list.splice(i, 1);
    else list.push(name);
  };
  const nodes = Object.values(s.kubernetes ?? {}).flatMap((c) => Object.keys(c.nodes));
  const workloads = Object.keys(s.workloads ?? {});
  const physical = Object.keys(s.physicalHosts ?? {});
  switch (kind % 21) {
    case 0:
      return { label: `toggle ${vs}.enabled`, recipe: (d) => void (V(d).enabled = V(d).enabled === false) };
    case 1:
      return { label: `toggle ${vs}.trafficEnabled`, recipe: (d) => void (V(d).trafficEnabled = V(d).trafficEnabled === false) };
    case 2:
      return { label: `${vs} port ${8000 + b}`, recipe: (d) => void (V(d).services[0].port = 8000 + (b % 1000)) };
    case 3:
      return {
        label: `${vs} uses ${pools.length ? pools[b % pools.length] : 'no pool'}`,
        recipe: (d) => {
          if (!pools.length) return;
          const v = V(d);
          if (v.services[0].pool !== undefined) v.services[0].pool = pools[b % pools.length];
          else v.pool = pools[b % pools.length];
        },
      };
    case 4:
      return { label: `${vs} uses a pool that does not exist`, recipe: (d) => void (V(d).pool = 'no-such-pool') };
    case 5:
      // The same FQDN on two virtual services now and then (b picks one of four names): a problem, realized whole.
      return { label: `${vs} serves app-${b % 4}.example.com`, recipe: (d) => void (V(d).fqdns = [`app-${b % 4}.example.com`]) };
    case 6:
      return pool
        ? { label: `toggle pool ${pool}.enabled`, recipe: (d) => void (d.avi!.pools![pool].enabled = d.avi!.pools![pool].enabled === false) }
        : { label: `toggle ${vs}.enabled`, recipe: (d) => void (V(d).enabled = V(d).enabled === false) };
    case 7:
      return pool
        ? {
            label: `toggle a member of pool ${pool}`,
            recipe: (d) => {
              const m = d.avi!.pools![pool].members[b % d.avi!.pools![pool].members.length];
              if (m) m.enabled = m.enabled === false;
            },
          }
        : { label: `${vs} port 81`, recipe: (d) => void (V(d).services[0].port = 81) };
    case 8:
      return { label: `${vs} gets the VIP of ${other}'s network again`, recipe: (d) => void (V(d).vip = { ...V(d).vip }) };
    case 9:
      return { label: `${vs} moves to SE group ${groups[b % groups.length]}`, recipe: (d) => void (V(d).seGroup = groups[b % groups.length]) };
    case 11: {
      const [se] = ses[a % ses.length];
      return { label: `toggle the failure of SE ${se}`, recipe: toggle(se) };
    }
    case 12: {
      // The host of an SE (workloads and pool members on it too).
      const [, spec] = ses[a % ses.length];
      return { label: `toggle the failure of host ${spec.host}`, recipe: toggle(spec.host) };
    }
    case 13:
      // A Kubernetes node (NCP marks its pods failed, before the NICs of failed SEs): patched.
      return nodes.length ? { label: `toggle the failure of node ${nodes[a % nodes.length]}`, recipe: toggle(nodes[a % nodes.length]) } : { label: `toggle ${vs}.enabled`, recipe: (d) => void (V(d).enabled = V(d).enabled === false) };
    case 14:
      // A workload by name (a pool member on it goes down).
      return workloads.length ? { label: `toggle the failure of workload ${workloads[a % workloads.length]}`, recipe: toggle(workloads[a % workloads.length]) } : { label: `toggle ${vs}.enabled`, recipe: (d) => void (V(d).enabled = V(d).enabled === false) };
    case 15: {
      // A pool's member moved onto a workload (whose host may fail next: case 16).
      const w = workloads.length ? workloads[b % workloads.length] : undefined;
      return pool && w
        ? { label: `pool ${pool} member 0 on workload ${w}`, recipe: (d) => void (d.avi!.pools![pool].members[0] && (d.avi!.pools![pool].members[0].ip = s.workloads![w].ip)) }
        : { label: `toggle ${vs}.enabled`, recipe: (d) => void (V(d).enabled = V(d).enabled === false) };
    }
    case 16: {
      const w = workloads.length ? workloads[b % workloads.length] : undefined;
      return w ? { label: `toggle the failure of host ${s.workloads![w].host} (of workload ${w})`, recipe: toggle(s.workloads![w].host) } : { label: `toggle ${vs}.enabled`, recipe: (d) => void (V(d).enabled = V(d).enabled === false) };
    }
    case 17:
      return physical.length ? { label: `toggle the failure of physical host ${physical[a % physical.length]}`, recipe: toggle(physical[a % physical.length]) } : { label: `toggle ${vs}.enabled`, recipe: (d) => void (V(d).enabled = V(d).enabled === false) };
    case 18:
      // A copy of a virtual service added at the end with a fixed VIP (placed last: patched).
      return {
        label: `add a copy of ${vs} with VIP 203.0.113.${(b % 200) + 1}`,
        recipe: (d) => {
          const copy = JSON.parse(JSON.stringify(s.avi!.virtualServices![vs]));
          delete copy.fqdns;
          copy.vip = { address: `203.0.113.${(b % 200) + 1}` };
          d.avi!.virtualServices![`${vs}-copy-${b}`] = copy;
        },
      };
    case 19:
      // The same, allocating its VIP from the network (realized whole), or with another one's fqdns.
      return {
        label: `add a copy of ${vs} (VIP as given)`,
        recipe: (d) => void (d.avi!.virtualServices![`${vs}-twin-${b}`] = JSON.parse(JSON.stringify(s.avi!.virtualServices![vs]))),
      };
    case 20: {
      // An SE group's placement settings (its virtual services placed again): a tight maximum
      // leaves some without an SE; HA modes and the algorithm move them between SEs.
      const group = groups[a % groups.length];
      const G = (d: Draft<Scenario>) => d.avi!.seGroups![group];
      const modes = ['HA_MODE_SHARED', 'HA_MODE_SHARED_PAIR', 'HA_MODE_LEGACY_ACTIVE_STANDBY'] as const;
      switch (b % 4) {
        case 0:
          return { label: `SE group ${group} maxVsPerSe ${(b % 5) + 1}`, recipe: (d) => void (G(d).maxVsPerSe = (b % 5) + 1) };
        case 1:
          return { label: `SE group ${group} algo flipped`, recipe: (d) => void (G(d).algo = G(d).algo === 'DISTRIBUTED' ? 'PACKED' : 'DISTRIBUTED') };
        case 2:
          return { label: `SE group ${group} ${modes[(b >> 2) % 3]}`, recipe: (d) => void (G(d).haMode = modes[(b >> 2) % 3]) };
        default:
          return { label: `SE group ${group} minScaleoutPerVs ${(b % 3) + 1}`, recipe: (d) => void (G(d).minScaleoutPerVs = (b % 3) + 1) };
      }
    }
    default:
      return { label: `${vs} VIP 198.51.100.${b % 250}`, recipe: (d) => void (V(d).vip = { address: `198.51.100.${(b % 250) + 1}` }) };
  }
}

/** The generated S scenario with room left in its VIP range (virtual services added allocate from it). */
const roomy = () => produce(generateSize('S'), (d) => void (d.avi!.networks!['vip-net'].ranges![0].to = '172.24.3.253'));

const SCENARIOS: [string, () => Scenario][] = [
  ['reference-lab.yaml', () => loadScenarioFile('scenarios/reference-lab.yaml').scenario],
  ['tkgi-byot.yaml', () => loadScenarioFile('scenarios/tkgi-byot.yaml').scenario],
  ['tkgi-antrea.yaml', () => loadScenarioFile('scenarios/tkgi-antrea.yaml').scenario],
  ['generated S (3 SE groups, 500 virtual services)', () => roomy()],
  // AKO's virtual services after the user's: an appended one that allocates, or a VIP freed or taken above the user's allocations, allocates theirs again.
  ['generated S with 2 Kubernetes clusters (AKO)', () => produce(generateSize('S', { kubernetes: 2 }), (d) => void (d.avi!.networks!['vip-net'].ranges![0].to = '172.24.3.253'))],
];

describe('realize() patches the Avi runtime after an edit of virtual services, pools or SE failures', () => {
  for (const [name, load] of SCENARIOS) {
    it(`${name}: every realization of a random sequence of edits equals one from scratch`, () => {
      const base = load();
      if (!Object.keys(base.avi?.virtualServices ?? {}).length) throw new Error(`${name} has no virtual services`);
      let patched = 0;
      let changes = 0;
      fc.assert(
        // Objects picked among the first few now and then, so that edits of a sequence meet (a
        // virtual service moved to a pool, then that pool disabled; a member moved onto a
        // workload, then its host failed).
        fc.property(fc.array(fc.tuple(fc.nat(), fc.oneof(fc.nat({ max: 7 }), fc.nat()), fc.oneof(fc.nat({ max: 7 }), fc.nat())), { minLength: 1, maxLength: 8 }), (steps) => {
          let s = base;
          let r = realize(s);
          for (const [kind, a, b] of steps) {
            const { label, recipe } = editOf(s, kind, a, b);
            const next = produce(s, recipe);
            const after = realize(next, s);
            expect(comparable(after), label).toEqual(comparable(fromScratch(next)));
            // A patch keeps the records of the groups it did not touch (the same objects).
            if (after.avi && r.avi && after.avi !== r.avi && after.avi.virtualServices.some((v, i) => v === r.avi!.virtualServices[i])) patched++;
            // What it says it changed: exactly the records that are not the previous runtime's objects.
            const change = after.avi ? aviRuntimeChange(after.avi) : null;
            if (change !== null && change.from === r.avi) {
              const fresh = after.avi!.virtualServices.flatMap((v, i) => (v === change.from.virtualServices[i] ? [] : [i]));
              expect(change.changed, label).toEqual(fresh);
              changes++;
            }
            s = next;
            r = after;
          }
        }),
        { numRuns: name.startsWith('generated') ? 15 : 40, seed: 7 },
      );
      expect(patched, 'edits realized by a patch').toBeGreaterThan(0);
      expect(changes, 'patches whose changed records were checked').toBeGreaterThan(0);
    });
  }

  it('a virtual service disabled on the generated scenario: only its SE group is placed again, the others keep their records', () => {
    const base = produce(generateSize('S'), () => {});
    const before = realize(base);
    const vs = Object.keys(base.avi!.virtualServices!)[0];
    const group = base.avi!.virtualServices![vs].seGroup;
    const next = produce(base, (d) => void (d.avi!.virtualServices![vs].enabled = false));
    const after = realize(next, base);
    const record = after.avi!.virtualServices.find((v) => v.name === vs)!;
    expect(record.state).toBe('DISABLED');
    expect(record.serviceEngines).toEqual([]);
    after.avi!.virtualServices.forEach((v, i) => {
      if (v.seGroup !== group) expect(v).toBe(before.avi!.virtualServices[i]);
    });
    // The SEs of the other groups are the previous records; the group's SEs no longer list the VS.
    after.avi!.serviceEngines.forEach((se, i) => {
      if (se.group !== group) expect(se).toBe(before.avi!.serviceEngines[i]);
      else expect(se.virtualServices).not.toContain(vs);
    });
    expect(comparable(after)).toEqual(comparable(fromScratch(next)));
  });

  it('a pool disabled: the virtual services using it go DOWN, the pool map is a new one, the others are kept', () => {
    const base = produce(generateSize('S'), () => {});
    const before = realize(base);
    const vs = Object.keys(base.avi!.virtualServices!)[3];
    const pool = base.avi!.virtualServices![vs].pool!;
    const next = produce(base, (d) => void (d.avi!.pools![pool].enabled = false));
    const after = realize(next, base);
    expect(after.avi!.pools).not.toBe(before.avi!.pools);
    expect(after.avi!.pools.get(pool)!.enabled).toBe(false);
    const record = after.avi!.virtualServices.find((v) => v.name === vs)!;
    expect([record.state, record.reason]).toEqual(['DOWN', 'no pool member is enabled and up']);
    expect(after.avi!.virtualServices.filter((v, i) => v !== before.avi!.virtualServices[i]).map((v) => v.name)).toEqual([vs]);
    expect(comparable(after)).toEqual(comparable(fromScratch(next)));
  });
});

describe('an SE failed or recovered', () => {
  it('its group is placed again around it, its NICs are marked failed after NCP\'s names, and recovering it gives back the first realization', () => {
    const base = produce(generateSize('S'), () => {});
    const before = realize(base);
    const se = before.avi!.serviceEngines[0];
    const next = produce(base, (d) => void (d.failed = [...(d.failed ?? []), se.name]));
    const after = realize(next, base);
    expect(after.avi).not.toBe(before.avi);
    expect(after.avi!.serviceEngines[0].down).toBe(true);
    expect(after.avi!.virtualServices.some((v) => v.serviceEngines.includes(se.name))).toBe(false);
    expect(after.created!.failed).toEqual(se.nics.filter((n) => n.workload !== se.name).map((n) => n.workload));
    after.avi!.virtualServices.forEach((v, i) => {
      if (v.seGroup !== se.group) expect(v).toBe(before.avi!.virtualServices[i]);
    });
    expect(comparable(after)).toEqual(comparable(fromScratch(next)));
    const back = produce(next, (d) => void (d.failed = d.failed!.filter((n) => n !== se.name)));
    const again = realize(back, next);
    expect(comparable(again)).toEqual(comparable(fromScratch(back)));
    expect(again.avi).toEqual(before.avi);
    expect(again.avi!.virtualServices.every((v, i) => v === before.avi!.virtualServices[i] || v.seGroup === se.group)).toBe(true);
  });
});

describe("an SE group's placement settings edited", () => {
  it('patched: that group alone is placed again (a maximum of one virtual service per SE leaves the rest without an SE; one SE per virtual service instead of a pair), the others keep their records; an SE moved to another host realizes whole', () => {
    const base = produce(generateSize('S'), () => {});
    const before = realize(base);
    const group = before.avi!.virtualServices[0].seGroup;
    const spec = base.avi!.seGroups![group];
    // (The generator's groups: a shared pair of SEs, DISTRIBUTED.)
    expect([spec.haMode, spec.algo]).toEqual(['HA_MODE_SHARED_PAIR', 'DISTRIBUTED']);
    const inGroup = before.avi!.virtualServices.filter((v) => v.seGroup === group && v.enabled);
    const ses = before.avi!.serviceEngines.filter((se) => se.group === group).length;
    expect(inGroup.length).toBeGreaterThan(ses);
    expect(inGroup.every((v) => v.serviceEngines.length === 2)).toBe(true);
    const edits: [string, (d: Draft<Scenario>) => void, (after: Realized) => void][] = [
      ['maxVsPerSe 1', (d) => void (d.avi!.seGroups![group].maxVsPerSe = 1), (after) => {
        const mine = after.avi!.virtualServices.filter((v) => v.seGroup === group && v.enabled);
        // A pair each, one virtual service per SE: ses / 2 placed, the rest DOWN without an SE.
        expect(mine.filter((v) => v.serviceEngines.length).length).toBe(Math.floor(ses / 2));
        expect(mine.find((v) => !v.serviceEngines.length)?.state).toBe('DOWN');
      }],
      ['HA_MODE_SHARED', (d) => void (d.avi!.seGroups![group].haMode = 'HA_MODE_SHARED'), (after) => {
        expect(after.avi!.virtualServices.filter((v) => v.seGroup === group && v.enabled).every((v) => v.serviceEngines.length === 1 && v.haMode === 'HA_MODE_SHARED')).toBe(true);
      }],
      ['PACKED, one SE each', (d) => {
        d.avi!.seGroups![group].algo = 'PACKED';
        d.avi!.seGroups![group].haMode = 'HA_MODE_SHARED';
      }, (after) => {
        // PACKED fills the busiest SE first: every virtual service of the group on the same SE.
        expect(new Set(after.avi!.virtualServices.filter((v) => v.seGroup === group && v.enabled).map((v) => v.serviceEngines[0])).size).toBe(1);
      }],
    ];
    for (const [label, recipe, check] of edits) {
      const next = produce(base, recipe);
      const after = realize(next, base);
      expect(aviRuntimeChange(after.avi!)?.from, label).toBe(before.avi);
      after.avi!.virtualServices.forEach((v, i) => {
        if (v.seGroup !== group) expect(v, label).toBe(before.avi!.virtualServices[i]);
      });
      check(after);
      expect(comparable(after), label).toEqual(comparable(fromScratch(next)));
      // And back: the first realization again.
      const back = realize(base, next);
      expect(comparable(back), `${label}, back`).toEqual(comparable(before));
    }
    // The SEs themselves edited (a host), with a setting or alone: realized whole.
    const [se] = Object.keys(base.avi!.seGroups![group].serviceEngines);
    const otherHost = Object.keys(base.transportNodes).find((n) => base.transportNodes[n].type === 'host' && n !== base.avi!.seGroups![group].serviceEngines[se].host)!;
    const moved = produce(base, (d) => {
      d.avi!.seGroups![group].serviceEngines[se].host = otherHost;
      d.avi!.seGroups![group].maxVsPerSe = 3;
    });
    const whole = realize(moved, base);
    expect(aviRuntimeChange(whole.avi!)).toBeNull();
    expect(comparable(whole)).toEqual(comparable(fromScratch(moved)));
  });
});

describe('a Kubernetes node of an NCP cluster failed or recovered', () => {
  it('patched: its pods are marked failed (before the NICs of failed SEs), the pool members on them go down, and recovering it gives back the first realization', () => {
    const base = freeze(loadScenarioFile('scenarios/tkgi-byot.yaml').scenario, true);
    const before = realize(base);
    const node = 'tkgi-cluster-1-worker-2';
    const pods = ['yelb/yelb-db-0', 'yelb/yelb-ui-0'];
    const podIps = pods.map((p) => before.created!.workloads[p].ip);
    const members = (r: Realized) => [...r.avi!.pools.values()].flatMap((p) => p.members.filter((m) => podIps.includes(formatIp(m.ip))).map((m) => m.up));
    expect(members(before).length).toBeGreaterThan(0);
    expect(members(before).every((up) => up)).toBe(true);
    const failed = produce(base, (d) => void (d.failed = [...(d.failed ?? []), node]));
    const after = realize(failed, base);
    // Patched from the previous runtime, not realized whole.
    expect(aviRuntimeChange(after.avi!)?.from).toBe(before.avi);
    expect(after.created!.failed).toEqual(pods);
    expect(after.scenario.failed).toEqual([...(base.failed ?? []), node, ...pods]);
    expect(members(after).every((up) => !up)).toBe(true);
    expect(comparable(after)).toEqual(comparable(fromScratch(failed)));
    // An SE failed as well: its NICs after NCP's names; then the node back: the SE's NICs alone.
    const se = before.avi!.serviceEngines[0];
    const both = produce(failed, (d) => void d.failed!.push(se.name));
    const r2 = realize(both, failed);
    expect(r2.created!.failed).toEqual([...pods, ...se.nics.filter((n) => n.workload !== se.name).map((n) => n.workload)]);
    expect(comparable(r2)).toEqual(comparable(fromScratch(both)));
    const nodeBack = produce(both, (d) => void (d.failed = d.failed!.filter((n) => n !== node)));
    const r3 = realize(nodeBack, both);
    expect(aviRuntimeChange(r3.avi!)?.from).toBe(r2.avi);
    expect(r3.created!.failed).toEqual(se.nics.filter((n) => n.workload !== se.name).map((n) => n.workload));
    expect(comparable(r3)).toEqual(comparable(fromScratch(nodeBack)));
    const seBack = produce(nodeBack, (d) => void (d.failed = d.failed!.filter((n) => n !== se.name)));
    const r4 = realize(seBack, nodeBack);
    expect(comparable(r4)).toEqual(comparable(fromScratch(seBack)));
    expect(r4.avi).toEqual(before.avi);
  });
});

describe("AKO's virtual services allocated after the user's", () => {
  // Generated S with 2 Antrea clusters (AKO's 2 virtual services allocate after the 500 user ones), room left in the VIP range.
  const base = () => freeze(produce(generateSize('S', { kubernetes: 2 }), (d) => void (d.avi!.networks!['vip-net'].ranges![0].to = '172.24.3.253')), true);

  it("a user virtual service appended that allocates takes the next address after the user's; AKO's are allocated again after it, patched", () => {
    const s0 = base();
    const r0 = realize(s0);
    const users = Object.keys(s0.avi!.virtualServices!).length;
    const ako = r0.avi!.virtualServices.slice(users);
    expect(ako.map((v) => v.createdFor !== null)).toEqual([true, true]);
    expect(ako[1].vip).toBe(ako[0].vip + 1);
    const s1 = produce(s0, (d) => void (d.avi!.virtualServices!['vs-extra'] = { ...d.avi!.virtualServices!['vs-001'] }));
    const r1 = realize(s1, s0);
    const change = aviRuntimeChange(r1.avi!);
    expect(change?.from).toBe(r0.avi);
    expect(r1.avi!.virtualServices.slice(users).map((v) => [v.name, formatIp(v.vip)])).toEqual([
      ['vs-extra', formatIp(ako[0].vip)],
      [ako[0].name, formatIp(ako[1].vip)],
      [ako[1].name, formatIp(ako[1].vip + 1)],
    ]);
    expect(comparable(r1)).toEqual(comparable(fromScratch(s1)));
    // A second one after it, patched from the patch.
    const s2 = produce(s1, (d) => void (d.avi!.virtualServices!['vs-extra-2'] = { ...d.avi!.virtualServices!['vs-002'] }));
    const r2 = realize(s2, s1);
    expect(aviRuntimeChange(r2.avi!)?.from).toBe(r1.avi);
    expect(r2.avi!.virtualServices.slice(users + 2).map((v) => formatIp(v.vip))).toEqual([formatIp(ako[1].vip + 1), formatIp(ako[1].vip + 2)]);
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
  });

  it("a fixed VIP moved from above the user's allocations: AKO's first takes the freed address, patched; moved back, AKO's as before", () => {
    const b = base();
    const users = Object.keys(b.avi!.virtualServices!).length;
    const last = Object.keys(b.avi!.virtualServices!)[users - 1];
    const at = realize(b).avi!.virtualServices[users - 1].vip;
    // The last user virtual service fixed at the address it was allocated: AKO's allocate past it.
    const s0 = freeze(produce(b, (d) => void (d.avi!.virtualServices![last].vip = { address: formatIp(at) })), true);
    const r0 = realize(structuredClone(s0));
    realize(s0);
    const ako = r0.avi!.virtualServices.slice(users).map((v) => v.vip);
    expect(ako).toEqual([at + 1, at + 2]);
    const s1 = produce(s0, (d) => void (d.avi!.virtualServices![last].vip = { address: '198.51.100.9' }));
    const r1 = realize(s1, s0);
    expect(aviRuntimeChange(r1.avi!)?.changed).toEqual([users - 1, users, users + 1]);
    expect(r1.avi!.virtualServices.slice(users).map((v) => v.vip)).toEqual([at, at + 1]);
    expect(comparable(r1)).toEqual(comparable(fromScratch(s1)));
    const s2 = produce(s1, (d) => void (d.avi!.virtualServices![last].vip = { address: formatIp(at) }));
    const r2 = realize(s2, s1);
    expect(aviRuntimeChange(r2.avi!)?.from).toBe(r1.avi);
    expect(r2.avi!.virtualServices.slice(users).map((v) => v.vip)).toEqual([at + 1, at + 2]);
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
  });
});

describe('patches one after another', () => {
  const base = () => produce(generateSize('S'), () => {});
  it('a virtual service moved to another pool, then that pool disabled: the virtual service goes DOWN', () => {
    const s0 = base();
    realize(s0);
    const [vs] = Object.keys(s0.avi!.virtualServices!);
    const other = Object.keys(s0.avi!.pools!)[7];
    const s1 = produce(s0, (d) => void (d.avi!.virtualServices![vs].pool = other));
    realize(s1, s0);
    const s2 = produce(s1, (d) => void (d.avi!.pools![other].enabled = false));
    const r2 = realize(s2, s1);
    expect(r2.avi!.virtualServices.find((v) => v.name === vs)!.state).toBe('DOWN');
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
  });

  it('a host failed: a virtual service whose pool has every member on it goes DOWN, one with a member up elsewhere keeps its record; recovered: UP again', () => {
    const s0 = base();
    // A host that runs no SE (no SE group is placed again: the virtual services are only checked for their pools' health).
    const seHosts = new Set(Object.values(s0.avi!.seGroups!).flatMap((g) => Object.values(g.serviceEngines).map((se) => se.host)));
    const host = Object.keys(s0.transportNodes).find((n) => s0.transportNodes[n].type === 'host' && !seHosts.has(n) && Object.values(s0.workloads!).some((w) => w.host === n))!;
    const on = Object.values(s0.workloads!).filter((w) => w.host === host).map((w) => w.ip);
    const elsewhere = Object.values(s0.workloads!).find((w) => w.host !== host)!.ip;
    // One pool moved onto that host alone, another onto it and another host.
    const [pool, pool2] = Object.keys(s0.avi!.pools!).slice(3, 5);
    const s1 = produce(s0, (d) => {
      d.avi!.pools![pool].members = [{ ip: on[0] }];
      d.avi!.pools![pool2].members = [{ ip: on[0] }, { ip: elsewhere }];
    });
    const r1 = realize(s1);
    const vs = r1.avi!.virtualServices.find((v) => v.services.some((x) => x.pool === pool) && v.state === 'UP')!;
    const mixed = r1.avi!.virtualServices.find((v) => v.services.some((x) => x.pool === pool2) && v.state === 'UP')!;
    expect(vs && mixed).toBeTruthy();
    const s2 = produce(s1, (d) => void (d.failed = [host]));
    const r2 = realize(s2, s1);
    expect(aviRuntimeChange(r2.avi!)).not.toBeNull();
    const down = r2.avi!.virtualServices.find((v) => v.name === vs.name)!;
    expect([down.state, down.reason]).toEqual(['DOWN', 'no pool member is enabled and up']);
    expect(r2.avi!.virtualServices.find((v) => v.name === mixed.name)).toBe(mixed);
    expect(r2.avi!.pools.get(pool2)).not.toBe(r1.avi!.pools.get(pool2));
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
    const s3 = produce(s2, (d) => void (d.failed = []));
    const r3 = realize(s3, s2);
    expect(r3.avi!.virtualServices.find((v) => v.name === vs.name)!.state).toBe('UP');
    expect(comparable(r3)).toEqual(comparable(fromScratch(s3)));
  });

  it('a pool member moved onto a workload, then that workload\'s host failed: the member is down', () => {
    const s0 = base();
    realize(s0);
    const pool = Object.keys(s0.avi!.pools!)[0];
    const [w, spec] = Object.entries(s0.workloads!).find(([, x]) => !s0.avi!.pools![pool].members.some((m) => m.ip === x.ip))!;
    // A host failed and recovered first: the pools by member address are made then, before the member moves.
    const other = Object.keys(s0.transportNodes).find((n) => s0.transportNodes[n].type === 'host' && n !== spec.host)!;
    const down = produce(s0, (d) => void (d.failed = [other]));
    realize(down, s0);
    const up = produce(down, (d) => void (d.failed = []));
    realize(up, down);
    const s1 = produce(up, (d) => void (d.avi!.pools![pool].members[0].ip = spec.ip));
    realize(s1, up);
    const s2 = produce(s1, (d) => void (d.failed = [spec.host]));
    const r2 = realize(s2, s1);
    expect(r2.avi!.pools.get(pool)!.members[0]).toMatchObject({ up: false });
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
    expect(w).toBeTruthy();
  });
});

describe('virtual services added after the last one', () => {
  it('allocated VIPs: the next free addresses of their network, one after another, as a whole realization gives them', () => {
    const s0 = roomy();
    const r0 = realize(s0);
    const [first] = Object.keys(s0.avi!.virtualServices!);
    const copy = () => JSON.parse(JSON.stringify(s0.avi!.virtualServices![first]));
    const s1 = produce(s0, (d) => void (d.avi!.virtualServices!['added-1'] = copy()));
    const r1 = realize(s1, s0);
    const s2 = produce(s1, (d) => void (d.avi!.virtualServices!['added-2'] = copy()));
    const r2 = realize(s2, s1);
    // Patched: the records before are the previous objects.
    expect(r1.avi!.virtualServices[1]).toBe(r0.avi!.virtualServices[1]);
    expect(r2.avi!.virtualServices[1]).toBe(r0.avi!.virtualServices[1]);
    const vips = r2.avi!.virtualServices.slice(-2).map((v) => v.vip);
    expect(vips[1]).toBeGreaterThan(vips[0]);
    expect(new Set(r2.avi!.virtualServices.map((v) => v.vip)).size).toBe(r2.avi!.virtualServices.length);
    expect(comparable(r1)).toEqual(comparable(fromScratch(s1)));
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
    // A fixed VIP added after them, then one more allocated.
    const s3 = produce(s2, (d) => {
      d.avi!.virtualServices!['added-3'] = { ...copy(), vip: { address: '203.0.113.9' } };
      d.avi!.virtualServices!['added-4'] = copy();
    });
    const r3 = realize(s3, s2);
    expect(r3.avi!.virtualServices[1]).toBe(r0.avi!.virtualServices[1]);
    expect(comparable(r3)).toEqual(comparable(fromScratch(s3)));
    // Three more at once, allocated one after another.
    const s4 = produce(s3, (d) => {
      for (let k = 0; k < 3; k++) d.avi!.virtualServices![`more-${k}`] = copy();
    });
    expect(comparable(realize(s4, s3))).toEqual(comparable(fromScratch(s4)));
  });

  it('a fixed VIP appended: patched unless the address is another\'s (a fixed VIP or SE address, or allocated): then realized whole, the shared VIP a problem; DNS records kept unless it has some', () => {
    const s0 = roomy();
    const r0 = realize(s0);
    const names = Object.keys(s0.avi!.virtualServices!);
    const copy = () => {
      const c = JSON.parse(JSON.stringify(s0.avi!.virtualServices![names[0]]));
      delete c.fqdns;
      delete c.dns;
      return c;
    };
    // A free address: patched, the DNS records and DNS virtual services the very same.
    const s1 = produce(s0, (d) => void (d.avi!.virtualServices!['fixed-1'] = { ...copy(), vip: { address: '203.0.113.50' } }));
    const r1 = realize(s1, s0);
    expect(aviRuntimeChange(r1.avi!)?.from).toBe(r0.avi);
    expect(r1.avi!.dns).toBe(r0.avi!.dns);
    expect(r1.avi!.dnsVirtualServices).toBe(r0.avi!.dnsVirtualServices);
    expect(comparable(r1)).toEqual(comparable(fromScratch(s1)));
    // Another virtual service's VIP (allocated to it by the whole run): realized whole, with the problem a whole realization reports.
    const taken = formatIp(r0.avi!.virtualServices[3].vip);
    const s2 = produce(s0, (d) => void (d.avi!.virtualServices!['fixed-2'] = { ...copy(), vip: { address: taken } }));
    const r2 = realize(s2, s0);
    expect(aviRuntimeChange(r2.avi!)).toBeNull();
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
    // The fixed VIP appended just before (reserved by that patch), then a fixed SE address: realized whole.
    const s3 = produce(s1, (d) => void (d.avi!.virtualServices!['fixed-3'] = { ...copy(), vip: { address: '203.0.113.50' } }));
    const r3 = realize(s3, s1);
    expect(aviRuntimeChange(r3.avi!)).toBeNull();
    expect(r3.problems.some((p) => p.message.includes('is already the VIP of virtual service'))).toBe(true);
    expect(comparable(r3)).toEqual(comparable(fromScratch(s3)));
    // With room on its SE group (placed, UP): one with an FQDN is patched, its record registered
    // as a whole realization registers it.
    const group = s0.avi!.virtualServices![names[0]].seGroup;
    const g0 = produce(s0, (d) => void (d.avi!.seGroups![group].maxVsPerSe = (d.avi!.seGroups![group].maxVsPerSe ?? 10) + 10));
    const rg = realize(g0);
    const g1 = produce(g0, (d) => void (d.avi!.virtualServices!['named'] = { ...copy(), vip: { address: '203.0.113.51' }, fqdns: ['added.example.com'] }));
    const rg1 = realize(g1, g0);
    expect(aviRuntimeChange(rg1.avi!)?.from).toBe(rg.avi);
    expect(rg1.avi!.virtualServices.at(-1)!.serviceEngines.length).toBeGreaterThan(0);
    expect(rg1.avi!.dns.get('added.example.com')?.virtualService).toBe('named');
    expect(comparable(rg1)).toEqual(comparable(fromScratch(g1)));
  });

  it('removed again (an undo): the realization the addition was patched from, whose inputs are the very same objects again', () => {
    const s0 = roomy();
    const r0 = realize(s0);
    const [first] = Object.keys(s0.avi!.virtualServices!);
    const [s1, , inverse] = produceWithPatches(s0, (d) => void (d.avi!.virtualServices!['added-1'] = JSON.parse(JSON.stringify(s0.avi!.virtualServices![first]))));
    const r1 = realize(s1, s0);
    expect(aviRuntimeChange(r1.avi!)?.from).toBe(r0.avi);
    const back = applyPatches(s1, inverse);
    expect(back.avi).not.toBe(s0.avi); // a new section holding the same objects
    const r2 = realize(back, s1);
    expect(r2.avi).toBe(r0.avi);
    expect(comparable(r2)).toEqual(comparable(fromScratch(back)));
    // Not the same objects (a virtual service edited on the way back): realized as it is, not taken from before.
    const other = produce(back, (d) => void (d.avi!.virtualServices![first].enabled = false));
    const r3 = realize(other, s1);
    expect(r3.avi).not.toBe(r0.avi);
    expect(comparable(r3)).toEqual(comparable(fromScratch(other)));
  });
});

describe('a fixed VIP moved to another fixed address', () => {
  /** The generated S scenario with its first virtual services on fixed VIPs above the VIP range (room left in it for allocation). */
  const fixed = () =>
    produce(roomy(), (d) => {
      Object.values(d.avi!.virtualServices!)
        .slice(0, 4)
        .forEach((v, i) => void (v.vip = { address: `203.0.113.${10 + i}` }));
    });

  it('patched: only its record changes (VIP, route), and the realization equals one from scratch', () => {
    const s0 = fixed();
    const r0 = realize(s0);
    const names = Object.keys(s0.avi!.virtualServices!);
    const s1 = produce(s0, (d) => void (d.avi!.virtualServices![names[1]].vip = { address: '198.51.100.77' }));
    const r1 = realize(s1, s0);
    const change = aviRuntimeChange(r1.avi!);
    expect(change?.from).toBe(r0.avi);
    expect(change?.changed).toEqual([1]);
    const v = r1.avi!.virtualServices[1];
    expect(v.vip).toBe(0xc6336400 + 77);
    expect(v.route?.prefix).toBe('198.51.100.77/32');
    expect(comparable(r1)).toEqual(comparable(fromScratch(s1)));
    // Two VIPs swapped in one edit, then one moved back.
    const s2 = produce(s1, (d) => {
      d.avi!.virtualServices![names[0]].vip = { address: '203.0.113.12' };
      d.avi!.virtualServices![names[2]].vip = { address: '203.0.113.10' };
    });
    const r2 = realize(s2, s1);
    expect(aviRuntimeChange(r2.avi!)?.changed).toEqual([0, 2]);
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
    const s3 = produce(s2, (d) => void (d.avi!.virtualServices![names[1]].vip = { address: '203.0.113.11' }));
    const r3 = realize(s3, s2);
    expect(aviRuntimeChange(r3.avi!)?.from).toBe(r2.avi);
    expect(comparable(r3)).toEqual(comparable(fromScratch(s3)));
  });

  it('realized whole when the move changes what allocation gives or is a problem: onto another VIP (fixed or allocated: below its range cursor), from or to an allocated VIP', () => {
    const s0 = fixed();
    const r0 = realize(s0);
    const names = Object.keys(s0.avi!.virtualServices!);
    const allocated = r0.avi!.virtualServices[10].vip;
    const edits: [string, (d: Draft<Scenario>) => void][] = [
      ['onto another fixed VIP', (d) => void (d.avi!.virtualServices![names[1]].vip = { address: '203.0.113.10' })],
      ['onto an allocated VIP', (d) => void (d.avi!.virtualServices![names[1]].vip = { address: `172.24.${(allocated >>> 8) & 255}.${allocated & 255}` })],
      ['an allocated VIP made fixed', (d) => void (d.avi!.virtualServices![names[10]].vip = { address: '198.51.100.78' })],
      ['a fixed VIP made allocated', (d) => void (d.avi!.virtualServices![names[1]].vip = { network: 'vip-net' })],
    ];
    for (const [label, recipe] of edits) {
      const s1 = produce(s0, recipe);
      const r1 = realize(s1, s0);
      expect(r1.avi === null || aviRuntimeChange(r1.avi) === null, label).toBe(true);
      expect(comparable(r1), label).toEqual(comparable(fromScratch(s1)));
    }
  });

  it('a VIP moved out of the range: a virtual service appended later that reaches the freed address is realized whole, and gets it', () => {
    // A fixed VIP at the range's next free address, moved away: that address is free again.
    const base = roomy();
    const r = realize(base);
    const next = Math.max(...r.avi!.virtualServices.map((v) => v.vip)) + 1;
    const names = Object.keys(base.avi!.virtualServices!);
    const s0 = produce(base, (d) => void (d.avi!.virtualServices![names[0]].vip = { address: `172.24.${(next >>> 8) & 255}.${next & 255}` }));
    const r0 = realize(s0);
    const s1 = produce(s0, (d) => void (d.avi!.virtualServices![names[0]].vip = { address: '198.51.100.79' }));
    const r1 = realize(s1, s0);
    expect(aviRuntimeChange(r1.avi!)?.from).toBe(r0.avi);
    expect(comparable(r1)).toEqual(comparable(fromScratch(s1)));
    // Two appended: the first takes the range's next free address, the second reaches the freed one.
    const copy = () => JSON.parse(JSON.stringify(s0.avi!.virtualServices![names[5]]));
    const s2 = produce(s1, (d) => {
      d.avi!.virtualServices!['added-1'] = copy();
      d.avi!.virtualServices!['added-2'] = copy();
    });
    const r2 = realize(s2, s1);
    expect(aviRuntimeChange(r2.avi!)).toBeNull();
    expect(r2.avi!.virtualServices.slice(-2).map((v) => v.vip)).toEqual([next - 1, next]);
    expect(comparable(r2)).toEqual(comparable(fromScratch(s2)));
  });
});
