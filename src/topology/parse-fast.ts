// The fast path of scenario parsing, tried first for every text: js-yaml (about 8× faster than
// yaml's composer, and cheaper to import) with a schema that resolves plain scalars exactly as
// yaml's core schema does. It only takes texts that need none of what the full parser checks — no
// anchors, aliases, tags, directives, complex keys or tabs, one document, no duplicate key,
// nesting within MAX_NESTING — and returns undefined for everything else, which then goes through
// the full path (parse-yaml.ts).
// A property test (test/topology/parse-fast.test.ts) proves both paths give the same data.
import jsyaml from 'js-yaml';

type Rule = readonly [RegExp, (s: string) => unknown];

/** One js-yaml type per tag (js-yaml keeps only the last type of a tag), trying its rules in order. */
const scalar = (tag: string, rules: readonly Rule[]) =>
  new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (s: unknown) => typeof s === 'string' && rules.some(([re]) => re.test(s)),
    construct: (s: string) => rules.find(([re]) => re.test(s))![1](s),
  });

/** yaml's core schema (YAML 1.2): the same regular expressions and conversions, in its order. */
const CORE_AS_YAML = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
    scalar('bool', [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T']]),
    scalar('int', [
      [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
      [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
      [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
    ]),
    scalar('float', [
      [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)],
      [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
      [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
    ]),
  ],
});

/**
 * Anything the full parser reports or treats specially: anchors, aliases and tags (a token that
 * starts with & * !), a directive (%), an explicit key (?), a flow collection used as a key, a
 * tab, a second document, a byte-order mark, a NUL, or a comment glued to a closing bracket or
 * quote (yaml rejects it, js-yaml does not). A false alarm only costs the slower path.
 */
const NEEDS_FULL_PARSER = /(?:^|[\s[{,])[&*!](?=\S)|(?:^|[\s[{,])\?(?:[ ]|$)|^%|[\]}][ ]*:|\t|^(?:---|\.\.\.)[ ]*\S.*$|\uFEFF|\u0000|[\]}"']#/m;

export function parseFast(text: string, maxNesting: number): { data: unknown } | undefined {
  if (NEEDS_FULL_PARSER.test(text) || documentMarkers(text) > 1 || !flowCollectionsOnOneLine(text)) return undefined;
  let data: unknown;
  try {
    // json: false rejects duplicate keys; js-yaml defines `__proto__` as an own data key.
    data = jsyaml.load(text, { schema: CORE_AS_YAML, json: false });
  } catch {
    return undefined;
  }
  return depthWithin(data, maxNesting) ? { data } : undefined;
}

/**
 * True when every line closes the flow collections it opens. A flow collection over several lines
 * has indentation rules js-yaml does not enforce (yaml does), so those texts take the full path.
 */
function flowCollectionsOnOneLine(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) depth++; // { [
    else if (c === 125 || c === 93) depth--; // } ]
    else if (c === 10) {
      if (depth !== 0) return false;
    }
  }
  return depth === 0;
}

/** How many lines are `---` or `...` document markers (one leading `---` is a single document). */
function documentMarkers(text: string): number {
  let n = 0;
  const re = /^(?:---|\.\.\.)[ ]*$/gm;
  while (re.exec(text)) n++;
  return n;
}

/** True when no map or list nests deeper than `max` (iterative: the data is a tree here). */
function depthWithin(root: unknown, max: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length) {
    const v = values.pop();
    const d = depths.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (d >= max) return false;
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') (values.push(x), depths.push(d + 1));
    } else {
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x && typeof x === 'object') (values.push(x), depths.push(d + 1));
      }
    }
  }
  return true;
}
