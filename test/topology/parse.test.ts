// Scenario text parsing (src/topology/parse.ts): YAML/JSON to plain data, syntax and duplicate-key
// problems with their line, a locator from object paths to lines, and names treated as data.
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/topology/parse.js';
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
