// noteEdit (topology/scenario.ts) fills the name caches of the maps an immer edit copied from its
// patches: after it, keysOfMap and changedNames answer for every copied object exactly what they
// answer when they list the names themselves — for the what-if edits of every bundled scenario
// and a generated fabric, edits that add and delete names (names added after the others, one that
// reads as an array index, one removed and added again), and sequences of them with undo.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyPatches, enablePatches, produceWithPatches, type Draft, type Patch } from 'immer';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { generateSize } from '../../src/topology/generate.js';
import { changedNames, keysOfMap, noteEdit, sharedHead, type Scenario } from '../../src/topology/scenario.js';
import { editsOf } from '../engine/incremental-edits.js';

enablePatches();

function bundled(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundled(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** Every pair of objects at the same path in `a` and `b` that are not the same object (the ones an edit copied). */
function copied(a: unknown, b: unknown, out: [object, object][] = []): [object, object][] {
  if (a === b || !a || !b || typeof a !== 'object' || typeof b !== 'object') return out;
  out.push([a, b]);
  for (const k of Object.keys(b)) if (Object.hasOwn(a, k)) copied((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
  return out;
}

/** What changedNames answers when it lists the names itself. */
const listed = (map: object, before: object) => Object.keys(map).filter((k) => (map as Record<string, unknown>)[k] !== (before as Record<string, unknown>)[k] || !Object.hasOwn(before, k));

/** sharedHead from the names listed: how many leading names (with their very entries) the maps share when one is the other's head, else -1. */
function headListed(a: object, b: object): number {
  const x = Object.keys(a);
  const y = Object.keys(b);
  if (x.length === y.length) return -1;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i] || (a as Record<string, unknown>)[x[i]] !== (b as Record<string, unknown>)[y[i]]) return -1;
  return n;
}

/** Extra edits that add and remove names. */
const renames: ((d: Draft<Scenario>) => void)[] = [
  (d) => {
    const name = Object.keys(d.segments ?? {})[0];
    if (name !== undefined) delete d.segments![name];
  },
  (d) => void ((d.segments ??= {})['note-edit-new'] = { subnet: '198.18.90.0/24' }),
  (d) => {
    const name = Object.keys(d.tier1s ?? {})[0];
    if (name === undefined) return;
    d.tier1s![`${name}-renamed`] = d.tier1s![name];
    delete d.tier1s![name];
  },
  (d) => void (d.failed = [...(d.failed ?? []), 'nobody']),
  // Names added (listed after the others, in the order added), with a value replaced beside them;
  // a name that reads as an array index (listed first); a name removed and added again.
  (d) => {
    const segs = (d.segments ??= {});
    segs['note-edit-b'] = { subnet: '198.18.91.0/24' };
    segs['note-edit-a'] = { subnet: '198.18.92.0/24' };
    const first = Object.keys(segs)[0];
    if (first !== undefined && first !== 'note-edit-b') segs[first] = { ...segs[first], subnet: '198.18.93.0/24' };
  },
  (d) => void ((d.segments ??= {})['42'] = { subnet: '198.18.94.0/24' }),
  (d) => {
    const segs = (d.segments ??= {});
    const first = Object.keys(segs)[0];
    if (first === undefined) return;
    const v = segs[first];
    delete segs[first];
    segs[first] = v;
  },
];

describe('noteEdit: the name caches of an edit = the names listed from scratch', () => {
  const scenarios: [string, Scenario][] = [...bundled().map((f): [string, Scenario] => [f, loadScenarioFile(f).scenario]), ['generated S', generateSize('S')]];
  for (const [name, start] of scenarios) {
    it(name, () => {
      const recipes = [...editsOf(start).map((e) => e.recipe), ...renames];
      fc.assert(
        fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.boolean(), (picks, undo) => {
          let s = start;
          for (const k of picks) {
            let made: readonly [Scenario, Patch[], Patch[]];
            try {
              made = produceWithPatches(s, recipes[k % recipes.length] as (d: Draft<Scenario>) => void);
            } catch {
              continue; // an edit of a name an earlier edit renamed away
            }
            const [next, patches, inverse] = made;
            noteEdit(s, next, patches);
            for (const [a, b] of copied(s, next)) {
              if (Array.isArray(b)) continue;
              expect(keysOfMap(b)).toEqual(Object.keys(b));
              expect(changedNames(b, a)).toEqual(listed(b, a));
              expect(sharedHead(a, b)).toBe(headListed(a, b));
            }
            if (undo) {
              const back = applyPatches(next, inverse);
              noteEdit(next, back, inverse);
              for (const [a, b] of copied(next, back)) {
                if (Array.isArray(b)) continue;
                expect(keysOfMap(b)).toEqual(Object.keys(b));
                expect(changedNames(b, a)).toEqual(listed(b, a));
                expect(sharedHead(a, b)).toBe(headListed(a, b));
              }
              // Against the map before the edit undone (the two edits' names, not a listing).
              for (const [a, b] of copied(s, back)) {
                if (Array.isArray(b)) continue;
                expect(changedNames(b, a)).toEqual(listed(b, a));
              }
            }
            s = next;
          }
        }),
        { numRuns: 8, seed: 11 },
      );
    });
  }

  it('an undo against the map before the edit it undoes: the names either edit changed, checked (none when the undo gave back the very objects), each pair of a map kept', () => {
    const s = generateSize('S');
    const names = Object.keys(s.avi!.virtualServices!);
    // Many names, so that a listing and the two edits' names cannot be told apart by speed alone: the answer is checked.
    const [next, patches, inverse] = produceWithPatches(s, (d) => void (d.avi!.virtualServices![names[3]].enabled = false));
    noteEdit(s, next, patches);
    const back = applyPatches(next, inverse);
    noteEdit(next, back, inverse);
    // The undo makes a new object for the virtual service (the same content): it differs from the first by identity.
    expect(changedNames(back.avi!.virtualServices!, s.avi!.virtualServices!)).toEqual([names[3]]);
    // The pair the undo recorded is still answered (more than one pair per map is kept).
    expect(changedNames(back.avi!.virtualServices!, next.avi!.virtualServices!)).toEqual([names[3]]);
    // A map edited twice elsewhere: a name each, in map order.
    const [a, pa] = produceWithPatches(s, (d) => void (d.avi!.virtualServices![names[9]].enabled = false));
    noteEdit(s, a, pa);
    const [b, pb] = produceWithPatches(a, (d) => void (d.avi!.virtualServices![names[2]].enabled = false));
    noteEdit(a, b, pb);
    expect(changedNames(b.avi!.virtualServices!, s.avi!.virtualServices!)).toEqual([names[2], names[9]]);
    // An edit that puts the very object back: no name.
    const [c, pc] = produceWithPatches(b, (d) => void (d.avi!.virtualServices![names[2]] = s.avi!.virtualServices![names[2]] as never));
    noteEdit(b, c, pc);
    expect(changedNames(c.avi!.virtualServices!, a.avi!.virtualServices!)).toEqual([]);
  });

  it('primes what it can: a value replaced keeps the names; names added after the others or removed give the names of the map before with them, or without them', () => {
    const s = loadScenarioFile('scenarios/reference-lab.yaml').scenario;
    const seg = Object.keys(s.segments!)[0];
    const [next, patches] = produceWithPatches(s, (d) => void (d.segments![seg] = { ...d.segments![seg], subnet: '198.51.100.0/24' }));
    keysOfMap(s.segments!);
    noteEdit(s, next, patches);
    // The very names of the map it was copied from (no listing), and one changed name.
    expect(keysOfMap(next.segments!)).toBe(keysOfMap(s.segments!));
    expect(changedNames(next.segments!, s.segments!)).toEqual([seg]);
    const [added, addPatches] = produceWithPatches(s, (d) => void (d.segments!['new-one'] = { subnet: '198.51.101.0/24' }));
    noteEdit(s, added, addPatches);
    expect(keysOfMap(added.segments!)).not.toBe(keysOfMap(s.segments!));
    expect(keysOfMap(added.segments!)).toEqual([...Object.keys(s.segments!), 'new-one']);
    // Removed (the undo of the addition): the names of the map before, without it; nothing changed of the others.
    const [removed, removePatches] = produceWithPatches(added, (d) => void delete d.segments!['new-one']);
    noteEdit(added, removed, removePatches);
    expect(keysOfMap(removed.segments!)).toEqual(Object.keys(s.segments!));
    expect(Object.isFrozen(keysOfMap(removed.segments!))).toBe(true);
    expect(changedNames(removed.segments!, added.segments!)).toEqual([]);
    // The last name removed: the map is the head of the one before (as the names compared give it).
    expect(sharedHead(added.segments!, removed.segments!)).toBe(Object.keys(s.segments!).length);
    const [first, firstPatches] = produceWithPatches(added, (d) => void delete d.segments![seg]);
    noteEdit(added, first, firstPatches);
    expect(sharedHead(added.segments!, first.segments!)).toBe(-1);
    // A name removed and one replaced: the replaced one is the changed name.
    const [both, bothPatches] = produceWithPatches(added, (d) => {
      delete d.segments!['new-one'];
      d.segments![seg] = { ...d.segments![seg], subnet: '198.51.102.0/24' };
    });
    noteEdit(added, both, bothPatches);
    expect(keysOfMap(both.segments!)).toEqual(Object.keys(s.segments!));
    expect(changedNames(both.segments!, added.segments!)).toEqual([seg]);
    expect(sharedHead(added.segments!, both.segments!)).toBe(-1);
  });
});
