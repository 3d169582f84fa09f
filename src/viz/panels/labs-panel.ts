// The labs panel: the bundled labs, and for the open one its tasks with live status (the engine
// re-checks them after every change), hints, multiple-choice answers and explanations.
import type { LabView } from '../engine-host.js';
import { h } from '../dom.js';
import { ownEntry as own } from '../../topology/index.js';

export interface LabActions {
  open(file: string): void;
  answer(taskId: string, option: number): void;
}

export function renderLabs(el: HTMLElement, labFiles: readonly string[], lab: LabView | null, a: LabActions): void {
  el.replaceChildren();
  const pick = h('select', { 'aria-label': 'lab', 'data-testid': 'lab-select' }, h('option', { value: '' }, 'Choose a lab…'), ...labFiles.map((f) => h('option', { value: f }, f.replace(/^labs\//, ''))));
  pick.value = lab?.file ?? '';
  pick.addEventListener('change', () => pick.value && a.open(pick.value));
  el.append(pick);
  if (!lab) return;
  const done = lab.tasks.filter((t) => t.pass).length;
  el.append(h('h2', {}, lab.title), h('p', { class: 'muted', 'data-testid': 'lab-progress' }, `${done}/${lab.tasks.length} tasks done`));
  if (lab.intro) el.append(h('p', {}, lab.intro));
  const list = h('ol', { class: 'tasks' });
  for (const t of lab.tasks) {
    const li = h('li', { class: t.pass ? 'pass' : 'open', 'data-task': t.id }, h('p', {}, t.pass ? '✓ ' : '○ ', t.prompt));
    for (const c of t.choices) {
      const form = h('div', { class: 'choice' });
      c.options.forEach((o, k) => {
        const r = h('input', { type: 'radio', name: `${t.id}-${c.index}`, value: String(k), checked: own(lab.answers, t.id) === k });
        r.addEventListener('change', () => a.answer(t.id, k));
        form.append(h('label', {}, r, ` ${o}`));
      });
      li.append(form);
    }
    li.append(h('ul', { class: 'checks' }, ...t.results.map((r) => h('li', { class: r.pass ? 'pass' : 'fail' }, r.pass ? '✓ ' : '✗ ', r.detail))));
    if (t.hints.length && !t.pass) li.append(h('details', {}, h('summary', {}, 'Hints'), h('ul', {}, ...t.hints.map((x) => h('li', {}, x)))));
    if (t.pass && t.explanation) li.append(h('p', { class: 'explanation' }, t.explanation));
    list.append(li);
  }
  el.append(list);
}
