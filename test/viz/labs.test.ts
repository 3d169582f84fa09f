// The training labs run headless: every task of every lab in labs/ is checked against the lab's
// scenario, then solved the way a learner would (a what-if toggle, a failure, an answer) and
// checked again. A lab is a regression fixture: if the engine changes what a task observes, the
// lab breaks here first.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/viz/workspace.js';
import { LabSession } from '../../src/viz/lab-session.js';
import { parseLab } from '../../src/topology/lab.js';
import { ScenarioError, formatProblem } from '../../src/topology/errors.js';
import { bundledFiles } from './files.js';

const files = bundledFiles();
const labs = readdirSync('labs').filter((f) => f.endsWith('.yaml')).sort();

describe('bundled labs', () => {
  it('there are at least three', () => expect(labs.length).toBeGreaterThanOrEqual(3));

  for (const f of labs) {
    it(`${f}: every task passes once solved, in order`, () => {
      const file = `labs/${f}`;
      const ws = new Workspace({ ...files });
      const session = new LabSession(file, files[file], files);
      expect(ws.open(session.scenarioFile)).toBe(true);
      for (const task of session.lab.tasks) {
        const sol = task.solution ?? {};
        for (const name of sol.fail ?? []) expect(ws.toggle(`fail:${name}`)).not.toBeNull();
        if (sol.variant !== undefined) {
          const variant = `scenarios/${sol.variant.split('/').pop()}`;
          const on = ws.toggles().find((t) => t.id === `variant:${variant}`);
          expect(on, `variant ${variant} is offered as a toggle`).toBeDefined();
          if (!on!.on) expect(ws.toggle(`variant:${variant}`)).not.toBeNull();
        }
        if (sol.answer !== undefined) session.answer(task.id, sol.answer);
        const st = session.status(ws).find((s) => s.task.id === task.id)!;
        expect(st.results.map((r) => r.detail).filter((_, i) => !st.results[i].pass), `${f} ${task.id}`).toEqual([]);
        expect(st.pass).toBe(true);
      }
    });
  }
});

describe('checks fail before the learner acts', () => {
  it('the pod-CIDR fix is not done until the route map is applied, and a wrong answer is wrong', () => {
    const ws = new Workspace({ ...files });
    const s = new LabSession('labs/02-pod-cidr-leak.yaml', files['labs/02-pod-cidr-leak.yaml'], files);
    ws.open(s.scenarioFile);
    const fix = () => s.status(ws).find((t) => t.task.id === 'fix-it')!;
    expect(fix().pass).toBe(false);
    expect(fix().results[0].detail).toBe('tor-01 still learns 10.146.128.0/24');
    s.answer('see-the-leak', 0);
    expect(s.status(ws)[0].results[1]).toEqual({ pass: false, detail: '"none" is not it' });
    ws.toggle('variant:scenarios/tkgi-byot-route-map-fix.yaml');
    expect(fix().pass).toBe(true);
    s.answer('see-the-leak', 2);
    expect(s.status(ws).every((t) => t.pass)).toBe(true); // the leak task looks at the file as deployed
    ws.undo();
    expect(fix().pass).toBe(false);
  });
  it('failing se-generic-01 is what makes the last task of lab 1 pass', () => {
    const ws = new Workspace({ ...files });
    const s = new LabSession('labs/01-follow-a-vip.yaml', files['labs/01-follow-a-vip.yaml'], files);
    ws.open(s.scenarioFile);
    const last = () => s.status(ws).find((t) => t.task.id === 'break-it')!;
    expect(last().results[1]).toEqual({ pass: false, detail: 'a path crosses se-generic-01' });
    ws.toggle('fail:se-generic-01');
    expect(last().pass).toBe(true);
  });
  it('progress (answers) is kept in the store', () => {
    const mem = new Map<string, string>();
    const store = { get: (k: string) => mem.get(k) ?? null, set: (k: string, v: string) => void mem.set(k, v) };
    const a = new LabSession('labs/03-se-to-worker.yaml', files['labs/03-se-to-worker.yaml'], files, store);
    a.answer('why', 1);
    const b = new LabSession('labs/03-se-to-worker.yaml', files['labs/03-se-to-worker.yaml'], files, store);
    expect(b.answers).toEqual({ why: 1 });
  });
});

describe('lab file validation', () => {
  const problems = (text: string) => {
    try {
      parseLab(text, 'labs/x.yaml');
      return [];
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map(formatProblem);
      throw e;
    }
  };
  it('reports missing fields, unknown keys and a bad answer index with their path and line', () => {
    expect(problems('title: t\nscenario: s.yaml\ntasks:\n  - id: a\n    prompt: p\n    checks: [{ choice: { options: [x, y], answer: 2 } }]\n')).toEqual([
      'labs/x.yaml: tasks[0].checks[0].choice.answer: answer 2 is not an option index (0-1) (line 6)',
    ]);
    expect(problems('title: t\ntasks: []\nextra: 1\n')).toEqual([
      "labs/x.yaml: must have required property 'scenario' (line 1)",
      'labs/x.yaml: must NOT have additional properties "extra" (line 1)',
      'labs/x.yaml: tasks: must NOT have fewer than 1 items (line 2)',
    ]);
  });
});

describe('variant toggles follow the edit history', () => {
  it('on, off, on again, then undo and redo: the toggle always shows the state in effect', () => {
    const ws = new Workspace({ ...files });
    ws.open('scenarios/tkgi-byot.yaml');
    const id = 'variant:scenarios/tkgi-byot-nat.yaml';
    const on = () => ws.toggles().find((t) => t.id === id)!.on;
    const nat = () => (ws.scenario!.kubernetes!['tkgi-cluster-1'].ncp!.nat ?? false);
    ws.toggle(id);
    expect([on(), nat()]).toEqual([true, true]);
    ws.toggle(id);
    expect([on(), nat()]).toEqual([false, false]);
    ws.toggle(id);
    expect([on(), nat()]).toEqual([true, true]);
    ws.undo();
    expect([on(), nat()]).toEqual([false, false]);
    ws.redo();
    expect([on(), nat()]).toEqual([true, true]);
  });
});
