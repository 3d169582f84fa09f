// After an edit that changes who answers ARP for a few addresses (a host, an SE or a workload
// failed), the compilation resolves again only the next hops to those addresses (fib/compile.ts
// changedArpKeys) and keeps the others' owners: the FIB (every next hop's ARP owner and proxy
// entry) must equal a fresh build's, for addresses on either side of 128.0.0.0 (the answers log
// holds them as int32).
import { freeze, produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import { fibsOf } from './incremental-edits.js';

const base = produce(loadScenarioFile('scenarios/edge-cases/dr-only-vs-centralized.yaml').scenario, (d) => {
  // A workload above 128.0.0.0 that a Tier-1 static route forwards to (its next hop's ARP owner).
  d.segments!['seg-high'] = { tier1: 't1-distributed', gateway: '192.168.50.1/24' };
  d.workloads!['vm-high'] = { host: 'esx-01', segment: 'seg-high', ip: '192.168.50.10' };
  d.workloads!['vm-low'] = { host: 'esx-02', segment: 'seg-distributed', ip: '10.1.1.20' };
  (d.tier1s!['t1-distributed'].staticRoutes ??= []).push(
    { name: 'via-high', network: '203.0.113.0/24', nextHops: [{ ip: '192.168.50.10' }] },
    { name: 'via-low', network: '198.51.100.0/24', nextHops: [{ ip: '10.1.1.20' }] },
  );
});
freeze(base, true);

const fail = (s: Scenario, names: string[]) => produce(s, (d) => void (d.failed = names));

describe('next hops resolved again after an ARP change', () => {
  it('a failed host takes its workloads off ARP: the updated FIB equals a fresh build, on both sides of 128.0.0.0', () => {
    const twin = new Twin(base);
    const owners = (t: Twin) => fibsOf(t).join('\n');
    for (const names of [['esx-01'], ['esx-02'], ['esx-01', 'esx-02'], ['edge-01']]) {
      const next = fail(base, names);
      const updated = twin.update(next);
      expect(owners(updated), names.join(',')).toEqual(owners(new Twin(structuredClone(next))));
      // And back.
      expect(owners(updated.update(base))).toEqual(owners(twin));
    }
  });

  it('the failure does change the owners the patch must find (the test reaches the patched next hops)', () => {
    const twin = new Twin(base);
    const failed = twin.update(fail(base, ['esx-01']));
    expect(fibsOf(failed)).not.toEqual(fibsOf(twin));
  });
});

describe('the ARP table of a model with other failures: the previous one patched', () => {
  /** The ARP table as a sorted list of its (domain, address, owner) entries. */
  const arpOf = (t: Twin) => {
    const out: string[] = [];
    t.compiled.arp.scan((d, ip, owner) => out.push(`${d} ${ip} ${owner}`));
    return out.sort();
  };
  const ownOf = (t: Twin) => {
    const out: string[] = [];
    t.compiled.ownIp.scan((c, ip, itf) => out.push(`${c} ${ip} ${itf}`));
    return out.sort();
  };
  it('hosts, an edge, workloads failed and recovered in turn: the same entries as a fresh build, the own addresses the very same table', () => {
    let twin = new Twin(base);
    for (const names of [['esx-01'], ['esx-01', 'vm-low'], ['edge-01'], [], ['esx-02', 'edge-01'], ['vm-high']]) {
      const next = fail(base, names);
      const updated = twin.update(next);
      const fresh = new Twin(structuredClone(next));
      expect(arpOf(updated), names.join(',')).toEqual(arpOf(fresh));
      expect(updated.compiled.arp.size).toBe(fresh.compiled.arp.size);
      expect(updated.compiled.ownIp).toBe(twin.compiled.ownIp);
      expect(ownOf(updated)).toEqual(ownOf(fresh));
      // The patch left the previous table as it was.
      expect(arpOf(twin)).toEqual(arpOf(new Twin(structuredClone(twin.scenario))));
      twin = updated;
    }
  });
});
