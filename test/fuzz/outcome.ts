// What every load of a fuzzed scenario must end in: a valid scenario, or well-formed problems —
// each naming a file that was read, a path that exists in that file and the line of that path's
// YAML node — never an exception of another kind. Valid scenarios must answer queries.
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { posix } from 'node:path';
import { loadScenario, type LoadedScenario } from '../../src/topology/load.js';
import { ScenarioError, QueryError, type Problem } from '../../src/topology/errors.js';
import { parsePath } from '../../src/topology/overrides.js';
import { buildTwin } from '../../src/engine/twin.js';

export type Files = ReadonlyMap<string, string>;

export type Outcome = { kind: 'valid'; loaded: LoadedScenario } | { kind: 'problems'; problems: readonly Problem[] };

/** Loads `file` from an in-memory file set (paths relative, `extends:` resolved like the CLI). */
export function loadFrom(files: Files, file: string): Outcome {
  try {
    const loaded = loadScenario(file, {
      readText: (f) => files.get(f),
      resolve: (from, ref) => posix.normalize(posix.join(posix.dirname(from), ref)),
    });
    return { kind: 'valid', loaded };
  } catch (e) {
    if (e instanceof ScenarioError) return { kind: 'problems', problems: e.problems };
    throw e;
  }
}

/** Lines a path may be reported at: its key and its value node. null: the path is not in the text. */
function linesOf(text: string, path: readonly (string | number)[]): Set<number> | null {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, merge: false });
  const line = (n: unknown) => ((n as Node | undefined)?.range ? lc.linePos((n as Node).range![0]).line : undefined);
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const seg of path) {
    if (isMap(node)) {
      // The last of duplicate keys is the one whose value the data holds.
      let pair: (typeof node.items)[number] | undefined;
      for (const p of node.items) if (isPair(p) && keyText(p.key) === String(seg)) pair = p;
      if (!pair) return null;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
      keyNode = undefined;
    } else return null;
  }
  const out = new Set<number>();
  for (const n of [keyNode, node]) {
    const l = line(n);
    if (l !== undefined) out.add(l);
  }
  return out;
}

/** A key as the data holds it: a missing or null key is "". */
function keyText(k: unknown): string | undefined {
  if (k === null || k === undefined) return '';
  if (isScalar(k)) return k.value === null || k.value === undefined ? '' : String(k.value);
  return undefined;
}

/** Every way a problem can be malformed, as messages (empty when it is well formed). */
export function problemDefects(files: Files, p: Problem): string[] {
  const out: string[] = [];
  const where = `${p.file}: ${p.path}: ${p.message}`;
  if (!p.message || p.message.includes('\n')) out.push(`message must be one non-empty line: ${JSON.stringify(p.message)}`);
  if (/undefined|NaN|\[object Object\]|internal error|Maximum call stack/.test(p.message)) out.push(`message leaks internals: ${where}`);
  const text = files.get(p.file);
  if (text === undefined) {
    if (!p.file.startsWith('--')) out.push(`names a file that was not read: ${where}`);
    return out;
  }
  if (!p.path) return out;
  const segs = parsePath(p.path);
  if (!segs) {
    out.push(`path does not parse: ${where}`);
    return out;
  }
  const lines = linesOf(text, segs);
  if (lines === null) out.push(`path is not in ${p.file}: ${where}`);
  else if (p.line !== undefined && lines.size && !lines.has(p.line)) out.push(`line ${p.line} is not the line of ${p.path} (${[...lines].join(' or ')}): ${where}`);
  return out;
}

/** Asks a valid scenario every kind of question; only QueryError (a bad request) may come back. */
export function queryEverything(loaded: LoadedScenario): number {
  const twin = buildTwin(loaded.scenario);
  let answered = 0;
  const ask = (f: () => unknown) => {
    try {
      JSON.stringify(f());
      answered++;
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
    }
  };
  const eps = twin.network.endpoints.filter((e) => !e.down).slice(0, 4);
  for (const a of eps) {
    for (const b of eps) {
      if (a === b) continue;
      ask(() => twin.trace({ from: a.name, to: b.name, proto: 'tcp', dport: 80 }, { withReturn: true }));
    }
  }
  for (const vs of (twin.realized.avi?.virtualServices ?? []).slice(0, 3)) {
    if (eps[0] && vs.vip !== null) ask(() => twin.trace({ from: eps[0].name, to: fmtIp(vs.vip as number), proto: 'tcp', dport: 80 }, { withReturn: true }));
  }
  for (const name of twin.network.gateways.keys()) {
    ask(() => twin.routes({ gateway: name }));
    ask(() => twin.routes({ gateway: name, component: 'sr' }));
  }
  for (const name of twin.network.routerByName.keys()) ask(() => twin.routes({ router: name }));
  for (const sp of twin.bgpState.speakers) ask(() => twin.bgp({ router: sp.owner, rejected: true }));
  if (twin.realized.avi) ask(() => twin.avi());
  ask(() => twin.topology().export());
  return answered;
}

function fmtIp(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}
