// The traceflow panel: source, destination (name, address or FQDN), protocol and port → the result
// with its disposition up front, a choice of ECMP path and of leg (the client's leg, each SE →
// member leg, the replies), a step-through control, and the observation table with NSX-like
// columns. The chosen leg is what the topology highlights.
import type { Hop, TracePath, TraceResult } from '../../engine/index.js';
import { h, table } from '../dom.js';

export interface Leg {
  readonly label: string;
  readonly path: TracePath;
}

export interface TraceState {
  result: TraceResult | null;
  error: string | null;
  pathIndex: number;
  legIndex: number;
  step: number;
}

/** The legs a learner can pick for one forward path: the path itself, member legs, replies. */
export function legsOf(r: TraceResult, pathIndex: number): Leg[] {
  const p = r.paths[pathIndex];
  if (!p) return [];
  const legs: Leg[] = [{ label: `client leg: ${p.disposition}`, path: p }];
  for (const m of p.loadBalancer?.members ?? []) {
    m.paths.forEach((mp, i) => legs.push({ label: `SE → ${m.member}${m.path ? ` ${m.path}` : ''}${m.paths.length > 1 ? ` (${i + 1})` : ''}: ${mp.disposition}`, path: mp }));
    (m.return ?? []).forEach((rp) => legs.push({ label: `reply ${m.member} → SE: ${rp.disposition}`, path: rp }));
  }
  const ret = r.return?.find((x) => x.forwardPath === pathIndex);
  (ret?.paths ?? []).forEach((rp, i) => legs.push({ label: `reply${ret!.paths.length > 1 ? ` ${i + 1}` : ''}: ${rp.disposition}`, path: rp }));
  return legs;
}

export function routeText(hop: Hop): string {
  if (hop.route) return `${hop.route.type} ${hop.route.prefix}${hop.route.nextHop ? ` via ${hop.route.nextHop}` : ''}`;
  return hop.rule !== undefined ? `rule ${hop.rule}` : '';
}

export function observationTable(path: TracePath, step: number): HTMLTableElement {
  const t = table(
    ['seq', 'transport node', 'component', 'type', 'observation', 'route / rule', 'detail'],
    path.hops.map((hop) => [String(hop.seq), hop.node, hop.component, hop.componentType, hop.observation, routeText(hop), hop.detail]),
    'observations',
  );
  t.querySelectorAll('tbody tr').forEach((tr, i) => {
    if (i === step) tr.classList.add('current');
    if (i > step && step >= 0) tr.classList.add('ahead');
  });
  return t;
}

/** Summary of a result: dispositions with counts ("DELIVERED ×4"). */
export function summary(r: TraceResult | null, error: string | null = null): string {
  if (error) return `error: ${error}`;
  if (!r) return '—';
  const counts = new Map<string, number>();
  for (const p of r.paths) counts.set(p.disposition, (counts.get(p.disposition) ?? 0) + 1);
  return [...counts].map(([d, n]) => `${d} ×${n}`).join(', ') || 'no path';
}

export function renderTraceResult(el: HTMLElement, st: TraceState, onChange: () => void): void {
  el.replaceChildren();
  if (st.error) {
    el.append(h('div', { class: 'disposition error', role: 'alert' }, st.error));
    return;
  }
  const r = st.result;
  if (!r) return;
  const legs = legsOf(r, st.pathIndex);
  const leg = legs[Math.min(st.legIndex, legs.length - 1)];
  const disp = leg?.path.disposition ?? 'NO PATH';
  el.append(
    h('div', { class: `disposition d-${disp}`, 'data-testid': 'disposition' }, disp),
    h('p', { class: 'flow' }, `${r.flow.from} ${r.flow.src} → ${r.flow.to ?? ''} ${r.flow.dst} (${r.flow.proto}${r.flow.dport ? ` ${r.flow.dport}` : ''})`, r.flow.resolved ? ` — ${r.flow.resolved.fqdn} resolved by ${r.flow.resolved.dnsVirtualService}` : '', ` · all paths: ${summary(r)}`),
  );
  const pathSel = h('select', { 'aria-label': 'path', 'data-testid': 'path-select' }, ...r.paths.map((p, i) => h('option', { value: String(i) }, `Path ${i + 1}/${r.paths.length}: ${p.disposition} via ${p.hops.filter((x) => x.componentType === 'T0_SR' || x.componentType === 'SERVICE_ENGINE').map((x) => `${x.component}@${x.node}`).join(', ') || '…'}`)));
  pathSel.value = String(st.pathIndex);
  pathSel.addEventListener('change', () => {
    st.pathIndex = Number(pathSel.value);
    st.legIndex = 0;
    st.step = -1;
    onChange();
  });
  const legSel = h('select', { 'aria-label': 'leg', 'data-testid': 'leg-select' }, ...legs.map((l, i) => h('option', { value: String(i) }, l.label)));
  legSel.value = String(Math.min(st.legIndex, legs.length - 1));
  legSel.addEventListener('change', () => {
    st.legIndex = Number(legSel.value);
    st.step = -1;
    onChange();
  });
  const n = leg ? leg.path.hops.length : 0;
  const btn = (label: string, title: string, f: () => void) => {
    const b = h('button', { type: 'button', title, 'data-step': title }, label);
    b.addEventListener('click', () => {
      f();
      onChange();
    });
    return b;
  };
  const stepper = h(
    'div',
    { class: 'stepper' },
    btn('«', 'first', () => (st.step = 0)),
    btn('‹', 'previous', () => (st.step = Math.max(0, (st.step < 0 ? n : st.step) - 1))),
    btn('›', 'next', () => (st.step = st.step < 0 ? 0 : Math.min(n - 1, st.step + 1))),
    btn('»', 'whole path', () => (st.step = -1)),
    playButton(st, n, onChange),
    h('span', { class: 'muted' }, st.step < 0 ? `${n} hops` : `hop ${st.step + 1}/${n}`),
  );
  if (leg?.path === r.paths[st.pathIndex] && r.paths[st.pathIndex].loadBalancer) {
    const lb = r.paths[st.pathIndex].loadBalancer!;
    el.append(h('p', { class: 'lb' }, `Virtual service ${lb.virtualService} on ${lb.serviceEngine}${lb.snat ? `, SNAT ${lb.snat}` : ''}${lb.reason ? ` — NO_SERVICE: ${lb.reason}` : ''}${lb.answeredBy ? ` — ${lb.answeredBy}` : ''}`));
  }
  el.append(h('div', { class: 'pickers' }, pathSel, legSel), stepper);
  if (leg) el.append(observationTable(leg.path, st.step));
}

let playing: ReturnType<typeof setInterval> | null = null;

/** Animates the path hop by hop (a simulation mode); pressing again stops. */
function playButton(st: TraceState, n: number, onChange: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', title: 'play', 'data-step': 'play' }, playing ? '■ stop' : '▷ play');
  b.addEventListener('click', () => {
    if (playing) {
      clearInterval(playing);
      playing = null;
      onChange();
      return;
    }
    st.step = 0;
    playing = setInterval(() => {
      if (st.step >= n - 1) {
        clearInterval(playing!);
        playing = null;
      } else st.step++;
      onChange();
    }, 600);
    onChange();
  });
  return b;
}
