// The full path of scenario parsing: yaml's parser, with every syntax problem and its line, and
// the locator that maps an object path back to its line. Input is bounded before any recursive
// code sees it: nesting deeper than MAX_NESTING and recursive aliases are problems, and duplicate
// keys are found in one linear walk (yaml's own `uniqueKeys` check is quadratic in the number of
// keys of a map). This module imports no yaml code itself: the caller hands it the `yaml` module
// (parse-full.ts imports it; load-file.ts requires it in Node only when a text needs it), so that
// loading a scenario the fast path takes never pays for importing yaml.
import type * as Yaml from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { formatPath, type Problem } from './errors.js';
import { MAX_NESTING, type ParsedText } from './parse.js';

/** What the full parser uses of the `yaml` module. */
export type YamlModule = Pick<typeof Yaml, 'Composer' | 'Lexer' | 'LineCounter' | 'Parser' | 'isAlias' | 'isMap' | 'isPair' | 'isScalar' | 'isSeq'>;
type Seg = string | number;

let Composer: YamlModule['Composer'];
let Lexer: YamlModule['Lexer'];
let LineCounter: YamlModule['LineCounter'];
let Parser: YamlModule['Parser'];
let isAlias: YamlModule['isAlias'];
let isMap: YamlModule['isMap'];
let isPair: YamlModule['isPair'];
let isScalar: YamlModule['isScalar'];
let isSeq: YamlModule['isSeq'];

/** The full parser, working with this instance of the `yaml` module. */
export function fullParserWith(yaml: YamlModule): (text: string, file: string) => ParsedText {
  ({ Composer, Lexer, LineCounter, Parser, isAlias, isMap, isPair, isScalar, isSeq } = yaml);
  return parseFully;
}

/** The full path: yaml's parser, bounded nesting, every syntax problem with its line. */
function parseFully(text: string, file: string): ParsedText {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const { doc, tooDeepAt, secondDocAt } = composeBounded(text, lineCounter);
  const located: { problem: Problem; offset: number }[] = [];
  const lineOf = locatorOf(doc, lineAt);

  if (tooDeepAt !== undefined) {
    const problem: Problem = { file, path: '', message: `nesting is too deep: more than ${MAX_NESTING} levels of maps and lists`, code: 'syntax', line: lineAt(tooDeepAt) };
    return { data: undefined, lineOf, problems: [problem] };
  }
  for (const err of doc?.errors ?? []) {
    const offset = err.pos?.[0] ?? 0;
    located.push({ problem: { file, path: '', message: `YAML syntax error: ${firstLine(err.message)}`, code: 'syntax', line: lineAt(offset) }, offset });
  }
  if (secondDocAt !== undefined) {
    located.push({ problem: { file, path: '', message: 'YAML syntax error: the text holds several YAML documents (---); a scenario is one document', code: 'syntax', line: lineAt(secondDocAt) }, offset: secondDocAt });
  }
  const { duplicates, complexKeys, tagged, hasAlias } = walkKeys(doc?.contents);
  const at = (node: Node, problem: Omit<Problem, 'file' | 'path' | 'line'>) => {
    const offset = node.range?.[0] ?? 0;
    located.push({ problem: { file, path: '', ...problem, line: lineAt(offset) }, offset });
  };
  for (const d of duplicates) at(d.node, { message: `duplicate name ${JSON.stringify(d.name)}: Map keys must be unique`, code: 'duplicate-name' });
  for (const key of complexKeys) at(key, { message: 'YAML syntax error: a key is a list or a map; scenario keys are names', code: 'syntax' });
  for (const node of tagged) {
    const tag = String(node.tag).replace(/^tag:yaml\.org,2002:/, '!!');
    at(node, { message: `YAML syntax error: tag ${tag} is not supported; scenario values are strings, numbers, booleans, lists and maps`, code: 'syntax' });
  }
  located.sort((a, b) => a.offset - b.offset);
  const problems = located.map((l) => l.problem);
  if (!doc || problems.some((p) => p.code === 'syntax')) return { data: undefined, lineOf, problems };

  // Maps become plain objects whose keys are own data properties (yaml defines `__proto__` as an
  // own property rather than setting the prototype), so names never reach the object model.
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // yaml refuses documents whose aliases expand past the limit (a "billion laughs" file); a
    // chain of aliases can also nest deeper than the call stack allows.
    const message = e instanceof RangeError ? `nesting is too deep once aliases are expanded (more than ${MAX_NESTING} levels)` : `YAML alias expansion refused: ${firstLine((e as Error).message)}`;
    problems.push({ file, path: '', message, code: 'syntax' });
    return { data: undefined, lineOf, problems };
  }
  // Without aliases the data is a tree no deeper than the text; with them it may be a cycle
  // (`&x { self: *x }`) or nest deeper than the text does.
  const shape = hasAlias ? expandedShape(data) : undefined;
  if (shape) {
    const alias = nodeAt(doc, shape.path).node;
    const name = isAlias(alias) ? ` *${alias.source}` : '';
    const message =
      shape.problem === 'recursive'
        ? `recursive alias${name}: the value it names contains this alias, so it would never end`
        : `nesting is too deep once aliases are expanded: more than ${MAX_NESTING} levels of maps and lists`;
    // A too-deep path is hundreds of segments long: name where it starts, and the alias's line.
    const shown = shape.problem === 'recursive' ? shape.path : shape.path.slice(0, 2);
    problems.push({ file, path: formatPath(shown), message, code: 'syntax', line: lineOf(shape.path) });
    return { data: undefined, lineOf, problems };
  }
  return { data, lineOf, problems };
}

/**
 * Parses like yaml's `parseDocument` (one document, no merge keys, no duplicate-key check), but
 * drives the parser one token at a time and stops as soon as the nesting passes MAX_NESTING, so
 * the recursive composer never sees a too-deep document.
 */
function composeBounded(text: string, lineCounter: Yaml.LineCounter): { doc: Document.Parsed | undefined; tooDeepAt?: number; secondDocAt?: number } {
  const parser = new Parser(lineCounter.addNewLine);
  let tooDeepAt: number | undefined;
  function* tokens() {
    lineCounter.addNewLine(0);
    for (const lexeme of new Lexer().lex(text, false)) {
      yield* parser.next(lexeme);
      if (parser.stack.length > MAX_NESTING + 1 && collectionsOpen(parser) > MAX_NESTING) {
        tooDeepAt = parser.offset;
        return;
      }
    }
    yield* parser.end();
  }
  // logLevel 'error': what yaml would print as a warning is reported (or harmless), not logged.
  const composer = new Composer({ uniqueKeys: false, merge: false, logLevel: 'error' });
  let doc: Document.Parsed | undefined;
  let secondDocAt: number | undefined;
  for (const d of composer.compose(tokens(), true, text.length)) {
    if (doc) {
      secondDocAt = d.range[0];
      break;
    }
    doc = d;
  }
  return tooDeepAt !== undefined ? { doc: undefined, tooDeepAt } : { doc, secondDocAt };
}

function collectionsOpen(parser: Yaml.Parser): number {
  let n = 0;
  for (const t of parser.stack) if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') n++;
  return n;
}

/** The YAML tags a scenario may spell out: those of plain strings, numbers, booleans, null, lists and maps. */
const PLAIN_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * One iterative walk of the syntax tree: keys written twice in the same map, keys that are lists
 * or maps, tags that would make other values (`!!binary`, `!custom`), and whether any alias is used.
 */
function walkKeys(root: unknown): { duplicates: { node: Node; name: string }[]; complexKeys: Node[]; tagged: Node[]; hasAlias: boolean } {
  const duplicates: { node: Node; name: string }[] = [];
  const complexKeys: Node[] = [];
  const tagged: Node[] = [];
  let hasAlias = false;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    const tag = (node as { tag?: string } | null | undefined)?.tag;
    if (tag !== undefined && !PLAIN_TAGS.has(tag)) tagged.push(node as Node);
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = pair.key;
        const name = keyText(k);
        if (name !== undefined) {
          // Keys that read the same as data (`1` and "1"; `~`, `null` and a missing key) collide.
          if (seen.has(name)) duplicates.push({ node: (k ?? pair.value ?? node) as Node, name });
          else seen.add(name);
        } else if (isMap(k) || isSeq(k)) complexKeys.push(k);
        if (pair.value) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.key, node.value);
    } else if (isAlias(node)) hasAlias = true;
  }
  return { duplicates, complexKeys, tagged, hasAlias };
}

/**
 * Where the parsed data is a cycle or nests deeper than MAX_NESTING (only possible through
 * aliases, whose targets are shared objects): one iterative walk, each shared object measured once.
 */
function expandedShape(root: unknown): { path: Seg[]; problem: 'recursive' | 'deep' } | undefined {
  if (!root || typeof root !== 'object') return undefined;
  interface Frame {
    v: Record<string, unknown> | unknown[];
    keys: string[] | null;
    i: number;
    height: number;
  }
  const heights = new Map<object, number>();
  const onPath = new Set<object>();
  const frames: Frame[] = [];
  const path: Seg[] = [];
  const enter = (v: object) => {
    onPath.add(v);
    frames.push({ v: v as Frame['v'], keys: Array.isArray(v) ? null : Object.keys(v), i: 0, height: 0 });
  };
  enter(root);
  while (frames.length) {
    const f = frames[frames.length - 1];
    const n = f.keys ? f.keys.length : (f.v as unknown[]).length;
    if (f.i === n) {
      frames.pop();
      onPath.delete(f.v);
      heights.set(f.v, f.height + 1);
      if (frames.length) {
        const parent = frames[frames.length - 1];
        parent.height = Math.max(parent.height, f.height + 1);
        path.pop();
      }
      continue;
    }
    const key: Seg = f.keys ? f.keys[f.i] : f.i;
    f.i++;
    const child = (f.v as Record<Seg, unknown>)[key];
    if (!child || typeof child !== 'object') continue;
    if (onPath.has(child)) return { path: [...path, key], problem: 'recursive' };
    const h = heights.get(child);
    if (h !== undefined) {
      if (frames.length + h > MAX_NESTING) return { path: [...path, key], problem: 'deep' };
      f.height = Math.max(f.height, h);
      continue;
    }
    if (frames.length >= MAX_NESTING) return { path: [...path, key], problem: 'deep' };
    path.push(key);
    enter(child);
  }
  return undefined;
}

/** The syntax node at `path` (or the deepest one on the way), and the key node that leads to it. */
function nodeAt(doc: Document.Parsed | undefined, path: readonly Seg[], index?: (map: { items: Pair[] }) => Map<string, Pair>): { node: unknown; keyNode: unknown; complete: boolean } {
  let node: unknown = doc?.contents;
  let keyNode: unknown;
  for (const seg of path) {
    if (isMap(node)) {
      let pair: Pair | undefined;
      if (index) pair = index(node).get(String(seg));
      else for (const p of node.items) if (keyText(p.key) === String(seg)) pair = p;
      if (!pair) return { node, keyNode, complete: false };
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      keyNode = node;
    } else {
      return { node, keyNode, complete: false };
    }
  }
  return { node, keyNode, complete: true };
}

/** `lineOf` for a document: each map's keys are indexed on first use, so a lookup costs one step per path segment. */
function locatorOf(doc: Document.Parsed | undefined, lineAt: (offset: number) => number): ParsedText['lineOf'] {
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const index = (map: { items: Pair[] }) => {
    let idx = indexes.get(map);
    if (!idx) {
      idx = new Map();
      for (const p of map.items) {
        const name = keyText(p.key);
        // The last of duplicate keys: its value is the one the data holds.
        if (name !== undefined) idx.set(name, p);
      }
      indexes.set(map, idx);
    }
    return idx;
  };
  const posLine = (n: unknown) => {
    const range = (n as Node | undefined)?.range;
    return range ? lineAt(range[0]) : undefined;
  };
  return (path, key = false) => {
    const { node, keyNode, complete } = nodeAt(doc, path, index);
    return posLine(complete && key && keyNode ? keyNode : node);
  };
}

/** A map key as the data holds it (yaml turns a missing or null key into ""); undefined for list or map keys. */
function keyText(k: unknown): string | undefined {
  if (k === null || k === undefined) return '';
  if (isScalar(k)) return k.value === null || k.value === undefined ? '' : String(k.value);
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
