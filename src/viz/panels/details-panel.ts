// The details panel: renders what the engine host assembled for the selected object (routing
// tables per component, BGP with the reason of each path, NAT and firewall rules, Avi virtual
// services and their routes) and offers to trace from or to it.
import type { Details } from '../engine-host.js';
import { h, section, table } from '../dom.js';

export interface DetailActions {
  traceFrom(name: string): void;
  traceTo(name: string): void;
}

export function renderDetails(el: HTMLElement, d: Details | null, actions: DetailActions): void {
  el.replaceChildren();
  if (!d) {
    el.append(h('p', { class: 'muted' }, 'Click an object in the topology to see its tables.'));
    return;
  }
  el.append(h('h2', {}, d.title), h('p', { class: 'muted' }, d.subtitle));
  if (d.traceName !== undefined) {
    const name = d.traceName;
    const from = h('button', { type: 'button', 'data-action': 'trace-from' }, 'Trace from here');
    const to = h('button', { type: 'button', 'data-action': 'trace-to' }, 'Trace to here');
    from.addEventListener('click', () => actions.traceFrom(name));
    to.addEventListener('click', () => actions.traceTo(name));
    el.append(section('Traceflow', from, ' ', to));
  }
  for (const b of d.blocks) {
    el.append(
      section(
        b.title,
        b.text !== undefined ? h('p', {}, b.text) : null,
        b.table ? table([...b.table.header], b.table.rows.map((r) => [...r]), b.table.cls) : null,
        b.more ? h('details', {}, h('summary', {}, b.more.summary), table([...b.more.header], b.more.rows.map((r) => [...r]))) : null,
      ),
    );
  }
}
