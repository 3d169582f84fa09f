// Fuzz suite: every bundled scenario, mutated structurally (wrong types, extreme numbers, bad
// addresses in every section, prototype names as keys and as references, duplicates, unknown
// keys) and as YAML text, must load into a valid scenario or into well-formed problems (a file
// that was read, a path that exists in it, that path's line) — never another exception, never a
// hang — and a valid mutant must answer trace, routes, bgp, avi and topology queries.
// Seeded and deterministic; NSX_TWIN_FUZZ_RUNS=N runs N cases per property (default a few hundred).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { mutate, mutateText, mutationArb, textMutationArb } from './mutations.js';
import { loadFrom, problemDefects, queryEverything, type Files } from './outcome.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.NSX_TWIN_FUZZ_RUNS ?? 0) || 0;
/** Per-case ceiling: far above any real load (tens of ms); a case that reaches it is a hang. */
const CASE_LIMIT_MS = 10_000;

function bundled(): Files {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(f)) files.set(relative(ROOT, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, 'scenarios'));
  return files;
}

const FILES = bundled();
const NAMES = [...FILES.keys()];

interface Stats {
  valid: number;
  invalid: number;
  problems: number;
  answered: number;
}

/** Loads `text` as `file` (its bases unchanged) and checks the outcome; returns what happened. */
function check(file: string, text: string, stats: Stats): void {
  const files = new Map(FILES);
  files.set(file, text);
  const t0 = Date.now();
  const outcome = loadFrom(files, file);
  if (outcome.kind === 'valid') {
    stats.valid++;
    stats.answered += queryEverything(outcome.loaded);
  } else {
    stats.invalid++;
    stats.problems += outcome.problems.length;
    expect(outcome.problems.length, 'a rejected scenario names at least one problem').toBeGreaterThan(0);
    const defects = outcome.problems.flatMap((p) => problemDefects(files, p));
    expect(defects, `problems of a mutant of ${file}:\n${text.slice(0, 4000)}`).toEqual([]);
  }
  expect(Date.now() - t0, `${file}: one load and its queries`).toBeLessThan(CASE_LIMIT_MS);
}

const report = (what: string, s: Stats) =>
  // The counts go to the test log (and the notes): how many mutants were valid and queried.
  console.log(`fuzz ${what}: ${s.valid + s.invalid} cases, ${s.valid} valid (${s.answered} queries answered), ${s.invalid} rejected with ${s.problems} problems`);

describe('fuzz: mutated bundled scenarios', () => {
  it('structural mutations load to a valid scenario or well-formed problems; valid ones answer queries', () => {
    const stats: Stats = { valid: 0, invalid: 0, problems: 0, answered: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (file, ms) => {
        const data = parse(FILES.get(file)!, { uniqueKeys: false });
        check(file, stringify(mutate(data, ms)), stats);
      }),
      { seed: 20261126, numRuns: RUNS || 2000 },
    );
    report('structural', stats);
    expect(stats.valid).toBeGreaterThan(0);
    expect(stats.invalid).toBeGreaterThan(0);
  }, 600_000);

  it('YAML text mutations load to a valid scenario or well-formed problems', () => {
    const stats: Stats = { valid: 0, invalid: 0, problems: 0, answered: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.array(textMutationArb, { minLength: 1, maxLength: 4 }), (file, ms) => {
        check(file, mutateText(FILES.get(file)!, ms), stats);
      }),
      { seed: 1126, numRuns: RUNS || 1500 },
    );
    report('text', stats);
    expect(stats.invalid).toBeGreaterThan(0);
  }, 600_000);
});
