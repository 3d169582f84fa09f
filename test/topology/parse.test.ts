// Scenario text parsing (src/topology/parse.ts): YAML/JSON to plain data, syntax and duplicate-key
// problems with their line, a locator from object paths to lines, and names treated as data.
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { MAX_NESTING, parseScenarioText } from '../../src/topology/parse.js';
import { loadScenarioText } from '../../src/topology/load.js';
import { ScenarioError } from '../../src/topology/errors.js';

afterEach(() => {
  // Nothing may ever leak onto Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
});

describe('parseScenarioText: data', () => {
  it('turns YAML into plain data with no problems', () => {
    const r = parseScenarioText('name: lab\ntransportNodes:\n  esx-01: { type: host, tep: 10.0.0.1 }\n', 'lab.yaml');
    expect(r.problems).toEqual([]);
    expect(r.data).toEqual({ name: 'lab', transportNodes: { 'esx-01': { type: 'host', tep: '10.0.0.1' } } });
  });

  it('accepts JSON (a YAML subset)', () => {
    const r = parseScenarioText('{"transportNodes": {"e1": {"type": "edge", "tep": "10.0.0.2"}}}', 'lab.json');
    expect(r.problems).toEqual([]);
    expect(r.data).toEqual({ transportNodes: { e1: { type: 'edge', tep: '10.0.0.2' } } });
  });

  it('keeps scalars as YAML types them (a bare IP is a string, a number is a number)', () => {
    const r = parseScenarioText('a: 10.0.0.1\nb: 64\nc: true\nd: null\ne: "8"\n', 'x.yaml');
    expect(r.data).toEqual({ a: '10.0.0.1', b: 64, c: true, d: null, e: '8' });
  });

  it('an empty document has undefined or null data and no problems', () => {
    const r = parseScenarioText('', 'empty.yaml');
    expect(r.problems).toEqual([]);
    expect(r.data ?? null).toBeNull();
  });

  it('does not apply YAML merge keys (<<): they stay ordinary keys for the validator to reject', () => {
    const r = parseScenarioText('base: &b { x: 1 }\nother:\n  <<: *b\n  y: 2\n', 'm.yaml');
    expect(r.data).toEqual({ base: { x: 1 }, other: { '<<': { x: 1 }, y: 2 } });
  });
});

describe('parseScenarioText: problems', () => {
  it('reports a YAML syntax error with its line and no data', () => {
    const text = 'transportNodes:\n  esx-01: { type: host, tep: 10.0.0.1 }\n  esx-02: type: host\nname: x\n';
    const r = parseScenarioText(text, 'bad.yaml');
    expect(r.data).toBeUndefined();
    expect(r.problems.length).toBeGreaterThanOrEqual(1);
    for (const p of r.problems) {
      expect(p).toMatchObject({ file: 'bad.yaml', path: '', code: 'syntax' });
      expect(p.message).toMatch(/^YAML syntax error: /);
      expect(p.line).toBeTypeOf('number');
    }
    expect(r.problems[0].line).toBe(3);
    expect(r.problems[0].message).toContain('Nested mappings');
  });

  it('an unclosed flow map is reported at or right after the line that opens it', () => {
    const r = parseScenarioText('transportNodes:\n  esx-01: { type: host, tep: 10.0.0.1 }\n  esx-02: { type: host, tep: 10.0.0.2\nname: x\n', 'open.yaml');
    expect(r.data).toBeUndefined();
    expect(r.problems[0].code).toBe('syntax');
    expect([3, 4]).toContain(r.problems[0].line);
  });

  it('reports a bad indentation with the line it happens on', () => {
    const text = 'name: x\ntransportNodes:\n  esx-01:\n    type: host\n   tep: 10.0.0.1\n';
    const r = parseScenarioText(text, 'indent.yaml');
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatchObject({ code: 'syntax', line: 5 });
  });

  it('reports a duplicate key as duplicate-name, naming the key and its line, and keeps the data', () => {
    const text = 'transportNodes:\n  esx-01: { type: host, tep: 10.0.0.1 }\n  esx-01: { type: host, tep: 10.0.0.2 }\n';
    const r = parseScenarioText(text, 'dup.yaml');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: 'dup.yaml', code: 'duplicate-name', line: 3 });
    expect(r.problems[0].message).toContain('"esx-01"');
    expect(r.data).toBeDefined();
  });

  // Regression: yaml's toJS throws ReferenceError('Excessive alias count ...'), which used to escape.
  it('a YAML alias bomb is reported as a problem, not thrown as a raw error', () => {
    const text = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'transportNodes: {}',
    ].join('\n');
    let r: ReturnType<typeof parseScenarioText> | undefined;
    expect(() => (r = parseScenarioText(text, 'bomb.yaml'))).not.toThrow();
    expect(r!.problems.length).toBeGreaterThan(0);
    expect(r!.problems[0].file).toBe('bomb.yaml');
  });

  it('a few aliases under the limit are fine', () => {
    const r = parseScenarioText('a: &a { type: host, tep: 10.0.0.1 }\nb: *a\n', 'alias.yaml');
    expect(r.problems).toEqual([]);
    expect(r.data).toEqual({ a: { type: 'host', tep: '10.0.0.1' }, b: { type: 'host', tep: '10.0.0.1' } });
  });
});

describe('parseScenarioText: lineOf', () => {
  const text = [
    'name: lab', // 1
    'transportNodes:', // 2
    '  esx-01:', // 3
    '    type: host', // 4
    '    tep: 10.0.0.1', // 5
    'tier0s:', // 6
    '  t0:', // 7
    '    edgeCluster: ec', // 8
    '    uplinks:', // 9
    '      - edge: e1', // 10
    '        segment: up', // 11
    '        ip: 10.0.10.11/24', // 12
    '      - { edge: e2, segment: up, ip: 10.0.10.12/24 }', // 13
    '',
  ].join('\n');
  const r = parseScenarioText(text, 'lab.yaml');

  it('finds the line of a value at an object path', () => {
    expect(r.lineOf(['name'])).toBe(1);
    expect(r.lineOf(['transportNodes', 'esx-01', 'tep'])).toBe(5);
    expect(r.lineOf(['tier0s', 't0', 'uplinks', 0, 'ip'])).toBe(12);
    expect(r.lineOf(['tier0s', 't0', 'uplinks', 1])).toBe(13);
    expect(r.lineOf(['tier0s', 't0', 'uplinks', 1, 'ip'])).toBe(13);
  });

  it('finds the line of a key when asked', () => {
    expect(r.lineOf(['transportNodes', 'esx-01'], true)).toBe(3);
    expect(r.lineOf(['tier0s', 't0'], true)).toBe(7);
    expect(r.lineOf(['tier0s', 't0', 'uplinks'], true)).toBe(9);
  });

  it('falls back to the nearest enclosing object for a path that is not written', () => {
    expect(r.lineOf(['transportNodes', 'esx-01', 'nope'])).toBe(4);
    expect(r.lineOf(['tier0s', 'missing'])).toBe(7);
  });
});

describe('names are data: no prototype pollution', () => {
  it('__proto__ and constructor as map keys become own data properties', () => {
    const r = parseScenarioText('transportNodes:\n  __proto__: { type: host, tep: 10.0.0.1 }\n  constructor: { type: host, tep: 10.0.0.2 }\n', 'p.yaml');
    const tn = (r.data as { transportNodes: Record<string, unknown> }).transportNodes;
    expect(Object.keys(tn)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(tn)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(tn, '__proto__')?.value).toEqual({ type: 'host', tep: '10.0.0.1' });
  });

  it('a top-level __proto__ key neither pollutes nor changes the prototype', () => {
    const r = parseScenarioText('__proto__: { polluted: 1 }\ntransportNodes: {}\n', 'p.yaml');
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect((r.data as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('loading a file with __proto__ keys (YAML and JSON) reports them as unknown keys and pollutes nothing', () => {
    const yaml = '__proto__: { polluted: 1 }\ntransportNodes:\n  esx-01: { type: host, tep: 10.0.0.1 }\n';
    const e1 = (() => {
      try {
        loadScenarioText(yaml);
      } catch (e) {
        return e;
      }
    })();
    expect(e1).toBeInstanceOf(ScenarioError);
    expect((e1 as ScenarioError).problems).toEqual([expect.objectContaining({ path: '__proto__', code: 'unknown-key', line: 1 })]);

    const json = '{"transportNodes": {"e1": {"type": "edge", "tep": "10.0.0.1"}}, "tier1s": {"__proto__": {"polluted": 1}}}';
    const e2 = (() => {
      try {
        loadScenarioText(json, 'p.json');
      } catch (e) {
        return e;
      }
    })();
    expect(e2).toBeInstanceOf(ScenarioError);
    expect((e2 as ScenarioError).problems.map((p) => p.path)).toEqual(['tier1s.__proto__.polluted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseScenarioText: hostile shapes are problems, never stack overflows', () => {
  // Regression: an anchor whose value holds its own alias became a cyclic object, and copying it
  // (load.ts) overflowed the stack: "internal error: Maximum call stack size exceeded".
  it('a recursive alias in a map is a problem naming the path and line', () => {
    const r = parseScenarioText('name: x\ntransportNodes:\n  h1: &x { ip: 10.0.0.1, self: *x }\n', 'rec.yaml');
    expect(r.data).toBeUndefined();
    expect(r.problems).toEqual([
      { file: 'rec.yaml', path: 'transportNodes.h1.self', message: 'recursive alias *x: the value it names contains this alias, so it would never end', code: 'syntax', line: 3 },
    ]);
  });

  it('a recursive alias in a list, and through loadScenarioText, is a ScenarioError', () => {
    const r = parseScenarioText('transportNodes:\n  h1:\n    - &x [a, *x]\n', 'rec.yaml');
    expect(r.problems).toEqual([expect.objectContaining({ path: 'transportNodes.h1[0][1]', line: 3, code: 'syntax' })]);
    expect(r.problems[0].message).toMatch(/^recursive alias \*x/);
    expect(() => loadScenarioText('a: &x [1, *x]\n', 'l.yaml')).toThrow(ScenarioError);
  });

  it('an alias used twice (not inside its anchor) is fine', () => {
    const r = parseScenarioText('a: &x { p: 1 }\nb: [*x, *x]\n', 'ok.yaml');
    expect(r.problems).toEqual([]);
    expect(r.data).toEqual({ a: { p: 1 }, b: [{ p: 1 }, { p: 1 }] });
  });

  // Regression: 1,000 nested lists gave "YAML syntax error: Maximum call stack size exceeded".
  it('nesting deeper than MAX_NESTING is one problem with its line, flow or block', () => {
    const flow = parseScenarioText(`name: x\na: ${'['.repeat(1000)}${']'.repeat(1000)}\n`, 'deep.yaml');
    expect(flow.data).toBeUndefined();
    expect(flow.problems).toEqual([{ file: 'deep.yaml', path: '', message: `nesting is too deep: more than ${MAX_NESTING} levels of maps and lists`, code: 'syntax', line: 2 }]);
    const block = parseScenarioText(Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'), 'deep.yaml');
    expect(block.problems).toEqual([expect.objectContaining({ code: 'syntax', line: MAX_NESTING + 1 })]);
    expect(block.problems[0].message).toMatch(/^nesting is too deep/);
    const seq = parseScenarioText(`${'- '.repeat(100000)}x\n`, 'deep.yaml');
    expect(seq.problems[0].message).toMatch(/^nesting is too deep/);
  });

  it('nesting up to MAX_NESTING levels is accepted', () => {
    const ok = parseScenarioText(`${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}`, 'ok.yaml');
    expect(ok.problems).toEqual([]);
    const over = parseScenarioText(`${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`, 'over.yaml');
    expect(over.problems[0].message).toMatch(/^nesting is too deep/);
  });

  it('aliases that nest deeper than MAX_NESTING once expanded are a problem at the alias', () => {
    const lines = [`a0: &a0 ${'['.repeat(100)}${']'.repeat(100)}`, `a1: &a1 ${'['.repeat(100)}*a0${']'.repeat(100)}`, 'a2: *a1'];
    const r = parseScenarioText(lines.join('\n'), 'chain.yaml');
    expect(r.data).toBeUndefined();
    expect(r.problems).toEqual([expect.objectContaining({ code: 'syntax', line: 2, path: 'a1[0]' })]);
    expect(r.problems[0].message).toMatch(/^nesting is too deep once aliases are expanded/);
  });

  it('several YAML documents are one syntax problem at the second', () => {
    const r = parseScenarioText('a: 1\n---\nb: 2\n', 'multi.yaml');
    expect(r.data).toBeUndefined();
    expect(r.problems).toEqual([expect.objectContaining({ code: 'syntax', line: 2 })]);
  });
});

describe('parseScenarioText: duplicate keys and lineOf in linear time', () => {
  it('reports every duplicate, nested ones included, in document order with its line', () => {
    const text = 'a:\n  x: 1\n  x: 2\nb: 1\na: 3\nc: [{ k: 1, k: 2 }]\n"b": 4\n';
    const r = parseScenarioText(text, 'dup.yaml');
    expect(r.problems.map((p) => [p.message, p.line])).toEqual([
      ['duplicate name "x": Map keys must be unique', 3],
      ['duplicate name "a": Map keys must be unique', 5],
      ['duplicate name "k": Map keys must be unique', 6],
      ['duplicate name "b": Map keys must be unique', 7],
    ]);
    expect(r.problems.every((p) => p.code === 'duplicate-name')).toBe(true);
    // 1 and "1" (and ~, null and a missing key) are the same key once the map is data: the
    // second would silently replace the first, so it is a duplicate.
    expect(parseScenarioText('m: { 1: a, "1": b }\n', 'k.yaml').problems.map((p) => p.message)).toEqual(['duplicate name "1": Map keys must be unique']);
    expect(parseScenarioText('~: a\nnull: b\n', 'k.yaml').problems.map((p) => [p.message, p.line])).toEqual([['duplicate name "": Map keys must be unique', 2]]);
  });

  // Regression: yaml's uniqueKeys check compares each key with every earlier one (40,000 keys
  // took 13 s, 2 s without it), and lineOf scanned a map's items per path segment. The parse is
  // timed against yaml's own parse without the check, so the bound holds on a slow machine too.
  it('30,000 keys in one map parse, and 4,000 lookups locate, in linear time', () => {
    const n = 30000;
    const text = `workloads:\n${Array.from({ length: n }, (_, i) => `  w-${i}: { host: esx-01, ip: 10.0.${(i >> 8) & 255}.${i & 255} }`).join('\n')}\n  w-7: {}\n`;
    let t = performance.now();
    parseDocument(text, { uniqueKeys: false });
    const baselineMs = performance.now() - t;
    t = performance.now();
    const r = parseScenarioText(text, 'big.yaml');
    const parseMs = performance.now() - t;
    expect(r.problems).toEqual([expect.objectContaining({ code: 'duplicate-name', line: n + 2 })]);
    t = performance.now();
    const lines: (number | undefined)[] = [];
    for (let i = n - 4000; i < n; i++) lines.push(r.lineOf(['workloads', `w-${i}`, 'ip']));
    const lookupMs = performance.now() - t;
    expect(lines).toEqual(Array.from({ length: 4000 }, (_, k) => n - 4000 + k + 2));
    expect(parseMs, `parse ${Math.round(parseMs)} ms vs yaml without the key check ${Math.round(baselineMs)} ms`).toBeLessThan(2 * baselineMs + 1000);
    expect(lookupMs, 'lookup time (ms)').toBeLessThan(2000);
  }, 60000);
});

describe('parseScenarioText: YAML features a scenario cannot use are problems', () => {
  it('a list or map as a key is a problem with its line (yaml only warned on the console)', () => {
    const r = parseScenarioText('name: x\n? [a, b]\n: 1\n', 'k.yaml');
    expect(r.data).toBeUndefined();
    expect(r.problems).toEqual([{ file: 'k.yaml', path: '', message: 'YAML syntax error: a key is a list or a map; scenario keys are names', code: 'syntax', line: 2 }]);
  });

  it('tags other than those of plain values are problems; !!str and friends are fine', () => {
    const r = parseScenarioText('a: !!binary aGk=\nb: !custom { q: 1 }\nc: !!str 10\n', 't.yaml');
    expect(r.problems.map((p) => [p.message, p.line])).toEqual([
      ['YAML syntax error: tag !!binary is not supported; scenario values are strings, numbers, booleans, lists and maps', 1],
      ['YAML syntax error: tag !custom is not supported; scenario values are strings, numbers, booleans, lists and maps', 2],
    ]);
    expect(parseScenarioText('c: !!str 10\nd: !!int "7"\n', 'ok.yaml').data).toEqual({ c: '10', d: 7 });
  });
});
