// A learner's run of a training lab, DOM-free: the lab's tasks evaluated live against the
// workspace's current twin (checks that name another scenario use that file as bundled), the
// multiple-choice answers given, and progress saved through an injected store (localStorage in
// the browser). The test suite drives the same class headless.
import { buildTwin, evaluateCheck, type CheckResult, type Twin } from '../engine/index.js';
import { ownEntry as own, parseLab, type Lab, type LabTask } from '../topology/index.js';
import { loadFromFiles, resolvePath, type Workspace } from './workspace.js';

export interface TaskStatus {
  readonly task: LabTask;
  readonly results: readonly CheckResult[];
  readonly pass: boolean;
}

export interface ProgressStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export class LabSession {
  readonly lab: Lab;
  /** The scenario file the lab opens (resolved against the lab file). */
  readonly scenarioFile: string;
  answers: Record<string, number> = {};
  private others = new Map<string, Twin>();

  constructor(
    readonly file: string,
    text: string,
    private readonly files: Readonly<Record<string, string>>,
    private readonly store: ProgressStore | null = null,
  ) {
    this.lab = parseLab(text, file);
    this.scenarioFile = resolvePath(file, this.lab.scenario);
    const saved = store?.get(this.key);
    if (saved) {
      try {
        this.answers = JSON.parse(saved) as Record<string, number>;
      } catch {
        this.answers = {};
      }
    }
  }

  private get key(): string {
    return `nsx-twin:lab:${this.file}`;
  }

  answer(taskId: string, option: number): void {
    this.answers = { ...this.answers, [taskId]: option };
    this.store?.set(this.key, JSON.stringify(this.answers));
  }

  private twinFor = (scenario: string): Twin => {
    const file = resolvePath(this.file, scenario);
    let t = this.others.get(file);
    if (!t) {
      t = buildTwin(loadFromFiles(this.files, file).scenario);
      this.others.set(file, t);
    }
    return t;
  };

  /** Every task's checks against the workspace as it is now. */
  status(ws: Workspace): TaskStatus[] {
    return this.lab.tasks.map((task) => {
      const results = task.checks.map((c) => evaluateCheck(c, ws.twin!, own(this.answers, task.id), this.twinFor));
      return { task, results, pass: results.every((r) => r.pass) };
    });
  }
}
