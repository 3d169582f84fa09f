// The VIP routes grouped by Tier-1, patched from the previous grouping (ribs/injected-groups.ts
// patchGroups) after routes are replaced on their Tier-1, removed and appended, must equal the
// grouping of the new list made from scratch — the same groups, the same routes in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByTier1, groupsChange, noteEdited, patchGroups } from '../../src/engine/ribs/injected-groups.js';
import type { InjectedRoute } from '../../src/engine/ribs/advertise.js';

const route = (tier1: string, n: number): InjectedRoute => ({ tier1, prefix: { addr: n, len: 32 }, nextHops: [1], origin: `vs ${n}`, advertiseAs: 'TIER1_LB_VIP' });
const asObject = (g: ReadonlyMap<string, readonly InjectedRoute[]>) => Object.fromEntries([...g].map(([k, v]) => [k, v]));

describe('injected routes grouped by Tier-1', () => {
  it('patched after replacements and appends equals grouped from scratch (property), the previous grouping untouched', () => {
    const tier1 = fc.constantFrom('t1-a', 't1-b', 't1-c', 't1-d');
    fc.assert(
      fc.property(fc.array(tier1, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 10 }), fc.array(tier1, { maxLength: 5 }), (tier1s, replace, remove, appended) => {
        const before = tier1s.map((t, i) => route(t, i));
        const groups = groupByTier1(before);
        const snapshot = asObject(groups);
        let after = before.slice();
        for (const r of replace) after[r % after.length] = route(after[r % after.length].tier1, 1000 + r);
        const gone = new Set(remove.map((r) => r % before.length));
        after = after.filter((_, i) => !gone.has(i));
        appended.forEach((t, k) => after.push(route(t, 2000 + k)));
        const patched = patchGroups(before, groups, after);
        // Changes next to each other are refused (grouped again); a single one never is.
        if (patched === null) {
          expect(replace.length + remove.length).toBeGreaterThan(1);
          return;
        }
        const fresh = groupByTier1(after);
        expect(asObject(patched!)).toEqual(asObject(fresh));
        expect([...patched!.keys()].sort()).toEqual([...fresh.keys()].sort());
        expect(asObject(groups)).toEqual(snapshot);
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it('a route removed (its group emptied is gone) or replaced on its Tier-1 is patched; one moved to another Tier-1 is grouped again', () => {
    const before = ['t1-a', 't1-b', 't1-a'].map((t, i) => route(t, i));
    const groups = groupByTier1(before);
    const without = [before[0], before[2]];
    expect(asObject(patchGroups(before, groups, without)!)).toEqual(asObject(groupByTier1(without)));
    expect([...patchGroups(before, groups, without)!.keys()]).toEqual(['t1-a']);
    expect(asObject(patchGroups(before, groups, before.slice(0, 2))!)).toEqual(asObject(groupByTier1(before.slice(0, 2))));
    expect(patchGroups(before, groups, [before[0], route('t1-c', 9), before[2]])).toBeNull();
    expect(patchGroups(before, groups, before)).not.toBeNull();
  });

  it("replaced positions noted beside the list (what the load balancer's patch records) give the grouping of the list, and the Tier-1s whose groups changed (property)", () => {
    const tier1 = fc.constantFrom('t1-a', 't1-b', 't1-c', 't1-d');
    fc.assert(
      fc.property(fc.array(tier1, { minLength: 1, maxLength: 60 }), fc.uniqueArray(fc.nat({ max: 59 }), { maxLength: 12 }), (tier1s, replace) => {
        const before = tier1s.map((t, i) => route(t, i));
        const groups = groupByTier1(before);
        const positions = [...new Set(replace.map((r) => r % before.length))];
        const after = before.slice();
        for (const i of positions) after[i] = route(before[i].tier1, 1000 + i);
        noteEdited(after, before, { replaced: positions.sort((a, b) => a - b).map((i) => [i, i] as const), removed: [], inserted: [] });
        const patched = patchGroups(before, groups, after)!;
        expect(asObject(patched)).toEqual(asObject(groupByTier1(after)));
        const change = groupsChange(patched)!;
        expect(change.from).toBe(groups);
        expect([...change.tier1s].sort()).toEqual([...new Set(positions.map((i) => before[i].tier1))].sort());
        // The other groups are the previous arrays.
        for (const [t, list] of patched) if (!change.tier1s.has(t)) expect(list).toBe(groups.get(t));
      }),
      { numRuns: 200, seed: 20261127 },
    );
  });

  it('an edit noted beside the list — routes replaced (on their Tier-1 or moved to another), removed and inserted — gives the grouping of the list (property)', () => {
    const tier1 = fc.constantFrom('t1-a', 't1-b', 't1-c', 't1-d');
    // Per old route: kept, replaced on its Tier-1, moved to another Tier-1, or removed; and routes inserted before it.
    const step = fc.record({ what: fc.constantFrom('keep', 'keep', 'keep', 'replace', 'move', 'remove'), to: tier1, insert: fc.array(tier1, { maxLength: 2 }) });
    fc.assert(
      fc.property(fc.array(tier1, { maxLength: 40 }), fc.array(step, { minLength: 41, maxLength: 41 }), (tier1s, steps) => {
        const before = tier1s.map((t, i) => route(t, i));
        const groups = groupByTier1(before);
        const after: InjectedRoute[] = [];
        const replaced: [number, number][] = [];
        const removed: number[] = [];
        const inserted: number[] = [];
        let n = 1000;
        for (let i = 0; i <= before.length; i++) {
          const { what, to, insert } = steps[i];
          for (const t of insert) {
            inserted.push(after.length);
            after.push(route(t, n++));
          }
          if (i === before.length) break;
          if (what === 'keep') after.push(before[i]);
          else if (what === 'remove') removed.push(i);
          else {
            replaced.push([i, after.length]);
            after.push(route(what === 'move' ? to : before[i].tier1, n++));
          }
        }
        noteEdited(after, before, { replaced, removed, inserted });
        const patched = patchGroups(before, groups, after)!;
        expect(patched).not.toBeNull();
        // The same groups, the same routes in the same order (the groups' own order is not read).
        const sorted = (g: ReadonlyMap<string, readonly InjectedRoute[]>) => Object.fromEntries([...g].sort((a, b) => a[0].localeCompare(b[0])));
        expect(sorted(patched)).toEqual(sorted(groupByTier1(after)));
        const change = groupsChange(patched)!;
        expect(change.from).toBe(groups);
        for (const [t, list] of patched) if (!change.tier1s.has(t)) expect(list).toBe(groups.get(t));
        expect(asObject(groups)).toEqual(asObject(groupByTier1(before)));
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
