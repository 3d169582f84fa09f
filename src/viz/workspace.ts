// The app's state, DOM-free: the loaded scenario (bundled or the user's file), its what-if edits
// as immer patches with undo/redo (failures, variant files applied on top; the latest edits keep
// their twins, so going back is immediate), the twin computed from the current scenario, and the
// before/after of a change. The UI and the tests drive it.
import { applyPatches, enablePatches, produceWithPatches, type Draft, type Patch } from 'immer';
import { parse as parseYaml } from 'yaml';
import { buildTwin, diffRoutes, type RouteChange, type Twin } from '../engine/index.js';
import { loadScenario, mergeInto, noteEdit, ownEntry, validateScenario, ScenarioError, formatProblem, type LoadedScenario, type Problem, type Scenario } from '../topology/index.js';

enablePatches();

/** Text of the files the app can open, by path relative to the project root (scenarios/…, labs/…). */
export type FileMap = Readonly<Record<string, string>>;

export interface Edit {
  readonly label: string;
  readonly patches: Patch[];
  readonly inverse: Patch[];
  /** A variant file turned on or off by this edit. */
  readonly variant?: { readonly file: string; readonly on: boolean };
  /**
   * The scenario and twin on each side of the edit, kept for the latest edits (KEPT_STATES):
   * undo and redo go back to them as they were instead of computing the twin again.
   */
  states?: { readonly before: State; readonly after: State } | null;
}

/** A scenario and the twin computed from it. */
interface State {
  readonly scenario: Scenario;
  readonly twin: Twin;
}

/**
 * Edits whose twins are kept for undo and redo (the latest ones of each stack): going back one or
 * two steps is immediate even at scale, while a long history does not keep a twin per step alive
 * (a twin of a large deployment holds hundreds of MB its successors do not share). Older steps
 * apply their patches and update the twin, as every step did before.
 */
export const KEPT_STATES = 3;

/** A what-if toggle: a failure, or a variant file that extends the current scenario. */
export interface Toggle {
  readonly id: string;
  readonly kind: 'fail' | 'variant';
  readonly label: string;
  readonly group: string;
  readonly on: boolean;
}

export interface ChangeReport {
  readonly label: string;
  readonly routes: readonly RouteChange[];
}

/** posix dirname/join, enough for `extends:` between bundled files. */
export function resolvePath(from: string, ref: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of ref.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

/** Loads a scenario from a file map; `extends:` resolves between its files (own entries only: `constructor` is a file name, not Object's). */
export function loadFromFiles(files: Readonly<Record<string, string>>, file: string): LoadedScenario {
  return loadScenario(file, { readText: (f) => ownEntry(files, f), resolve: resolvePath });
}

/** An exception the topology or engine layers did not turn into a problem, reported as one. */
function unexpected(file: string, what: string, e: unknown): Problem {
  return { file, path: '', message: `${what}: ${e instanceof Error ? e.message : String(e)}`, code: 'invalid-value' };
}

export class Workspace {
  file = '';
  loaded: LoadedScenario | null = null;
  scenario: Scenario | null = null;
  twin: Twin | null = null;
  /** Problems of the last load or edit (shown as a list; the previous state stays usable). */
  problems: readonly Problem[] = [];
  private undoStack: Edit[] = [];
  private redoStack: Edit[] = [];

  constructor(private files: Record<string, string>) {}

  /** Bundled and user files the app knows. */
  get fileNames(): string[] {
    return Object.keys(this.files).sort();
  }

  addFile(name: string, text: string): void {
    this.files = { ...this.files, [name]: text };
  }

  /**
   * Opens a scenario file; on problems (or any exception of the layers below, reported as a
   * problem) keeps the current one and returns false.
   */
  open(file: string): boolean {
    let loaded: LoadedScenario;
    let twin: Twin;
    try {
      loaded = loadFromFiles(this.files, file);
      twin = buildTwin(loaded.scenario);
    } catch (e) {
      this.problems = e instanceof ScenarioError ? e.problems : [unexpected(file, 'cannot be opened', e)];
      return false;
    }
    this.file = file;
    this.loaded = loaded;
    this.undoStack = [];
    this.redoStack = [];
    this.scenario = loaded.scenario;
    this.twin = twin;
    this.problems = [];
    return true;
  }

  /**
   * Derives the twin of `s` from the current one (the engine's incremental update: only what the
   * edit can have changed is recomputed), then makes both current (an exception leaves the state
   * as it was).
   */
  private setScenario(s: Scenario): void {
    const twin = this.twin ? this.twin.update(s) : buildTwin(s);
    this.scenario = s;
    this.twin = twin;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Applies an edit (a recipe on a draft); validated; recorded for undo. Returns the change report. */
  edit(label: string, recipe: (draft: Draft<Scenario>) => void, variant?: Edit['variant']): ChangeReport | null {
    if (!this.scenario) return null;
    const [next, patches, inverse] = produceWithPatches(this.scenario, recipe);
    if (!patches.length) return { label, routes: [] };
    noteEdit(this.scenario, next, patches);
    // The current scenario passed validation (loaded or edited): the schema checks only what the edit replaced.
    const problems = validateScenario(next, (path, key) => this.loaded!.locate(path, key), { previous: this.scenario });
    if (problems.length) {
      this.problems = problems;
      return null;
    }
    const before = this.twin!;
    try {
      this.setScenario(next);
    } catch (e) {
      this.problems = [unexpected(this.file, `cannot apply "${label}"`, e)];
      return null;
    }
    this.problems = [];
    // (A twin's scenario is the one the workspace set with it.)
    const states = { before: { scenario: before.scenario, twin: before }, after: { scenario: next, twin: this.twin! } };
    this.undoStack.push({ label, patches, inverse, ...(variant ? { variant } : {}), states });
    this.redoStack = [];
    dropOldStates(this.undoStack);
    return { label, routes: diffRoutes(before, this.twin!) };
  }

  undo(): ChangeReport | null {
    return this.replay(this.undoStack, this.redoStack, 'undo');
  }

  redo(): ChangeReport | null {
    return this.replay(this.redoStack, this.undoStack, 'redo');
  }

  /** Moves the top edit of `from` to `to`, applying its inverse (undo) or its patches (redo). */
  private replay(from: Edit[], to: Edit[], how: 'undo' | 'redo'): ChangeReport | null {
    const e = from[from.length - 1];
    if (!e) return null;
    const before = this.twin!;
    // The state on the other side of the edit, as it was, when kept. (When a step in between was
    // computed again, the current scenario is equal to, not the same as, the kept one on this
    // side: the other side is still the state the edit leads to.)
    const there = e.states ? (how === 'undo' ? e.states.before : e.states.after) : null;
    if (there !== null) {
      this.scenario = there.scenario;
      this.twin = there.twin;
    } else {
      try {
        const patches = how === 'undo' ? e.inverse : e.patches;
        const next = applyPatches(this.scenario!, patches);
        noteEdit(this.scenario, next, patches);
        this.setScenario(next);
      } catch (err) {
        this.problems = [unexpected(this.file, `cannot ${how} "${e.label}"`, err)];
        return null;
      }
    }
    this.problems = [];
    from.pop();
    to.push(e);
    dropOldStates(to);
    return { label: `${how} ${e.label}`, routes: diffRoutes(before, this.twin!) };
  }

  /** Variant files on now: derived from the edits in effect, in order. */
  private get variantsOn(): Set<string> {
    const on = new Set<string>();
    for (const e of this.undoStack) {
      if (e.variant?.on) on.add(e.variant.file);
      else if (e.variant) on.delete(e.variant.file);
    }
    return on;
  }

  /** Failures (edges, hosts, SEs, routers, nodes) and the bundled variants of the open file. */
  toggles(): Toggle[] {
    const s = this.scenario;
    if (!s) return [];
    const failed = new Set(s.failed ?? []);
    const out: Toggle[] = [];
    const fail = (group: string, name: string) => out.push({ id: `fail:${name}`, kind: 'fail', label: name, group, on: failed.has(name) });
    for (const [name, tn] of Object.entries(s.transportNodes)) fail(tn.type === 'edge' ? 'Edges' : 'Hosts', name);
    for (const g of Object.values(s.avi?.seGroups ?? {})) for (const se of Object.keys(g.serviceEngines)) fail('Service engines', se);
    for (const r of Object.keys(s.physicalRouters ?? {})) fail('BGP peers and routers', r);
    for (const c of Object.values(s.kubernetes ?? {})) for (const n of Object.keys(c.nodes)) fail('Kubernetes nodes', n);
    for (const v of this.variantFiles()) out.push({ id: `variant:${v.file}`, kind: 'variant', label: v.title, group: 'Variants', on: this.variantsOn.has(v.file) });
    return out;
  }

  /** Bundled files that `extends:` the open file directly: its variants. */
  variantFiles(): { file: string; title: string }[] {
    const out: { file: string; title: string }[] = [];
    for (const [f, text] of Object.entries(this.files)) {
      if (f === this.file || !f.endsWith('.yaml')) continue;
      const m = /^extends:\s*(\S+)/m.exec(text);
      if (!m || resolvePath(f, m[1]) !== this.file) continue;
      const d = /^description:\s*>?-?\s*\n?\s*(.+)$/m.exec(text);
      out.push({ file: f, title: d ? `${f.split('/').pop()}: ${d[1].trim()}` : f });
    }
    return out.sort((a, b) => (a.file < b.file ? -1 : 1));
  }

  /** Turns a failure or a variant on or off. */
  toggle(id: string): ChangeReport | null {
    if (id.startsWith('fail:')) {
      const name = id.slice(5);
      const on = (this.scenario?.failed ?? []).includes(name);
      return this.edit(`${on ? 'restore' : 'fail'} ${name}`, (d) => {
        const list = (d.failed ??= []);
        if (on) list.splice(list.indexOf(name), 1);
        else list.push(name);
        if (!list.length) delete d.failed;
      });
    }
    if (id.startsWith('variant:')) {
      const file = id.slice(8);
      if (!Object.hasOwn(this.files, file)) return null;
      const overrides = parseYaml(this.files[file]) as Record<string, unknown>;
      delete overrides.extends;
      delete overrides.name;
      delete overrides.description;
      const on = this.variantsOn.has(file);
      const base = this.loaded!.scenario as unknown as Record<string, unknown>;
      // `extends:` semantics (maps merge, lists replace, null deletes) on a plain copy, then the
      // touched top-level sections are assigned on the draft so immer records them as patches.
      const merged = JSON.parse(JSON.stringify(this.scenario)) as Record<string, unknown>;
      if (on) revert(merged, base, overrides);
      else mergeInto(merged, overrides);
      return this.edit(
        `variant ${on ? 'off' : 'on'}: ${file}`,
        (d) => {
          const draft = d as unknown as Record<string, unknown>;
          for (const key of Object.keys(overrides)) {
            if (Object.hasOwn(merged, key)) draft[key] = merged[key];
            else delete draft[key];
          }
        },
        { file, on: !on },
      );
    }
    return null;
  }

  problemText(): string[] {
    return this.problems.map(formatProblem);
  }
}

/** Keeps the states of the latest KEPT_STATES edits of a stack (the top is the latest). */
function dropOldStates(stack: Edit[]): void {
  for (let i = stack.length - 1 - KEPT_STATES; i >= 0 && stack[i].states; i--) stack[i].states = null;
}

/** Undoes a variant's overrides: every path it set goes back to the base scenario's value. */
function revert(draft: Record<string, unknown>, base: Record<string, unknown> | undefined, overrides: Record<string, unknown>): void {
  for (const key of Object.keys(overrides)) {
    const v = overrides[key];
    const b = base && Object.hasOwn(base, key) ? base[key] : undefined;
    const cur = draft[key];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur) && b && typeof b === 'object' && !Array.isArray(b)) {
      revert(cur as Record<string, unknown>, b as Record<string, unknown>, v as Record<string, unknown>);
    } else if (b === undefined) delete draft[key];
    else draft[key] = structuredClone(b);
  }
}
