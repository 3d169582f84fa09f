// @vitest-environment happy-dom
// The topology view in a DOM: the reference scenario's SVG is deterministic and matches its
// snapshot; labels are text (a name with markup stays text); the path layer follows a trace.
import { describe, expect, it } from 'vitest';
import { buildTwin } from '../../src/engine/twin.js';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { buildViewModel, pathNodeIds } from '../../src/viz/layout.js';
import { renderTopology } from '../../src/viz/render.js';

const twin = buildTwin(loadScenarioFile('scenarios/tkgi-byot.yaml').scenario);

function draw() {
  const el = document.createElement('div');
  document.body.append(el);
  const model = buildViewModel(twin);
  const view = renderTopology(el, model);
  return { el, model, view };
}

describe('topology SVG', () => {
  it('is the same on every render and matches the snapshot', async () => {
    const a = draw().el.innerHTML;
    const b = draw().el.innerHTML;
    expect(a).toBe(b);
    await expect(a.replaceAll('><', '>\n<')).toMatchFileSnapshot('./__snapshots__/tkgi-byot.svg');
  });
  it('draws one group per view node and every link (one path per kind), labels as text', () => {
    const { el, model } = draw();
    expect(el.querySelectorAll('g.node').length).toBe(model.nodes.length);
    const paths = [...el.querySelectorAll('path.link')];
    expect(paths.map((p) => p.getAttribute('class'))).toEqual(['link link-l2', 'link link-vip', 'link link-internal', 'link link-router-link', 'link link-runs-on']);
    expect(paths.reduce((n, p) => n + (p.getAttribute('d')!.match(/M/g) ?? []).length, 0)).toBe(model.links.length);
    const se = el.querySelector('g.node[data-id="ep:se-generic-01"]')!;
    expect(se.getAttribute('class')).toBe('node kind-endpoint role-service_engine');
    expect(se.querySelector('text.label')!.textContent).toBe('se-generic-01');
  });
  it('a name with markup is rendered as text', () => {
    const s = structuredClone(loadScenarioFile('scenarios/edge-cases/dr-only-vs-centralized.yaml').scenario);
    s.workloads = { ...s.workloads, '<img src=x onerror=alert(1)>': { host: 'esx-01', segment: 'seg-distributed', ip: '10.1.1.77' } };
    const el = document.createElement('div');
    renderTopology(el, buildViewModel(buildTwin(s)));
    expect(el.querySelector('img')).toBeNull();
    expect([...el.querySelectorAll('title')].some((t) => t.textContent!.startsWith('<img src=x onerror=alert(1)>\n10.1.1.77'))).toBe(true);
  });
  it('focus centres the view on a node (the zoom transform is in model units, the viewBox)', () => {
    const { el, model, view } = draw();
    const n = model.byId.get('t1sr:t1-pks-0b7d0725:edge-01')!;
    view.focus(n.id);
    // happy-dom lays nothing out: one model unit is one pixel, so focus zooms to 1.
    expect(el.querySelector('g.viewport')!.getAttribute('transform')).toBe(`translate(${model.width / 2 - n.x},${model.height / 2 - n.y}) scale(1)`);
  });
  it('the path layer goes through the hops of a trace, up to the current step', () => {
    const { el, model, view } = draw();
    const path = twin.trace({ from: 'ubuntu02', to: '10.146.102.100', proto: 'tcp', dport: 80 }).paths[0];
    const ids = pathNodeIds(model, path.hops);
    expect(ids).toEqual(['host:ubuntu02', 'router:tor-01', 'seg:t0-uplink-vlan', 't0sr:t0-lhr:edge-01', 't1dr:The-Tier-1', 'seg:avi-se-generic-data', 'ep:se-generic-01']);
    view.showPath(ids, 2);
    expect(el.querySelector('polyline.path-line')!.getAttribute('points')!.split(' ')).toHaveLength(3);
    expect([...el.querySelectorAll('g.node.on-path')].map((g) => g.getAttribute('data-id')).sort()).toEqual([...ids].sort());
    expect([...el.querySelectorAll('g.node.visited')]).toHaveLength(3);
    view.clearPath();
    expect(el.querySelectorAll('g.node.on-path')).toHaveLength(0);
  });
});
