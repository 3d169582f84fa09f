// The command line's V8 tiering budget (src/cli/jit-budget.ts): a budget node was given is kept,
// and a command run leaves the optimizing compiler to the code that stays hot (far fewer functions
// marked for it than at V8's default budget), with the same output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetGiven } from '../../src/cli/jit-budget.js';
import { REPO_ROOT } from '../golden/run-cli.js';

describe('budgetGiven', () => {
  it('finds a budget in node arguments or NODE_OPTIONS, in either spelling', () => {
    expect(budgetGiven([], undefined)).toBe(false);
    expect(budgetGiven(['--max-old-space-size=4000'], '--enable-source-maps')).toBe(false);
    expect(budgetGiven(['--interrupt-budget=67584'], undefined)).toBe(true);
    expect(budgetGiven(['--interrupt_budget=5000'], undefined)).toBe(true);
    expect(budgetGiven([], '--max-old-space-size=4000 --interrupt-budget=67584')).toBe(true);
    // Another flag that only starts alike is not a budget.
    expect(budgetGiven(['--interrupt-budget-for-feedback-allocation=940'], undefined)).toBe(false);
  });
});

const BIN = join(REPO_ROOT, 'bin/nsx-twin.js');
const built = existsSync(join(REPO_ROOT, 'lib/cli/main.js'));

describe.skipIf(!built)('a command run and the optimizing compiler (needs lib/: npm run build:lib)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsx-twin-budget-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('marks far fewer functions for optimization than V8 does by default, and answers the same', () => {
    const gen = spawnSync(process.execPath, [BIN, 'generate', '--size', 'S'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(gen.status).toBe(0);
    const file = join(dir, 'S.yaml');
    writeFileSync(file, gen.stdout);
    const run = (nodeArgs: string[]) => {
      const r = spawnSync(process.execPath, ['--trace-opt', ...nodeArgs, BIN, 'routes', file, '--router', 'tor-01'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NODE_OPTIONS: '' } });
      expect(r.status).toBe(0);
      const lines = r.stdout.split('\n');
      return { marked: lines.filter((l) => l.includes('marking')).length, answer: lines.filter((l) => !l.startsWith('[')).join('\n') };
    };
    const command = run([]);
    const v8Default = run(['--interrupt-budget=67584']);
    expect(command.answer).toContain('tor-01');
    expect(command.answer).toBe(v8Default.answer);
    expect(v8Default.marked).toBeGreaterThan(20);
    expect(command.marked * 2).toBeLessThan(v8Default.marked);
  }, 60_000);
});
