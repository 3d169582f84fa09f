// Golden tests: every case of test/golden/cases.json runs the CLI in-process and must reproduce
// test/golden/<name>.out byte for byte (refresh with `npm run golden:update`, review the diff).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, REPO_ROOT, goldenLabel, goldenPath, goldenText, loadCases, runCli } from './golden/run-cli.js';

const cases = loadCases();
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const REFRESH = 'run `npm run golden:update` and review the diff (`git diff test/golden`)';

describe('golden CLI outputs (test/golden/cases.json)', () => {
  beforeAll(() => {
    if (process.cwd() !== REPO_ROOT) process.chdir(REPO_ROOT);
  });

  for (const c of cases) {
    (c.knownBug ? it.fails : it)(`${c.name}: nsx-twin ${c.args.join(' ')}`, async () => {
      const file = goldenPath(c.name);
      expect(existsSync(file), `${goldenLabel(c.name)} is missing: ${REFRESH}`).toBe(true);
      const run = await runCli(c.args);
      expect(run.exit, `exit code of nsx-twin ${c.args.join(' ')} (cases.json says ${c.exit})\n${goldenText(run)}`).toBe(c.exit);
      expect(goldenText(run), `output differs from ${goldenLabel(c.name)}: if the change is intended, ${REFRESH}`).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('has no stale golden files (every .out belongs to a case)', () => {
    const names = new Set(cases.map((c) => `${c.name}.out`));
    const stale = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.out') && !names.has(f));
    expect(stale, `not in cases.json: ${REFRESH}`).toEqual([]);
  });

  it('left Object.prototype untouched (names like "__proto__" in the fixtures stay data)', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
