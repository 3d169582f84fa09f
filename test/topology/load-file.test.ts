// Node-side loading (src/topology/load-file.ts): files from disk, `extends:` relative to the file
// that holds it, and the files are only read.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { ScenarioError } from '../../src/topology/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nsx-twin-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
tier1s:
  t1: { advertise: [TIER1_CONNECTED] }
segments:
  s1: { tier1: t1, gateway: 10.1.1.1/24 }
  s2: { tier1: t1, gateway: 10.1.2.1/24 }
workloads:
  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }
`;

describe('loadScenarioFile', () => {
  mkdirSync(join(dir, 'common'));
  mkdirSync(join(dir, 'sites'));
  const base = join(dir, 'common', 'base.yaml');
  const site = join(dir, 'sites', 'site.yaml');
  writeFileSync(base, BASE);
  writeFileSync(site, 'extends: ../common/base.yaml\nname: site\nsegments:\n  s2: null\n');

  it('loads a file and the bases it extends, relative to the file', () => {
    const before = [statSync(base).mtimeMs, statSync(site).mtimeMs];
    const l = loadScenarioFile(site);
    expect(l.files).toHaveLength(2);
    expect(l.files[1].endsWith(join('common', 'base.yaml'))).toBe(true);
    expect(l.scenario.name).toBe('site');
    expect(Object.keys(l.scenario.segments!)).toEqual(['s1']);
    // Read only.
    expect(readFileSync(base, 'utf8')).toBe(BASE);
    expect([statSync(base).mtimeMs, statSync(site).mtimeMs]).toEqual(before);
  });

  it('a missing file is an io problem', () => {
    try {
      loadScenarioFile(join(dir, 'nope.yaml'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).problems).toEqual([expect.objectContaining({ code: 'io', path: '' })]);
    }
  });

  it('a missing base is reported on the extends line', () => {
    const f = join(dir, 'sites', 'broken.yaml');
    writeFileSync(f, 'name: broken\nextends: ../common/missing.yaml\n');
    try {
      loadScenarioFile(f);
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).problems).toEqual([expect.objectContaining({ code: 'extends', path: 'extends', line: 2 })]);
      expect((e as ScenarioError).problems[0].message).toContain('missing.yaml');
    }
  });
});
