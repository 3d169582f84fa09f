// The view model: what the topology shows for a scenario, in which layer, in which order — and
// that the same scenario always gives the same picture.
import { describe, expect, it } from 'vitest';
import { buildTwin } from '../../src/engine/twin.js';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { applyOverrides } from '../../src/topology/overrides.js';
import { generateScenario } from '../../src/topology/generate.js';
import { buildViewModel, ROW, type ViewKind, type ViewModel, type ViewNode } from '../../src/viz/layout.js';
import { NODE_H, NODE_W } from '../../src/viz/render.js';
import { loadFromFiles } from '../../src/viz/workspace.js';
import { bundledFiles } from './files.js';

const byot = buildTwin(loadScenarioFile('scenarios/tkgi-byot.yaml').scenario);
const model = buildViewModel(byot);
const row = (kind: ViewKind) => [...new Set(model.nodes.filter((n) => n.kind === kind).map((n) => n.y))];
const xOf = (id: string) => model.byId.get(id)!.x;

describe('view model of the BYOT lab', () => {
  it('shows every kind of object in its own layer, top to bottom', () => {
    const order: ViewKind[] = ['physical-host', 'physical-router', 'uplink', 't0-sr', 't0-dr', 't1-sr', 't1-dr', 'segment', 'endpoint', 'transport-node'];
    const ys = order.map((k) => row(k));
    for (const y of ys) expect(y).toHaveLength(1);
    expect(ys.map((y) => y[0])).toEqual([...ys.map((y) => y[0])].sort((a, b) => a - b));
    expect(row('vip')).toEqual(row('segment'));
    expect(ys[1][0] - ys[0][0]).toBe(ROW);
  });
  it('has the Tier-0 SR per edge, the NCP Tier-1 with its SRs, SEs, pods, VIPs and transport nodes', () => {
    const ids = model.nodes.map((n) => n.id);
    for (const id of ['t0sr:t0-lhr:edge-01', 't0sr:t0-lhr:edge-02', 't0dr:t0-lhr', 't1sr:t1-pks-0b7d0725:edge-01', 't1sr:t1-pks-0b7d0725:edge-02', 't1dr:The-Tier-1', 'seg:avi-se-generic-data', 'ep:se-generic-01', 'ep:yelb/yelb-ui-0', 'vip:tkgi-cluster-1--yelb-yelb-ui', 'router:tor-01', 'host:ubuntu02', 'tn:esx-01', 'seg:t0-uplink-vlan']) {
      expect(ids).toContain(id);
    }
    expect(model.byId.get('t1sr:t1-pks-0b7d0725:edge-02')).toMatchObject({ role: 'standby', sub: 'edge-02 · standby' });
    expect(model.links.filter((l) => l.source === 'vip:tkgi-cluster-1--yelb-yelb-ui').map((l) => l.target)).toEqual(['ep:se-generic-01', 'ep:se-generic-02']);
  });
  it('places parents over their children, in scenario order', () => {
    expect(xOf('t1dr:The-Tier-1')).toBeLessThan(xOf('t1dr:t1-avi-dns'));
    expect(xOf('ep:se-generic-01')).toBeLessThan(xOf('ep:se-generic-02'));
    const seg = xOf('seg:avi-se-generic-data');
    expect(seg).toBe((xOf('ep:se-generic-01') + xOf('ep:se-generic-02')) / 2);
  });
  it('is deterministic and marks failed objects', () => {
    expect(JSON.stringify(buildViewModel(byot))).toBe(JSON.stringify(model));
    const failed = buildViewModel(buildTwin(applyOverrides(loadScenarioFile('scenarios/tkgi-byot.yaml'), { fail: ['edge-01', 'se-generic-02'] }).scenario));
    expect(failed.byId.get('t0sr:t0-lhr:edge-01')!.down).toBe(true);
    expect(failed.byId.get('ep:se-generic-02')!.down).toBe(true);
    expect(failed.byId.get('t1sr:t1-pks-0b7d0725:edge-02')!.role).toBe('active');
  });
  it('draws a physical host that sits on the uplink VLAN, linked to it', () => {
    const s = structuredClone(loadScenarioFile('scenarios/edge-cases/dr-only-vs-centralized.yaml').scenario);
    s.physicalHosts = { ...s.physicalHosts, 'vlan-host': { ip: '10.0.10.99/24', gateway: '10.0.10.1', segment: 'uplink-vlan' } };
    const m = buildViewModel(buildTwin(s));
    expect(m.byId.get('host:vlan-host')).toMatchObject({ kind: 'physical-host', sub: '10.0.10.99' });
    expect(m.links.filter((l) => l.source === 'host:vlan-host').map((l) => l.target)).toContain('seg:uplink-vlan');
  });
  it('draws the SRs of a gateway side by side, one per edge, active first as the scenario lists them', () => {
    for (const gw of ['t0sr:t0-lhr', 't1sr:t1-pks-0b7d0725', 't1sr:t1-tkgi-mgmt']) {
      const [a, b] = [model.byId.get(`${gw}:edge-01`)!, model.byId.get(`${gw}:edge-02`)!];
      expect(a.y).toBe(b.y);
      expect(b.x - a.x).toBeGreaterThanOrEqual(NODE_W);
    }
    expect(model.byId.get('t1sr:t1-pks-0b7d0725:edge-01')!.sub).toBe('edge-01 · active');
  });
  it('scales to 200 Tier-1s and 2,000 segments', () => {
    const big = buildViewModel(buildTwin(generateScenario({ tier1s: 200, segmentsPerTier1: 10, workloadsPerSegment: 1, hosts: 8, edges: 2, centralizedEvery: 10 })));
    expect(big.nodes.filter((n) => n.kind === 'segment')).toHaveLength(2000);
    expect(big.nodes.filter((n) => n.kind === 't1-dr')).toHaveLength(200);
  });
});

/** Pairs of node boxes (the rectangles, pills and VIP circles render.ts draws) that overlap. */
function overlaps(m: ViewModel): string[] {
  const half = (n: ViewNode) => (n.kind === 'vip' ? { w: 16, h: 16 } : { w: NODE_W / 2, h: NODE_H / 2 });
  const byRow = new Map<number, ViewNode[]>();
  for (const n of m.nodes) byRow.set(n.y, [...(byRow.get(n.y) ?? []), n]);
  const out: string[] = [];
  for (const row of byRow.values()) {
    const sorted = [...row].sort((a, b) => a.x - b.x);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1], sorted[i]];
      if (b.x - a.x < half(a).w + half(b).w) out.push(`${a.id} / ${b.id}`);
    }
  }
  // Rows are far enough apart that boxes of different rows never meet.
  expect(ROW).toBeGreaterThan(NODE_H);
  return out;
}

describe('every bundled scenario', () => {
  const files = bundledFiles();
  const scenarios = Object.keys(files).filter((f) => f.startsWith('scenarios/'));
  it('is bundled (21 or more scenario files)', () => expect(scenarios.length).toBeGreaterThanOrEqual(21));
  it.each(scenarios)('%s: no two node boxes overlap, every node is on the canvas', (file) => {
    const m = buildViewModel(buildTwin(loadFromFiles(files, file).scenario));
    expect(overlaps(m)).toEqual([]);
    for (const n of m.nodes) {
      expect(n.x - NODE_W / 2).toBeGreaterThanOrEqual(0);
      expect(n.x + NODE_W / 2).toBeLessThanOrEqual(m.width);
    }
  });
  it('a gateway with more SRs than children, and more transport nodes than columns, still does not overlap', () => {
    const s = buildTwin(generateScenario({ tier1s: 3, segmentsPerTier1: 1, workloadsPerSegment: 0, hosts: 12, edges: 4, centralizedEvery: 1 }));
    expect(overlaps(buildViewModel(s))).toEqual([]);
  });
});
