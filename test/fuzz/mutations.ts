// Mutations of scenario data and text for the fuzz suite: structural edits at any path of a
// bundled scenario (delete, wrong type, extreme numbers, bad addresses, prototype names as keys
// and as references, duplicated entries, unknown keys) and YAML text edits (characters and lines).
import fc from 'fast-check';

export type Seg = string | number;
type Tree = unknown;

/** Names that exist on Object.prototype: as keys or references they must stay ordinary data. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString'];

const BAD_ADDRESSES = ['10.0.0.300', '10.0.0.-1', 'localhost', '1.2.3.4/33', '1.2.3', '', ' ', '10.146.100.300', '0.0.0.0/0', '255.255.255.255', '10.0.0.1/24', '10.0.0.0/8', '::1', '1e999', '01.02.03.04', 'not a uuid!', 'apple', '/'];
const ODD_VALUES: unknown[] = [0, -1, 1.5, 65536, 4294967296, 2 ** 53, 1e308, Number.POSITIVE_INFINITY, -0, '', 'x', 'a\nb', true, false, null, [], {}, [1], { a: 1 }, 'ANY', 'x'.repeat(300)];

/** Every path of a tree (maps and lists), the root excluded, in document order. */
export function pathsOf(t: Tree, base: Seg[] = [], out: Seg[][] = []): Seg[][] {
  if (Array.isArray(t)) t.forEach((v, i) => (out.push([...base, i]), pathsOf(v, [...base, i], out)));
  else if (t && typeof t === 'object') for (const k of Object.keys(t)) (out.push([...base, k]), pathsOf((t as Record<string, unknown>)[k], [...base, k], out));
  return out;
}

function defineOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** A deep copy that keeps `__proto__` and friends as own data keys. */
export function cloneTree<T>(t: T): T {
  if (Array.isArray(t)) return t.map(cloneTree) as T;
  if (t && typeof t === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(t)) defineOwn(o, k, cloneTree((t as Record<string, unknown>)[k]));
    return o as T;
  }
  return t;
}

export type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'rename'; at: number; to: string }
  | { kind: 'duplicate'; at: number }
  | { kind: 'unknown-key'; at: number; key: string };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...ODD_VALUES) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...BAD_ADDRESSES) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...PROTOTYPE_NAMES) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 12 })) }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), to: fc.constantFrom(...PROTOTYPE_NAMES, 'a.b', 'x\ny', '"q"', ' ') }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('unknown-key' as const), at: fc.nat(), key: fc.constantFrom('colour', '__proto__', 'constructor', 'extends') }),
);

/** Applies mutations in turn to a copy of `data` (a path index wraps around the current paths) that shares nothing with it. */
export function mutate(data: Tree, ms: readonly Mutation[]): Tree {
  return mutateShared(cloneTree(data), ms);
}

/** A shallow copy keeping odd names (`__proto__` …) as own data keys. */
function shallow(v: unknown): Record<string | number, unknown> {
  if (Array.isArray(v)) return v.slice() as unknown as Record<string | number, unknown>;
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v as object)) defineOwn(o, k, (v as Record<string, unknown>)[k]);
  return o;
}

/**
 * Applies mutations in turn with structural sharing: each copies the objects on its path only
 * (what an immer edit does), so everything else is the very same object as in `data`, which is
 * left as it was.
 */
export function mutateShared(data: Tree, ms: readonly Mutation[]): Tree {
  let doc = data;
  for (const m of ms) {
    const paths = pathsOf(doc);
    if (!paths.length) break;
    const path = paths[m.at % paths.length];
    const root = shallow(doc);
    let parent = root;
    for (const seg of path.slice(0, -1)) {
      const copy = shallow(parent[seg]);
      if (Array.isArray(parent)) parent[seg as number] = copy;
      else defineOwn(parent as Record<string, unknown>, String(seg), copy);
      parent = copy;
    }
    const key = path[path.length - 1];
    const value = parent[key];
    const set = (k: Seg, v: unknown) => (Array.isArray(parent) ? (parent[k as number] = v) : defineOwn(parent as Record<string, unknown>, String(k), v));
    switch (m.kind) {
      case 'delete':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete parent[key];
        break;
      case 'set':
        set(key, cloneTree(m.value));
        break;
      case 'rename':
        if (!Array.isArray(parent) && typeof key === 'string' && !Object.hasOwn(parent, m.to)) {
          delete parent[key];
          defineOwn(parent as Record<string, unknown>, m.to, value);
        }
        break;
      case 'duplicate':
        if (Array.isArray(parent)) parent.push(cloneTree(value));
        else if (!Object.hasOwn(parent, `${String(key)}-copy`)) defineOwn(parent as Record<string, unknown>, `${String(key)}-copy`, cloneTree(value));
        break;
      case 'unknown-key':
        if (value && typeof value === 'object' && !Array.isArray(value) && !Object.hasOwn(value, m.key)) {
          const copy = shallow(value);
          defineOwn(copy as Record<string, unknown>, m.key, 1);
          set(key, copy);
        }
        break;
    }
    doc = root;
  }
  return doc;
}

export type TextMutation =
  | { kind: 'delete-char'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'swap-lines'; at: number; with: number }
  | { kind: 'indent'; at: number; by: string };

export const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete-char' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(':', '-', ' ', '\t', '&a ', '*a', '{', '[', "'", '"', '#', '\n', '\u0000', '\uFEFF', '!!binary ', '<<: ', '? ', '|', '%YAML 1.1\n', '---\n', '...\n', '~') }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.constantFrom(' ', '  ', '\t', '') }),
);

export function mutateText(text: string, ms: readonly TextMutation[]): string {
  let t = text;
  for (const m of ms) {
    const lines = t.split('\n');
    switch (m.kind) {
      case 'delete-char': {
        if (!t.length) break;
        const i = m.at % t.length;
        t = t.slice(0, i) + t.slice(i + 1);
        break;
      }
      case 'insert': {
        const i = m.at % (t.length + 1);
        t = t.slice(0, i) + m.text + t.slice(i);
        break;
      }
      case 'duplicate-line': {
        const i = m.at % lines.length;
        lines.splice(i, 0, lines[i]);
        t = lines.join('\n');
        break;
      }
      case 'delete-line':
        lines.splice(m.at % lines.length, 1);
        t = lines.join('\n');
        break;
      case 'swap-lines': {
        const i = m.at % lines.length;
        const j = m.with % lines.length;
        [lines[i], lines[j]] = [lines[j], lines[i]];
        t = lines.join('\n');
        break;
      }
      case 'indent': {
        const i = m.at % lines.length;
        lines[i] = m.by + lines[i];
        t = lines.join('\n');
        break;
      }
    }
  }
  return t;
}
