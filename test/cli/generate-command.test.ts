// `nsx-twin generate` (src/cli/generate.ts, src/cli/yaml-writer.ts): the YAML reads back as the
// very scenario generateSize builds, validates, is the same on every run, starts with the schema
// modeline, and --output never replaces a file without --force.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../golden/run-cli.js';
import { generateSize } from '../../src/topology/generate.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { toYaml } from '../../src/cli/yaml-writer.js';
import { parse } from 'yaml';

describe('nsx-twin generate', () => {
  let dir: string;
  beforeAll(() => {
    if (process.cwd() !== REPO_ROOT) process.chdir(REPO_ROOT);
    dir = mkdtempSync(join(tmpdir(), 'nsx-twin-generate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes size S as YAML that loads back as generateSize("S"), with the modeline first', async () => {
    const run = await runCli(['generate', '--size', 'S']);
    expect(run.exit).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=schema/scenario.schema.json');
    expect(lines[1]).toBe('# nsx-twin generate --size S (the same command writes the same file)');
    expect(lines).toContain('  esx-1: {type: host, tep: 172.16.0.1}');
    const loaded = loadScenarioText(run.stdout, 'generated-S.yaml');
    expect(loaded.scenario).toEqual(generateSize('S'));
    expect((await runCli(['generate', '--size', 'S'])).stdout).toBe(run.stdout);
  });

  it('passes overrides and the seed through, and names them in the reproducing command', async () => {
    const run = await runCli(['generate', '--size', 'S', '--tier1s', '12', '--seed', '7']);
    expect(run.exit).toBe(0);
    expect(run.stdout.split('\n')[1]).toBe('# nsx-twin generate --size S --tier1s 12 --seed 7 (the same command writes the same file)');
    expect(loadScenarioText(run.stdout).scenario).toEqual(generateSize('S', { tier1s: 12, seed: 7 }));
  });

  it('--json writes the same scenario as JSON', async () => {
    const run = await runCli(['generate', '--json', '--tier1s', '3']);
    expect(run.exit).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(generateSize('S', { tier1s: 3 }));
  });

  it('--output writes the file (schema path relative to it), refuses to replace it without --force', async () => {
    const file = join(dir, 'lab.yaml');
    const first = await runCli(['generate', '--tier1s', '2', '-o', file]);
    expect(first.exit).toBe(0);
    expect(first.stdout).toMatch(/lab\.yaml: generated-S-custom \(2 Tier-1s, \d+ segments, 20 workloads, 50 virtual services\), \d+ bytes\n$/);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+.*schema\/scenario\.schema\.json$/);
    writeFileSync(file, 'mine');
    const again = await runCli(['generate', '--tier1s', '2', '-o', file]);
    expect(again.exit).toBe(2);
    expect(again.stderr).toBe(`nsx-twin: generate: ${file} exists (use --force to overwrite it)\n`);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    const forced = await runCli(['generate', '--tier1s', '2', '-o', file, '--force']);
    expect(forced.exit).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const v = await runCli(['validate', file]);
    expect(v.exit).toBe(0);
    expect(v.stdout).toMatch(/: valid \(/);
  });

  it('a folder that does not exist is a bad request, not a crash', async () => {
    const run = await runCli(['generate', '-o', join(dir, 'no', 'such', 'x.yaml')]);
    expect(run.exit).toBe(2);
    expect(run.stderr).toMatch(/^nsx-twin: generate: cannot write .*x\.yaml: ENOENT\n$/);
  });
});

describe('toYaml', () => {
  it('quotes what YAML would read as something else, keeps key order, and reads back equal', () => {
    const value = JSON.parse('{"s": {"b": {"yes": "no", "n": "null", "t": "10:20", "e": "", "k": ["0.0.0.0/0", "ANY", "1e3"]}}, "a": [{"x": 1, "y": true}, []], "__proto__": {"z": "a: b"}, "long": {"text": "' + 'x'.repeat(200) + '"}, "deep": [{"p": {"q": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]}}]}');
    const text = toYaml(value, ['# header']);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# header');
    expect(lines[1]).toBe('s:'); // a top-level section: always a block
    expect(lines[2]).toBe("  b: {'yes': 'no', 'n': 'null', t: '10:20', e: '', k: [0.0.0.0/0, ANY, '1e3']}"); // small: one line, keys in order
    expect(text).toContain('\nlong:\n  text: xxx'); // too long for one line: block
    expect(text).toContain('\ndeep:\n  - p:\n      q:\n        - 1\n'); // more than 16 scalars: block
    expect(parse(text)).toEqual(value);
    expect(Object.keys(parse(text) as object)).toEqual(['s', 'a', '__proto__', 'long', 'deep']);
  });
});
