// Scenario loading: text → parsed data → `extends:` resolution (immer snapshots) → validation.
// File access is injected (`readText`), so the same code runs in Node and in the browser. This
// module does not register the full YAML parser (parse.ts): load.ts does, eagerly, for every
// caller; load-file.ts registers a lazy Node provider, so the command line imports yaml only for
// a text the fast path declines or a problem that needs its line.
import { freeze } from 'immer';
import { ReadError, ScenarioError, type Problem } from './errors.js';
import { parseScenarioText, type ParsedText } from './parse.js';
import { checkScenarioText } from './text-encoding.js';
import { validateScenario, type Locator, type PathSeg } from './validate.js';
import { defineOwn, type Scenario } from './scenario.js';

export interface LoadOptions {
  /**
   * Reads a file's text; returns undefined when it does not exist, or throws (a ReadError saying
   * why: "no such file", "it is a directory", ... — any other error reads as "cannot read").
   */
  readText(file: string): string | undefined;
  /** Resolves an `extends:` reference relative to the file that holds it. */
  resolve(from: string, ref: string): string;
}

export interface LoadedScenario {
  /** The validated scenario, frozen (an immer snapshot: edits go through `produce`). */
  scenario: Scenario;
  /** Files read, the requested one first, then its bases. */
  files: string[];
  /** Where an object path was written, for messages about a loaded scenario. */
  locate: Locator;
}

interface Layer {
  file: string;
  parsed: ParsedText;
  data: Record<string, unknown>;
}

/** Loads and validates a scenario; throws ScenarioError listing every problem. */
export function loadScenario(file: string, opts: LoadOptions): LoadedScenario {
  const problems: Problem[] = [];
  const layers: Layer[] = [];
  let current: string | undefined = file;
  const visited = new Set<string>();
  while (current !== undefined) {
    if (visited.has(current)) {
      const from = layers[layers.length - 1];
      problems.push({ file: from.file, path: 'extends', message: `extends cycle: ${[...visited, current].join(' → ')}`, code: 'extends', line: from.parsed.lineOf(['extends']) });
      break;
    }
    visited.add(current);
    let text: string | undefined;
    let why: ReadError | undefined;
    try {
      text = opts.readText(current);
      if (text !== undefined) text = checkScenarioText(text);
    } catch (e) {
      text = undefined;
      if (e instanceof ReadError) why = e;
    }
    if (text === undefined) {
      const from = layers[layers.length - 1];
      const reason = why ? `: ${why.message}` : '';
      problems.push(
        from
          ? { file: from.file, path: 'extends', message: `cannot read base scenario ${JSON.stringify(current)}${reason}`, code: 'extends', line: from.parsed.lineOf(['extends']) }
          : { file: current, path: '', message: `cannot read file${reason}`, code: 'io', ...(why?.line ? { line: why.line } : {}) },
      );
      break;
    }
    const parsed = parseScenarioText(text, current);
    for (const p of parsed.problems) problems.push(p);
    if (parsed.data === undefined || parsed.data === null) {
      if (!parsed.problems.length) problems.push({ file: current, path: '', message: 'the file is empty', code: 'missing' });
      break;
    }
    if (typeof parsed.data !== 'object' || Array.isArray(parsed.data)) {
      problems.push({ file: current, path: '', message: 'a scenario is a map of sections (transportNodes, tier0s, ...)', code: 'type' });
      break;
    }
    const data = parsed.data as Record<string, unknown>;
    layers.push({ file: current, parsed, data });
    const ext = Object.hasOwn(data, 'extends') ? data.extends : undefined;
    current = typeof ext === 'string' ? opts.resolve(current, ext) : undefined;
  }
  // Syntax and read errors stop here; duplicate keys are reported with everything validation finds.
  if (problems.some((p) => p.code !== 'duplicate-name') || !layers.length) throw new ScenarioError(problems);

  // Merge from the deepest base up on plain copies (names such as `__proto__` stay own data
  // keys), then freeze the result as an immer snapshot: later edits go through `produce`.
  // A single file's data was parsed for this load alone: it is merged (frozen) as it is.
  const deepest = layers[layers.length - 1].data;
  const merged: Record<string, unknown> = layers.length === 1 ? deepest : structuredCloneOwn(deepest);
  for (let i = layers.length - 2; i >= 0; i--) mergeInto(merged, layers[i].data);
  if (layers.length > 1) delete merged.extends;
  freeze(merged, true);
  const locate = locatorFor(layers);
  const found = validateScenario(merged, locate);
  if (problems.length || found.length) throw new ScenarioError([...problems, ...found]);
  return { scenario: merged as unknown as Scenario, files: layers.map((l) => l.file), locate };
}

/**
 * Override semantics of `extends:`: maps merge key by key, lists and scalars replace, and `null`
 * removes the key from the base.
 */
export function mergeInto(target: Record<string, unknown>, override: Record<string, unknown>): void {
  for (const key of Object.keys(override)) {
    if (key === 'extends') continue;
    const v = override[key];
    const cur = Object.hasOwn(target, key) ? target[key] : undefined;
    if (v === null) {
      delete target[key];
    } else if (isPlainMap(v) && isPlainMap(cur)) {
      mergeInto(cur as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      defineOwn(target, key, structuredCloneOwn(v));
    }
  }
}

function isPlainMap(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Deep copy that keeps every key (including `__proto__`) as an own data property. */
function structuredCloneOwn<T>(v: T): T {
  if (Array.isArray(v)) return v.map(structuredCloneOwn) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) defineOwn(out, k, structuredCloneOwn((v as Record<string, unknown>)[k]));
    return out as T;
  }
  return v;
}

/** The file that wrote a path is the topmost layer that has it (or a leaf on the way to it). */
function locatorFor(layers: Layer[]): Locator {
  return (path: readonly PathSeg[], key = false) => {
    for (const layer of layers) {
      let node: unknown = layer.data;
      let depth = 0;
      for (const seg of path) {
        if (!node || typeof node !== 'object' || !Object.hasOwn(node, seg)) break;
        node = (node as Record<string | number, unknown>)[seg];
        depth++;
        if (Array.isArray(node) || node === null || typeof node !== 'object') break;
      }
      const leafReached = depth === path.length || (depth > 0 && (Array.isArray(node) || typeof node !== 'object'));
      if (leafReached) return { file: layer.file, line: layer.parsed.lineOf(path, key) };
    }
    const top = layers[0];
    return { file: top.file, line: top.parsed.lineOf(path.slice(0, 1), key) };
  };
}

/** Loads a scenario from text alone (browser picker, tests); `extends:` needs `bases`. */
export function loadScenarioText(text: string, file = 'scenario.yaml', bases: Record<string, string> = {}): LoadedScenario {
  return loadScenario(file, {
    readText: (f) => (f === file ? text : Object.hasOwn(bases, f) ? bases[f] : undefined),
    resolve: (_from, ref) => ref,
  });
}
