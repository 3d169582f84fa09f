// Turns scenario text (YAML or JSON) into plain data plus a locator that maps an object path back
// to its line, so every later problem can name where it is. Syntax errors become Problems.
import { LineCounter, isMap, isSeq, isPair, isScalar, parseDocument, type Node } from 'yaml';
import type { Problem } from './errors.js';

export interface ParsedText {
  data: unknown;
  /** 1-based line of the object at `path` (the key when `key` is true), if it can be found. */
  lineOf(path: readonly (string | number)[], key?: boolean): number | undefined;
  problems: Problem[];
}

export function parseScenarioText(text: string, file: string): ParsedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: false });
  const problems: Problem[] = [];
  for (const err of doc.errors) {
    const line = err.linePos?.[0]?.line ?? (err.pos ? lineCounter.linePos(err.pos[0]).line : undefined);
    const dup = err.code === 'DUPLICATE_KEY';
    const message = dup
      ? `duplicate name ${JSON.stringify(keyAt(text, err.pos?.[0]))}: ${firstLine(err.message)}`
      : `YAML syntax error: ${firstLine(err.message)}`;
    problems.push({ file, path: '', message, code: dup ? 'duplicate-name' : 'syntax', line });
  }
  const lineOf = (path: readonly (string | number)[], key = false): number | undefined => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return posLine(node);
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        keyNode = node;
      } else {
        return posLine(node);
      }
    }
    return posLine(key && keyNode ? keyNode : node);
  };
  function posLine(n: unknown): number | undefined {
    const range = (n as Node | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  }
  if (problems.some((p) => p.code === 'syntax')) return { data: undefined, lineOf, problems };
  // Maps become plain objects whose keys are own data properties (yaml defines `__proto__` as an
  // own property rather than setting the prototype), so names never reach the object model.
  try {
    const data = doc.toJS({ maxAliasCount: 100 });
    return { data, lineOf, problems };
  } catch (e) {
    // yaml refuses documents whose aliases expand past the limit (a "billion laughs" file).
    problems.push({ file, path: '', message: `YAML alias expansion refused: ${firstLine((e as Error).message)}`, code: 'syntax' });
    return { data: undefined, lineOf, problems };
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function keyAt(text: string, pos: number | undefined): string {
  if (pos === undefined) return '?';
  const m = /^["']?([^:"'\n]+)/.exec(text.slice(pos));
  return m ? m[1].trim() : '?';
}
