// The what-if panel: failures and the scenario's variant files as toggles, undo/redo of the edits
// (immer patches, applied by the engine), and the before/after of the last change — the current
// trace's dispositions and the forwarding-table entries that changed.
import type { Snapshot } from '../engine-host.js';
import type { ChangeReport } from '../workspace.js';
import { h, table } from '../dom.js';

export interface WhatIfActions {
  toggle(id: string): void;
  undo(): void;
  redo(): void;
}

export function renderWhatIf(el: HTMLElement, snap: Snapshot, last: { report: ChangeReport; before: string; after: string } | null, a: WhatIfActions): void {
  el.replaceChildren();
  const undo = h('button', { type: 'button', 'data-testid': 'undo', disabled: !snap.canUndo }, '↶ Undo');
  const redo = h('button', { type: 'button', 'data-testid': 'redo', disabled: !snap.canRedo }, '↷ Redo');
  undo.addEventListener('click', a.undo);
  redo.addEventListener('click', a.redo);
  el.append(h('div', { class: 'row' }, undo, redo));
  const groups = new Map<string, HTMLElement>();
  for (const t of snap.toggles) {
    let g = groups.get(t.group);
    if (!g) {
      g = h('fieldset', {}, h('legend', {}, t.group));
      groups.set(t.group, g);
      el.append(g);
    }
    const box = h('input', { type: 'checkbox', 'data-toggle': t.id, checked: t.on });
    box.addEventListener('change', () => a.toggle(t.id));
    g.append(h('label', { class: t.kind }, box, t.kind === 'fail' ? ` fail ${t.label}` : ` ${t.label}`));
  }
  if (last) {
    el.append(
      h(
        'section',
        { class: 'block change', 'data-testid': 'change-report' },
        h('h3', {}, `After: ${last.report.label}`),
        h('p', {}, 'Current trace — before: ', h('strong', {}, last.before), ' · after: ', h('strong', {}, last.after)),
        last.report.routes.length
          ? table(['component', 'prefix', 'change', 'before', 'after'], last.report.routes.slice(0, 200).map((r) => [r.component, r.prefix, r.change, r.before ?? '', r.after ?? '']), 'diff')
          : h('p', { class: 'muted' }, 'No forwarding-table change.'),
      ),
    );
  }
}
