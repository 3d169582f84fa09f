// The labs panel: the bundled labs, and for the open one its tasks with live status (checked
// against the workspace after every change), hints, multiple-choice answers and explanations.
import type { LabSession } from '../lab-session.js';
import type { Workspace } from '../workspace.js';
import { h } from '../dom.js';

export interface LabActions {
  open(file: string): void;
  answer(taskId: string, option: number): void;
}

export function renderLabs(el: HTMLElement, labFiles: string[], session: LabSession | null, ws: Workspace, a: LabActions): void {
  el.replaceChildren();
  const pick = h('select', { 'aria-label': 'lab', 'data-testid': 'lab-select' }, h('option', { value: '' }, 'Choose a lab…'), ...labFiles.map((f) => h('option', { value: f }, f.replace(/^labs\//, ''))));
  pick.value = session?.file ?? '';
  pick.addEventListener('change', () => pick.value && a.open(pick.value));
  el.append(pick);
  if (!session) return;
  const status = session.status(ws);
  const done = status.filter((s) => s.pass).length;
  el.append(h('h2', {}, session.lab.title), h('p', { class: 'muted', 'data-testid': 'lab-progress' }, `${done}/${status.length} tasks done`));
  if (session.lab.intro) el.append(h('p', {}, session.lab.intro));
  const list = h('ol', { class: 'tasks' });
  for (const st of status) {
    const li = h('li', { class: st.pass ? 'pass' : 'open', 'data-task': st.task.id }, h('p', {}, st.pass ? '✓ ' : '○ ', st.task.prompt));
    for (const [i, c] of st.task.checks.entries()) {
      if ('choice' in c) {
        const form = h('div', { class: 'choice' });
        c.choice.options.forEach((o, k) => {
          const r = h('input', { type: 'radio', name: `${st.task.id}-${i}`, value: String(k), checked: session.answers[st.task.id] === k });
          r.addEventListener('change', () => a.answer(st.task.id, k));
          form.append(h('label', {}, r, ` ${o}`));
        });
        li.append(form);
      }
    }
    li.append(h('ul', { class: 'checks' }, ...st.results.map((r) => h('li', { class: r.pass ? 'pass' : 'fail' }, r.pass ? '✓ ' : '✗ ', r.detail))));
    if (st.task.hints?.length && !st.pass) li.append(h('details', {}, h('summary', {}, 'Hints'), h('ul', {}, ...st.task.hints.map((x) => h('li', {}, x)))));
    if (st.pass && st.task.explanation) li.append(h('p', { class: 'explanation' }, st.task.explanation));
    list.append(li);
  }
  el.append(list);
}
