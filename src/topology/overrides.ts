// What-if edits on a loaded scenario: `--set path=value` assignments and `--fail a,b` failures,
// applied as immer patches to the frozen snapshot (the files are never touched) and validated
// again, with problems attributed to the option that caused them.
import { produceWithPatches, enablePatches, type Patch } from 'immer';
import { ScenarioError, formatPath, type Problem } from './errors.js';
import { MAX_NESTING, parseScenarioText } from './parse.js';
import './parse-full.js'; // --set values are parsed synchronously, with their problems' lines
import type { LoadedScenario } from './load.js';
import { validateScenario, type PathSeg } from './validate.js';
import { noteEdit, type Scenario } from './scenario.js';

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
    const option = `--set ${assignment}`;
    const eq = assignment.indexOf('=');
    const path = eq > 0 ? parsePath(assignment.slice(0, eq)) : null;
    if (!path) {
      problems.push({ file: option, path: '', message: 'expected PATH=VALUE (e.g. tier1s.The-Tier-1.advertise=[TIER1_CONNECTED])', code: 'invalid-value' });
      continue;
    }
    const at = formatPath(path);
    if (path.includes('__proto__')) {
      problems.push({ file: option, path: at, message: 'a path through "__proto__" cannot be edited with --set (edit the file)', code: 'invalid-value' });
      continue;
    }
    if (path.length > MAX_NESTING) {
      problems.push({ file: option, path: '', message: `the path is ${path.length} levels deep; at most ${MAX_NESTING}`, code: 'invalid-value' });
      continue;
    }
    // The value is parsed like a scenario file: bounded nesting, no recursive aliases, no duplicate keys.
    const parsed = parseScenarioText(assignment.slice(eq + 1), option);
    if (parsed.problems.length) {
      for (const p of parsed.problems) {
        const message = p.message.replace(/^YAML syntax error: /, 'value is not valid YAML: ');
        problems.push({ file: option, path: p.path ? (p.path.startsWith('[') ? at + p.path : `${at}.${p.path}`) : at, message, code: p.code });
      }
      continue;
    }
    edits.push({ path, value: parsed.data ?? null, source: assignment });
  }
  if (problems.length) throw new ScenarioError(problems);

  const [scenario, patches, inversePatches] = produceWithPatches(loaded.scenario, (draft) => {
    for (const { path, value, source } of edits) {
      const wrong = setAt(draft as unknown as Record<string | number, unknown>, path, value);
      if (wrong) problems.push({ file: `--set ${source}`, path: formatPath(wrong.at), message: wrong.message, code: 'invalid-value' });
    }
    if (o.fail?.length) {
      const failed = (draft.failed ??= []);
      for (const n of o.fail) if (!failed.includes(n)) failed.push(n);
    }
  });
  if (problems.length) throw new ScenarioError(problems);
  noteEdit(loaded.scenario, scenario, patches);
  // The loaded scenario was valid, so every problem now comes from the options: the edit whose
  // path meets the problem's, else all of them together.
  const touched = (p: readonly PathSeg[]) => edits.find((e) => e.path.every((seg, i) => p[i] === seg) || p.every((seg, i) => e.path[i] === seg));
  const everyOption = [...edits.map((e) => `--set ${e.source}`), ...(o.fail?.length ? [`--fail ${o.fail.join(',')}`] : [])].join(' ');
  const found = validateScenario(
    scenario,
    (path) => {
      if (path[0] === 'failed' && o.fail?.length) return { file: '--fail' };
      const edit = touched(path);
      return { file: edit ? `--set ${edit.source}` : everyOption };
    },
    // The schema checks only what the options replaced.
    { previous: loaded.scenario },
  );
  if (found.length) throw new ScenarioError(found);
  return { scenario, patches, inversePatches };
}

/**
 * Assigns (or, for null, removes) the value at `path` in the draft, creating missing maps and
 * lists on the way. An index may append (== length) but not leave holes; a name cannot select a
 * list item nor an index a map entry, and a scalar is not walked through. Returns what is wrong.
 */
function setAt(root: Record<string | number, unknown>, path: PathSeg[], value: unknown): { at: PathSeg[]; message: string } | undefined {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const here = path.slice(0, i);
    const last = i === path.length - 1;
    if (Array.isArray(node)) {
      if (typeof seg !== 'number') return { at: here, message: `is a list: select an item by index ([0]), not by name (.${seg})` };
      const items = `${node.length} item${node.length === 1 ? '' : 's'}`;
      if (last && value === null && seg >= node.length) return { at: here, message: `the list has ${items}: there is no [${seg}] to remove` };
      if (seg > node.length) return { at: here, message: `the list has ${items}: [${seg}] is past its end ([${node.length}] appends an item)` };
    } else if (typeof seg === 'number') {
      return { at: here, message: `${here.length ? 'is' : 'the scenario is'} a map: select an entry by name (.name or ["name"]), not by index ([${seg}])` };
    }
    if (last) break;
    let next = Object.hasOwn(node, seg) ? node[seg] : undefined;
    if (next === undefined || next === null) {
      next = typeof path[i + 1] === 'number' ? [] : {};
      node[seg] = next;
    } else if (typeof next !== 'object') {
      return { at: path.slice(0, i + 1), message: `is ${typeof next} ${JSON.stringify(next)}, not a map or a list: there is nothing inside it to set` };
    }
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  if (value === null) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
  return undefined;
}
