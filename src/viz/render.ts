// Draws the view model as SVG with D3: links, then nodes (shape and colour by kind, failed ones
// struck), a path layer for traceflows (the hops visited so far, and a cursor on the current
// hop), pan and zoom on a viewport group, click to select. Labels are text nodes, never HTML.
import { select, zoom, zoomIdentity, type Selection, type ZoomBehavior } from 'd3';
import type { ViewModel, ViewNode } from './layout.js';

export const NODE_W = 104;
export const NODE_H = 34;

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface TopologyView {
  readonly svg: SVGSVGElement;
  /** Highlights a path (view node ids in order) up to hop `upTo` (inclusive; -1 = whole path). */
  showPath(ids: readonly string[], upTo?: number): void;
  clearPath(): void;
  select(id: string | null): void;
  /** Centres the view on a node. */
  focus(id: string): void;
  /** Fits the whole model in the viewport. */
  fit(): void;
  /** Applies a zoom transform (benchmarks, tests). */
  zoomTo(x: number, y: number, k: number): void;
}

const shapeOf = (n: ViewNode): 'rect' | 'pill' | 'circle' => (n.kind === 'segment' || n.kind === 'uplink' ? 'pill' : n.kind === 'vip' ? 'circle' : 'rect');

export function renderTopology(container: HTMLElement, model: ViewModel, onSelect: (node: ViewNode | null) => void = () => {}): TopologyView {
  container.replaceChildren();
  const svg = select(container)
    .append('svg')
    .attr('xmlns', SVG_NS)
    .attr('class', 'topology')
    .attr('role', 'img')
    .attr('aria-label', 'network topology')
    .attr('viewBox', `0 0 ${model.width} ${model.height}`)
    .attr('width', '100%')
    .attr('height', '100%');
  svg
    .append('defs')
    .append('marker')
    .attr('id', 'arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 6)
    .attr('markerHeight', 6)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('d', 'M 0 0 L 10 5 L 0 10 z');
  const viewport = svg.append('g').attr('class', 'viewport');

  // Links: one path per kind (a few elements instead of thousands keeps pan and zoom smooth).
  const kinds = [...new Set(model.links.map((l) => l.kind))];
  viewport
    .append('g')
    .attr('class', 'links')
    .selectAll('path')
    .data(kinds)
    .join('path')
    .attr('class', (k) => `link link-${k}`)
    .attr('data-count', (k) => String(model.links.filter((l) => l.kind === k).length))
    .attr('d', (k) =>
      model.links
        .filter((l) => l.kind === k)
        .map((l) => {
          const a = model.byId.get(l.source)!;
          const b = model.byId.get(l.target)!;
          return `M${a.x},${a.y}L${b.x},${b.y}`;
        })
        .join(''),
    );

  const pathLayer = viewport.append('g').attr('class', 'trace-path');
  const route = pathLayer.append('polyline').attr('class', 'path-line').attr('marker-end', 'url(#arrow)').attr('points', '');
  const cursor = pathLayer.append('circle').attr('class', 'path-cursor').attr('r', 9).style('display', 'none');

  const nodes = viewport
    .append('g')
    .attr('class', 'nodes')
    .selectAll<SVGGElement, ViewNode>('g.node')
    .data(model.nodes, (d) => d.id)
    .join('g')
    .attr('class', (n) => `node kind-${n.kind}${n.down ? ' down' : ''}${n.role ? ` role-${n.role.toLowerCase()}` : ''}`)
    .attr('data-id', (n) => n.id)
    .attr('transform', (n) => `translate(${n.x},${n.y})`)
    .attr('tabindex', 0)
    .on('click', (ev: MouseEvent, n) => {
      ev.stopPropagation();
      onSelect(n);
    });
  nodes.each(function (n) {
    const g = select(this);
    const shape = shapeOf(n);
    if (shape === 'circle') g.append('circle').attr('r', 16);
    else
      g.append('rect')
        .attr('x', -NODE_W / 2)
        .attr('y', -NODE_H / 2)
        .attr('width', NODE_W)
        .attr('height', NODE_H)
        .attr('rx', shape === 'pill' ? NODE_H / 2 : 4);
    g.append('text').attr('class', 'label').attr('y', shape === 'circle' ? 30 : -2).text(clip(n.label, 16));
    g.append('text').attr('class', 'sub').attr('y', shape === 'circle' ? 42 : 11).text(clip(n.sub, 20));
    g.append('title').text(`${n.label}\n${n.sub}${n.down ? '\n(failed)' : ''}`);
  });
  svg.on('click', () => onSelect(null));

  const zoomer: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.02, 4])
    .on('zoom', (ev: { transform: { k: number; toString(): string } }) => {
      viewport.attr('transform', ev.transform.toString());
      // Level of detail: far out, labels and the runs-on links are not drawn (large topologies pan smoothly).
      svg.classed('far', ev.transform.k * scaleOf() < 0.45);
    });
  (svg as unknown as Selection<SVGSVGElement, unknown, null, undefined>).call(zoomer);

  const node = svg.node()!;
  /** Screen pixels per model unit at zoom 1 (the viewBox fits the model into the element). */
  function scaleOf(): number {
    const r = node.getBoundingClientRect?.();
    return r && r.width > 0 ? Math.min(r.width / model.width, r.height / model.height) : 1;
  }
  svg.classed('far', scaleOf() < 0.45);
  const api: TopologyView = {
    svg: node,
    showPath(ids, upTo = -1) {
      const end = upTo < 0 ? ids.length - 1 : Math.min(upTo, ids.length - 1);
      const pts = ids.slice(0, end + 1).map((id) => model.byId.get(id)!);
      route.attr('points', pts.map((p) => `${p.x},${p.y}`).join(' '));
      nodes.classed('on-path', (n) => ids.includes(n.id)).classed('visited', (n) => pts.includes(n));
      const at = pts[pts.length - 1];
      if (at) cursor.style('display', null).attr('cx', at.x).attr('cy', at.y);
      else cursor.style('display', 'none');
    },
    clearPath() {
      route.attr('points', '');
      cursor.style('display', 'none');
      nodes.classed('on-path', false).classed('visited', false);
    },
    select(id) {
      nodes.classed('selected', (n) => n.id === id);
    },
    focus(id) {
      const n = model.byId.get(id);
      if (!n) return;
      // The zoom transform is in model units (the viewBox), centred on the middle of the viewBox;
      // zoom in until boxes are drawn at their own size on screen (labels readable).
      const k = Math.max(1, Math.min(4, 1 / scaleOf()));
      (svg as unknown as Selection<SVGSVGElement, unknown, null, undefined>).call(zoomer.transform, zoomIdentity.translate(model.width / 2 - n.x * k, model.height / 2 - n.y * k).scale(k));
    },
    fit() {
      (svg as unknown as Selection<SVGSVGElement, unknown, null, undefined>).call(zoomer.transform, zoomIdentity);
    },
    zoomTo(x, y, k) {
      (svg as unknown as Selection<SVGSVGElement, unknown, null, undefined>).call(zoomer.transform, zoomIdentity.translate(x, y).scale(k));
    },
  };
  return api;
}

function clip(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
