// The CLI's text renderings at the size of a large deployment (src/cli/format.ts): a table's columns
// padded to their widest cell, a table of more rows than a call takes arguments (a ToR's routes at
// L: 144k) rendered, not a stack overflow; the topology's nodes of one kind listed in linear time.
import { describe, expect, it } from 'vitest';
import { MultiUndirectedGraph } from 'graphology';
import { formatTopology, table } from '../../src/cli/format.js';
import type { TopologyGraph } from '../../src/engine/queries/topology-graph.js';

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

describe('formatTopology', () => {
  it('lists 150,000 nodes of one kind and their links, in graph order', () => {
    const g: TopologyGraph = new MultiUndirectedGraph();
    for (let i = 0; i < 150_000; i++) g.addNode(`workload:w${i}`, { kind: 'workload', name: `w${i}`, detail: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` });
    g.addNode('segment:s', { kind: 'segment', name: 's', detail: '10.0.0.0/8' });
    g.addEdge('workload:w0', 'segment:s', { relation: 'attached' });
    const lines = formatTopology(g).split('\n');
    expect(lines.length).toBe(1 + 150_000 + 1 + 1 + 1 + 1);
    expect(lines[0]).toBe('workload (150000)');
    expect(lines[1]).toBe('  w0  10.0.0.0');
    expect(lines[150_000]).toBe('  w149999  10.2.73.239');
    expect(lines.slice(-4)).toEqual(['segment (1)', '  s  10.0.0.0/8', 'links (1)', '  workload:w0 —attached— segment:s']);
  });
});
