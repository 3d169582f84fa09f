// What the suites proving a build of tables made of others' (Tier-0 SRs of their DR, alike ToRs)
// equal to the plain one share: the bundled scenarios, a twin built with a setting changed, the
// components whose table is made of another's, and random edits from each build giving the same state.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { produce } from 'immer';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { validateScenario } from '../../src/topology/validate.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { Twin } from '../../src/engine/twin.js';
import type { ComponentType } from '../../src/engine/model/types.js';
import { editsOf } from './incremental-edits.js';

/**
 * Random sequences of one to three edits (editsOf; one validation refuses is skipped), each from a
 * fresh `build(s)` updated edit by edit: its state (`stateOf`) equals `reference` built from the
 * edited scenario. How an optimised build (tables made of others') is proven equal to the plain
 * one through updates.
 */
export function updatesAgree(s: Scenario, build: (s: Scenario) => Twin, reference: (s: Scenario) => Twin, stateOf: (t: Twin) => unknown, numRuns: number, seed: number): void {
  if (!editsOf(s).length) return;
  fc.assert(
    fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (picks) => {
      let at = build(s);
      let cur = s;
      for (const k of picks) {
        const list = editsOf(cur);
        const next = produce(cur, list[k % list.length].recipe);
        if (validateScenario(next, () => ({ file: 'edit' })).length) continue;
        at = at.update(next);
        cur = next;
      }
      expect(stateOf(at)).toEqual(stateOf(reference(cur)));
    }),
    { numRuns, seed },
  );
}

/** Every bundled scenario file under `dir`. */
export function bundledScenarios(dir = 'scenarios'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? bundledScenarios(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** The twin of `s` built with `settings[key]` set to `value` (set back after). */
export function builtWith<T extends object, K extends keyof T>(settings: T, key: K, value: T[K], s: Scenario): Twin {
  const was = settings[key];
  settings[key] = value;
  try {
    return new Twin(s);
  } finally {
    settings[key] = was;
  }
}

/** The components of `type` whose table is made of another's and not made yet, as `label` names them. */
export function madeOfAnother(t: Twin, type: ComponentType, label: (c: Twin['network']['components'][number]) => string = (c) => c.name): string[] {
  return t.network.components.filter((c) => c.type === type && t.routing.ribs[c.id].sharedLayer() !== null).map(label);
}

/**
 * Per scenario, a test: its twin built with tables made of others' (`built(s, true)`) reads as the
 * plain build (`built(s, false)`), and so after random edits from it (updatesAgree), `as` saying
 * what the plain build is.
 */
export function agreesWithPlainBuild(scenarios: readonly (readonly [string, Scenario])[], built: (s: Scenario, share: boolean) => Twin, stateOf: (t: Twin) => unknown, as: string, runs: (name: string) => number, seed: number): void {
  for (const [name, s] of scenarios) {
    it(`${name}: built, and after random edits, as with ${as}`, () => {
      expect(stateOf(built(s, true))).toEqual(stateOf(built(s, false)));
      // Updated from a shared build whose tables are not made yet.
      updatesAgree(s, (x) => built(x, true), (x) => built(x, false), stateOf, runs(name), seed);
    }, 120_000);
  }
}
