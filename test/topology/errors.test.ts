// Problem formatting and error types (src/topology/errors.ts).
import { describe, expect, it } from 'vitest';
import { QueryError, ScenarioError, formatPath, formatProblem } from '../../src/topology/errors.js';

describe('formatPath', () => {
  it('joins names with dots and list indexes in brackets', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['tier1s', 't1-web', 'tier0'])).toBe('tier1s.t1-web.tier0');
    expect(formatPath(['tier0s', 't0', 'uplinks', 0, 'ip'])).toBe('tier0s.t0.uplinks[0].ip');
  });

  it('quotes names that are not plain identifiers', () => {
    expect(formatPath(['segments', 'odd.name', 'gateway'])).toBe('segments["odd.name"].gateway');
    expect(formatPath(['transportNodes', ''])).toBe('transportNodes[""]');
    expect(formatPath(['a b'])).toBe('["a b"]');
  });
});

describe('formatProblem / ScenarioError / QueryError', () => {
  it('formats file: path: message (line n)', () => {
    expect(formatProblem({ file: 'lab.yaml', path: 'tier1s.t1.tier0', message: 'no Tier-0 named "x"', code: 'dangling-reference', line: 12 })).toBe('lab.yaml: tier1s.t1.tier0: no Tier-0 named "x" (line 12)');
    expect(formatProblem({ file: 'lab.yaml', path: '', message: 'cannot read file', code: 'io' })).toBe('lab.yaml: cannot read file');
  });

  it('ScenarioError carries every problem and lists them in its message', () => {
    const problems = [
      { file: 'a.yaml', path: 'x', message: 'one', code: 'type' as const, line: 1 },
      { file: 'b.yaml', path: '', message: 'two', code: 'io' as const },
    ];
    const e = new ScenarioError(problems);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ScenarioError');
    expect(e.problems).toEqual(problems);
    expect(e.message).toBe('a.yaml: x: one (line 1)\nb.yaml: two');
  });

  it('QueryError is an Error with its own name', () => {
    const e = new QueryError('no gateway named "x"');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('QueryError');
    expect(e.message).toBe('no gateway named "x"');
  });
});
