// The Node loader (load-file.ts) does not import yaml for a file the fast path takes: the full
// parser is built the first time a text or a line needs it, and its problems (messages, lines) are
// exactly those of the eager loader (load.ts). This file imports load.ts only at the end: each
// test file runs with its own modules, so the full parser starts unregistered here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { fullParserLoaded } from '../../src/topology/parse.js';
import { ScenarioError, formatProblem } from '../../src/topology/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nsx-twin-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yamlInRequireCache = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[/\\]node_modules[/\\]yaml[/\\]/.test(k));

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

const VALID = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
tier1s:
  t1: { advertise: [TIER1_CONNECTED] }
segments:
  s1: { tier1: t1, gateway: 10.1.1.1/24 }
workloads:
  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }
`;
/** Valid, small, and only the fast path takes it: no yaml. */
const valid = join(dir, 'valid.yaml');
/** A semantic problem (unknown segment): the data comes from the fast path, the line from yaml. */
const badRef = join(dir, 'bad-ref.yaml');
/** An anchor and a duplicate key: the fast path declines, the full parser reports. */
const declined = join(dir, 'declined.yaml');
writeFileSync(valid, VALID);
writeFileSync(badRef, VALID.replace('segment: s1', 'segment: s9'));
writeFileSync(declined, VALID.replace('tier1s:\n  t1:', 'tier1s:\n  t1: &t1').replace('workloads:\n', 'workloads:\n  vm1: { host: esx-01 }\n'));

describe('loadScenarioFile without the eager parser', () => {
  it('loads a valid file through the fast path alone, without building the full parser', () => {
    const { scenario } = loadScenarioFile(valid);
    expect(Object.keys(scenario.workloads ?? {})).toEqual(['vm1']);
    expect(fullParserLoaded()).toBe(false);
    expect(yamlInRequireCache()).toBe(false);
  });

  it('builds the full parser when a problem needs its line, and when the fast path declines a text', () => {
    const ref = problemsOf(() => loadScenarioFile(badRef));
    expect(ref.join('\n')).toMatch(/workloads\.vm1\.segment: .*s9.* \(line 8\)$/);
    expect(fullParserLoaded()).toBe(true);
    const dup = problemsOf(() => loadScenarioFile(declined));
    expect(dup[0]).toMatch(/^.*declined\.yaml: duplicate name "vm1": Map keys must be unique \(line 9\)$/);
  });

  it('reports exactly what the eager loader (load.ts) reports', async () => {
    const { loadScenarioText } = await import('../../src/topology/load.js');
    const { readFileSync } = await import('node:fs');
    for (const file of [valid, badRef, declined]) {
      expect(problemsOf(() => loadScenarioFile(file))).toEqual(problemsOf(() => loadScenarioText(readFileSync(file, 'utf8'), file)));
    }
  });
});
