// What-if edits on a loaded scenario: `--set path=value` assignments and `--fail a,b` failures,
// applied as immer patches to the frozen snapshot (the files are never touched) and validated
// again, with problems attributed to the option that caused them.
import { produceWithPatches, enablePatches, type Patch } from 'immer';
import { parse as parseYaml } from 'yaml';
import { ScenarioError, formatPath, type Problem } from './errors.js';
import type { LoadedScenario } from './load.js';
import { validateScenario, type PathSeg } from './validate.js';
import type { Scenario } from './scenario.js';

enablePatches();

export interface Overrides {
  /** Assignments `path=value`; the value is YAML (`null` removes the key). */
  set?: readonly string[];
  /** Names to mark as failed (added to the scenario's `failed`). */
  fail?: readonly string[];
}

export interface Variant {
  scenario: Scenario;
  /** The immer patches that turn the loaded scenario into this variant (replayable, invertible). */
  patches: Patch[];
  inversePatches: Patch[];
}

/** Parses `a.b[0]["odd.name"].c` into path segments. */
export function parsePath(text: string): PathSeg[] | null {
  const out: PathSeg[] = [];
  const re = /\s*(?:\.?([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m || m.index !== pos || (pos === 0 && text.startsWith('.'))) return null;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(m[3]) as string);
    pos = re.lastIndex;
  }
  return out.length ? out : null;
}

/** Applies the overrides; throws ScenarioError naming the option when an edit is malformed or invalid. */
export function applyOverrides(loaded: LoadedScenario, o: Overrides): Variant {
  const problems: Problem[] = [];
  const edits: { path: PathSeg[]; value: unknown; source: string }[] = [];
  for (const assignment of o.set ?? []) {
    const eq = assignment.indexOf('=');
    const path = eq > 0 ? parsePath(assignment.slice(0, eq)) : null;
    if (!path) {
      problems.push({ file: '--set', path: '', message: `expected path=value (e.g. tier1s.The-Tier-1.advertise=[TIER1_CONNECTED]), got ${JSON.stringify(assignment)}`, code: 'invalid-value' });
      continue;
    }
    if (path.includes('__proto__')) {
      problems.push({ file: '--set', path: formatPath(path), message: 'a path through "__proto__" cannot be edited with --set (edit the file)', code: 'invalid-value' });
      continue;
    }
    let value: unknown;
    try {
      value = parseYaml(assignment.slice(eq + 1));
    } catch (e) {
      problems.push({ file: '--set', path: formatPath(path), message: `value is not valid YAML: ${(e as Error).message.split('\n')[0]}`, code: 'syntax' });
      continue;
    }
    edits.push({ path, value, source: assignment });
  }
  if (problems.length) throw new ScenarioError(problems);

  const [scenario, patches, inversePatches] = produceWithPatches(loaded.scenario, (draft) => {
    for (const { path, value } of edits) setAt(draft as unknown as Record<string | number, unknown>, path, value);
    if (o.fail?.length) {
      const failed = (draft.failed ??= []);
      for (const n of o.fail) if (!failed.includes(n)) failed.push(n);
    }
  });
  const touched = (p: readonly PathSeg[]) => edits.find((e) => e.path.every((seg, i) => p[i] === seg) || p.every((seg, i) => e.path[i] === seg));
  const found = validateScenario(scenario, (path, key) => {
    if (path[0] === 'failed' && o.fail?.length) return { file: '--fail' };
    const edit = touched(path);
    return edit ? { file: `--set ${edit.source}` } : loaded.locate(path, key);
  });
  if (found.length) throw new ScenarioError(found);
  return { scenario, patches, inversePatches };
}

function setAt(root: Record<string | number, unknown>, path: PathSeg[], value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    let next = Object.hasOwn(node, seg) ? node[seg] : undefined;
    if (next === undefined || next === null || typeof next !== 'object') {
      next = typeof path[i + 1] === 'number' ? [] : {};
      node[seg] = next;
    }
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === null) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
}
