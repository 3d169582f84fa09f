// "Did you mean" suggestions (src/topology/did-you-mean.ts).
import { describe, expect, it } from 'vitest';
import { closest, editDistance, suggestion } from '../../src/topology/did-you-mean.js';

describe('editDistance', () => {
  it('is the Levenshtein distance', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('t0-lhr', 't0-lhr')).toBe(0);
    expect(editDistance('edge-1', 'edge-01')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(2);
  });
});

describe('closest / suggestion', () => {
  it('finds the nearest candidate, case-insensitively', () => {
    expect(closest('advertize', ['advertise', 'advertisementRules', 'edges'])).toBe('advertise');
    expect(closest('T0-LHR', ['t0-lhr', 't1-web'])).toBe('t0-lhr');
    expect(closest('edge-1', ['edge-01', 'edge-02'])).toBe('edge-01');
  });

  it('breaks ties alphabetically', () => {
    expect(closest('edge-0', ['edge-02', 'edge-01'])).toBe('edge-01');
  });

  it('suggests nothing when every candidate is too far or there are none', () => {
    expect(closest('colour', ['transportNodes', 'tier0s'])).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
    expect(suggestion('colour', ['name'])).toBe('');
  });

  it('allows more edits for longer words', () => {
    // 12 letters: up to 4 edits.
    expect(closest('edgeClustrrs', ['edgeClusters'])).toBe('edgeClusters');
    // 3 letters: up to 2 edits only.
    expect(closest('abc', ['xyz'])).toBeUndefined();
  });

  it('formats the suggestion as shown in problem messages', () => {
    expect(suggestion('nmae', ['name', 'description'])).toBe(' (did you mean "name"?)');
  });
});
