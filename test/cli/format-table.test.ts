// The CLI's text tables (src/cli/format.ts table): columns padded to their widest cell, and a table
// of more rows than a call takes arguments (a ToR's routes at L: 144k) rendered, not a stack overflow.
import { describe, expect, it } from 'vitest';
import { table } from '../../src/cli/format.js';

describe('table', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(table(['prefix', 'via'], [['10.0.0.0/8', 'a'], ['1.1.1.1/32', 'bb']])).toBe(['prefix      via', '----------  ---', '10.0.0.0/8  a', '1.1.1.1/32  bb'].join('\n'));
  });

  it('renders 300,000 rows, the widest anywhere setting the width', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [String(i), 'x']);
    rows[250_000][0] = 'a-much-wider-cell';
    const lines = table(['n', 'v'], rows).split('\n');
    expect(lines.length).toBe(300_002);
    expect(lines[1]).toBe(`${'-'.repeat('a-much-wider-cell'.length)}  -`);
    expect(lines[2]).toBe(`0${' '.repeat('a-much-wider-cell'.length - 1)}  x`);
  });
});
