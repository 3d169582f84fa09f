// Scenario loading (src/topology/load.ts): parse → `extends:` resolution (maps merge, lists
// replace, null deletes) → validation, with problems attributed to the file that wrote them; the
// result is frozen and the inputs are never modified.
import { describe, expect, it } from 'vitest';
import { produce } from 'immer';
import { loadScenario, loadScenarioText, mergeInto, type LoadOptions } from '../../src/topology/load.js';
import { ReadError, ScenarioError, type Problem } from '../../src/topology/errors.js';

const BASE = `name: base
description: the base lab
settings:
  ttl: 32
transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
  edge-01: { type: edge, tep: 10.0.20.21 }
  edge-02: { type: edge, tep: 10.0.20.22 }
edgeClusters:
  ec: { members: [edge-01, edge-02] }
tier0s:
  t0:
    haMode: ACTIVE_ACTIVE
    edgeCluster: ec
    staticRoutes:
      - { network: 10.9.0.0/16, nextHops: [{ blackhole: true }] }
tier1s:
  t1: { tier0: t0, advertise: [TIER1_CONNECTED] }
segments:
  s1: { tier1: t1, gateway: 10.1.1.1/24 }
  s2: { tier1: t1, gateway: 10.1.2.1/24 }
workloads:
  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }
`;

const lineOf = (text: string, marker: string) => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

function problemsOf(fn: () => unknown): Problem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

function isDeepFrozen(v: unknown): boolean {
  if (!v || typeof v !== 'object') return true;
  if (!Object.isFrozen(v)) return false;
  return Object.keys(v).every((k) => isDeepFrozen((v as Record<string, unknown>)[k]));
}

/** Options over an in-memory file set, recording what was read. */
function memFs(files: Record<string, string>): LoadOptions & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readText: (f) => {
      reads.push(f);
      return Object.hasOwn(files, f) ? files[f] : undefined;
    },
    resolve: (from, ref) => (ref.startsWith('/') ? ref : from.replace(/[^/]*$/, '') + ref),
  };
}

describe('loadScenarioText: one file', () => {
  it('returns the validated scenario, the file list and a locator', () => {
    const l = loadScenarioText(BASE, 'lab.yaml');
    expect(l.files).toEqual(['lab.yaml']);
    expect(l.scenario.name).toBe('base');
    expect(Object.keys(l.scenario.segments!)).toEqual(['s1', 's2']);
    expect(l.locate(['segments', 's2', 'gateway'])).toEqual({ file: 'lab.yaml', line: lineOf(BASE, '  s2:') });
    expect(l.locate(['tier0s', 't0'], true)).toEqual({ file: 'lab.yaml', line: lineOf(BASE, '  t0:') });
  });

  it('the loaded scenario is deeply frozen (an immer snapshot: edit it with produce)', () => {
    const l = loadScenarioText(BASE);
    expect(isDeepFrozen(l.scenario)).toBe(true);
    expect(() => {
      (l.scenario.workloads!.vm1 as { ip: string }).ip = '10.1.1.99';
    }).toThrow(TypeError);
    const edited = produce(l.scenario, (d) => {
      d.workloads!.vm1.ip = '10.1.1.99';
    });
    expect(edited.workloads!.vm1.ip).toBe('10.1.1.99');
    expect(l.scenario.workloads!.vm1.ip).toBe('10.1.1.10');
    expect(edited.tier0s).toBe(l.scenario.tier0s); // structural sharing
  });

  it('never modifies its inputs, and loading twice gives equal results', () => {
    const text = BASE.slice();
    const bases = Object.freeze({ 'other.yaml': 'name: other\n' });
    const a = loadScenarioText(text, 'lab.yaml', bases);
    const b = loadScenarioText(text, 'lab.yaml', bases);
    expect(text).toBe(BASE);
    expect(bases).toEqual({ 'other.yaml': 'name: other\n' });
    expect(a.scenario).toEqual(b.scenario);
    expect(a.scenario).not.toBe(b.scenario);
  });

  it('a file that cannot be read is an io problem', () => {
    const fs = memFs({});
    expect(problemsOf(() => loadScenario('nope.yaml', fs))).toEqual([{ file: 'nope.yaml', path: '', message: 'cannot read file', code: 'io' }]);
  });

  it('a reader that throws is treated as unreadable', () => {
    const opts: LoadOptions = {
      readText: () => {
        throw new Error('EACCES');
      },
      resolve: (_f, r) => r,
    };
    expect(problemsOf(() => loadScenario('x.yaml', opts))).toEqual([expect.objectContaining({ code: 'io', file: 'x.yaml' })]);
  });

  it('a ReadError says why the file or a base cannot be read', () => {
    const opts: LoadOptions = {
      readText: (f) => {
        if (f === 'top.yaml') return 'name: top\nextends: dir\n';
        throw new ReadError(f === 'dir' ? 'it is a directory' : 'no such file');
      },
      resolve: (_f, r) => r,
    };
    expect(problemsOf(() => loadScenario('nope.yaml', opts))).toEqual([{ file: 'nope.yaml', path: '', message: 'cannot read file: no such file', code: 'io' }]);
    expect(problemsOf(() => loadScenario('top.yaml', opts))).toEqual([{ file: 'top.yaml', path: 'extends', message: 'cannot read base scenario "dir": it is a directory', code: 'extends', line: 2 }]);
  });

  // Regression: UTF-16 text read as UTF-8 came out as "a scenario is a map of sections".
  it('text with NUL characters is not UTF-8 text; a leading byte-order mark is dropped', () => {
    const utf16AsUtf8 = 't\0r\0a\0n\0s\0p\0o\0r\0t\0N\0o\0d\0e\0s\0:\0 \0{\0}\0';
    expect(problemsOf(() => loadScenarioText(utf16AsUtf8, 'u16.yaml'))).toEqual([
      { file: 'u16.yaml', path: '', message: 'cannot read file: it is not UTF-8 text: it contains NUL characters (UTF-16 or a binary file?); save it as UTF-8', code: 'io', line: 1 },
    ]);
    expect(loadScenarioText(`\uFEFF${BASE}`, 'bom.yaml').scenario.name).toBe('base');
  });

  // Regression: copying a cyclic value overflowed the stack ("internal error").
  it('a recursive alias is a problem, in the file and in a base', () => {
    expect(problemsOf(() => loadScenarioText('name: x\ntransportNodes: &t { esx-01: *t }\n', 'rec.yaml'))).toEqual([
      expect.objectContaining({ file: 'rec.yaml', path: 'transportNodes.esx-01', code: 'syntax', line: 2 }),
    ]);
    expect(problemsOf(() => loadScenarioText('extends: base.yaml\n', 'top.yaml', { 'base.yaml': 'a: &x [*x]\n' }))).toEqual([
      expect.objectContaining({ file: 'base.yaml', path: 'a[0]', code: 'syntax', line: 1 }),
    ]);
  });

  it('an empty file, a list and a scalar are one problem each', () => {
    expect(problemsOf(() => loadScenarioText('', 'e.yaml'))).toEqual([{ file: 'e.yaml', path: '', message: 'the file is empty', code: 'missing' }]);
    expect(problemsOf(() => loadScenarioText('# only a comment\n', 'c.yaml'))).toEqual([expect.objectContaining({ code: 'missing' })]);
    expect(problemsOf(() => loadScenarioText('- a\n- b\n', 'l.yaml'))).toEqual([expect.objectContaining({ code: 'type', path: '', file: 'l.yaml' })]);
    expect(problemsOf(() => loadScenarioText('hello\n', 's.yaml'))).toEqual([expect.objectContaining({ code: 'type', path: '' })]);
  });

  it('a duplicate key is reported together with the validation problems', () => {
    const text = BASE.replace('  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }', '  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }\n  vm1: { host: esx-01, segment: s1, ip: 10.1.1.11 }\n  vm2: { host: esx-09, segment: s1, ip: 10.1.1.12 }');
    const found = problemsOf(() => loadScenarioText(text, 'dup.yaml'));
    expect(found.map((p) => [p.code, p.line])).toEqual([
      ['duplicate-name', lineOf(text, '10.1.1.11')],
      ['dangling-reference', lineOf(text, 'vm2:')],
    ]);
  });

  it('a YAML syntax error is a ScenarioError with the line', () => {
    const text = BASE.replace('  s2: { tier1: t1, gateway: 10.1.2.1/24 }', '  s2: tier1: t1');
    const found = problemsOf(() => loadScenarioText(text, 'bad.yaml'));
    expect(found[0]).toMatchObject({ file: 'bad.yaml', code: 'syntax', line: lineOf(text, '  s2:') });
  });

  // Regression: yaml's alias-count ReferenceError used to escape the loader as a raw error.
  it('a YAML alias bomb is a ScenarioError, not a crash', () => {
    const text = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', 'transportNodes: {}'].join('\n');
    expect(() => loadScenarioText(text, 'bomb.yaml')).toThrow(ScenarioError);
  });
});

describe('mergeInto: the override semantics of extends', () => {
  it('maps merge key by key, lists and scalars replace, null deletes', () => {
    const target: Record<string, unknown> = {
      name: 'base',
      settings: { ttl: 32, maxEcmp: 8 },
      tier0s: { t0: { haMode: 'ACTIVE_ACTIVE', edgeCluster: 'ec', uplinks: [{ edge: 'a' }, { edge: 'b' }] } },
      segments: { s1: { gateway: '10.1.1.1/24' }, s2: { gateway: '10.1.2.1/24' } },
    };
    mergeInto(target, {
      extends: 'base.yaml',
      name: 'override',
      settings: { ttl: 8 },
      tier0s: { t0: { haMode: 'ACTIVE_STANDBY', uplinks: [{ edge: 'c' }] } },
      segments: { s2: null, s3: { gateway: '10.1.3.1/24' } },
    });
    expect(target).toEqual({
      name: 'override',
      settings: { ttl: 8, maxEcmp: 8 },
      tier0s: { t0: { haMode: 'ACTIVE_STANDBY', edgeCluster: 'ec', uplinks: [{ edge: 'c' }] } },
      segments: { s1: { gateway: '10.1.1.1/24' }, s3: { gateway: '10.1.3.1/24' } },
    });
    expect('extends' in target).toBe(false);
  });

  it('a map replaces a scalar and a scalar replaces a map', () => {
    const target: Record<string, unknown> = { a: 1, b: { x: 1 } };
    mergeInto(target, { a: { y: 2 }, b: 'flat' });
    expect(target).toEqual({ a: { y: 2 }, b: 'flat' });
  });

  it('copies what it takes from the override (later edits of the override do not leak)', () => {
    const override = { segments: { s3: { gateway: '10.1.3.1/24' } }, list: [{ a: 1 }] };
    const target: Record<string, unknown> = {};
    mergeInto(target, override);
    override.segments.s3.gateway = 'changed';
    override.list[0].a = 2;
    expect(target).toEqual({ segments: { s3: { gateway: '10.1.3.1/24' } }, list: [{ a: 1 }] });
  });

  it('__proto__ keys in an override stay data and pollute nothing', () => {
    const override = JSON.parse('{"tier1s": {"__proto__": {"polluted": 1}}, "__proto__": {"polluted": 2}}');
    const target: Record<string, unknown> = { tier1s: {} };
    mergeInto(target, override);
    expect(Object.keys(target.tier1s as object)).toEqual(['__proto__']);
    expect(Object.keys(target)).toEqual(['tier1s', '__proto__']);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('extends', () => {
  it('merges an override onto its base: maps merge, lists replace, null deletes', () => {
    const override = `extends: base.yaml
name: override
settings:
  maxEcmp: 4
tier0s:
  t0:
    haMode: ACTIVE_STANDBY
    staticRoutes:
      - { network: 10.8.0.0/16, nextHops: [{ blackhole: true }] }
segments:
  s2: null
`;
    const l = loadScenarioText(override, 'over.yaml', { 'base.yaml': BASE });
    expect(l.files).toEqual(['over.yaml', 'base.yaml']);
    const s = l.scenario;
    expect(s.name).toBe('override');
    expect(s.description).toBe('the base lab');
    expect(s.settings).toEqual({ ttl: 32, maxEcmp: 4 });
    expect(s.tier0s!.t0).toEqual({ haMode: 'ACTIVE_STANDBY', edgeCluster: 'ec', staticRoutes: [{ network: '10.8.0.0/16', nextHops: [{ blackhole: true }] }] });
    expect(Object.keys(s.segments!)).toEqual(['s1']);
    expect('extends' in s).toBe(false);
    expect(isDeepFrozen(s)).toBe(true);
  });

  it('an override that only deletes (null) merges, and extends is dropped from the result', () => {
    const l = loadScenarioText('extends: base.yaml\nsegments:\n  s2: null\n', 'over.yaml', { 'base.yaml': BASE });
    expect(l.files).toEqual(['over.yaml', 'base.yaml']);
    expect(Object.keys(l.scenario.segments!)).toEqual(['s1']);
    expect(l.scenario.name).toBe('base');
    expect('extends' in l.scenario).toBe(false);
    expect(isDeepFrozen(l.scenario)).toBe(true);
  });

  it('resolves each extends relative to the file that holds it (chains of bases)', () => {
    const fs = memFs({
      '/lab/sites/lhr.yaml': 'extends: ../common/base.yaml\nsegments:\n  s2: null\n',
      '/lab/common/base.yaml': 'extends: core.yaml\nworkloads: null\n',
      '/lab/common/core.yaml': BASE,
    });
    fs.resolve = (from, ref) => {
      const out: string[] = [];
      for (const part of (from.replace(/[^/]*$/, '') + ref).split('/')) {
        if (part === '..') out.pop();
        else if (part !== '.') out.push(part);
      }
      return out.join('/');
    };
    const l = loadScenario('/lab/sites/lhr.yaml', fs);
    expect(l.files).toEqual(['/lab/sites/lhr.yaml', '/lab/common/base.yaml', '/lab/common/core.yaml']);
    expect(fs.reads).toEqual(l.files);
    expect(l.scenario.workloads).toBeUndefined();
    expect(Object.keys(l.scenario.segments!)).toEqual(['s1']);
  });

  it('a missing base is a problem on the extends line of the file that names it', () => {
    const text = 'name: x\nextends: nowhere.yaml\n';
    expect(problemsOf(() => loadScenarioText(text, 'over.yaml'))).toEqual([
      { file: 'over.yaml', path: 'extends', message: 'cannot read base scenario "nowhere.yaml"', code: 'extends', line: 2 },
    ]);
  });

  it('an extends cycle is one problem naming the cycle', () => {
    const found = problemsOf(() => loadScenarioText('extends: b.yaml\n', 'a.yaml', { 'b.yaml': 'extends: a.yaml\n' }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: 'b.yaml', path: 'extends', code: 'extends' });
    expect(found[0].message).toBe('extends cycle: a.yaml → b.yaml → a.yaml');
  });

  it('a file that extends itself is a cycle', () => {
    const found = problemsOf(() => loadScenarioText('extends: a.yaml\n', 'a.yaml'));
    expect(found).toEqual([expect.objectContaining({ file: 'a.yaml', code: 'extends', message: 'extends cycle: a.yaml → a.yaml' })]);
  });

  // Regression: the cycle problem used to have no line.
  it('the extends cycle problem points at the extends line', () => {
    const found = problemsOf(() => loadScenarioText('extends: b.yaml\n', 'a.yaml', { 'b.yaml': 'name: b\nextends: a.yaml\n' }));
    expect(found[0]).toMatchObject({ file: 'b.yaml', path: 'extends', line: 2 });
  });

  it('a syntax error in a base is attributed to the base', () => {
    const found = problemsOf(() => loadScenarioText('extends: base.yaml\n', 'over.yaml', { 'base.yaml': 'name: b\ntransportNodes: [\n' }));
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(p).toMatchObject({ file: 'base.yaml', code: 'syntax' });
  });

  it('a validation problem written in the base is attributed to the base, with its line', () => {
    const base = BASE.replace('  t1: { tier0: t0, advertise: [TIER1_CONNECTED] }', '  t1: { tier0: t9, advertise: [TIER1_CONNECTED] }');
    const found = problemsOf(() => loadScenarioText('extends: base.yaml\nsegments:\n  s2: null\n', 'over.yaml', { 'base.yaml': base }));
    expect(found).toEqual([expect.objectContaining({ file: 'base.yaml', path: 'tier1s.t1.tier0', code: 'dangling-reference', line: lineOf(base, '  t1:') })]);
  });

  it('a problem caused by a deletion in the override is reported where the dangling reference is written', () => {
    const found = problemsOf(() => loadScenarioText('extends: base.yaml\nsegments:\n  s1: null\n', 'over.yaml', { 'base.yaml': BASE }));
    expect(found).toEqual([expect.objectContaining({ file: 'base.yaml', path: 'workloads.vm1.segment', code: 'dangling-reference', line: lineOf(BASE, '  vm1:') })]);
  });

  it('problems in the override and in the base are each attributed to their own file', () => {
    const base = BASE.replace('  t1: { tier0: t0, advertise: [TIER1_CONNECTED] }', '  t1: { tier0: t9, advertise: [TIER1_CONNECTED] }');
    const override = 'extends: base.yaml\nworkloads:\n  vm2: { host: esx-01, segment: s1, ip: 10.1.9.10 }\n';
    const found = problemsOf(() => loadScenarioText(override, 'over.yaml', { 'base.yaml': base }));
    expect(found).toEqual([
      expect.objectContaining({ file: 'base.yaml', path: 'tier1s.t1.tier0', code: 'dangling-reference', line: lineOf(base, '  t1:') }),
      expect.objectContaining({ file: 'over.yaml', path: 'workloads.vm2.ip', code: 'outside-subnet', line: 3 }),
    ]);
  });

  it('a list replaced in the override is attributed to the override', () => {
    const override = 'extends: base.yaml\ntier0s:\n  t0:\n    staticRoutes:\n      - { network: 10.8.0.1/16, nextHops: [{ blackhole: true }] }\n';
    const found = problemsOf(() => loadScenarioText(override, 'over.yaml', { 'base.yaml': BASE }));
    expect(found).toEqual([expect.objectContaining({ file: 'over.yaml', path: 'tier0s.t0.staticRoutes[0].network', code: 'invalid-address', line: 5 })]);
  });
});
