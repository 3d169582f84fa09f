// The fast parsing path (js-yaml with yaml's core scalars) must give exactly the data the full
// path (yaml) gives, keys in the same order, whenever it takes a text; and it must leave to the
// full path every text the full path would report a problem for.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseFast } from '../../src/topology/parse-fast.js';
import { MAX_NESTING, parseScenarioText } from '../../src/topology/parse.js';
import { parseFully } from '../../src/topology/parse-full.js';
import { mutateText, textMutationArb } from '../fuzz/mutations.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const texts: string[] = [];
const walk = (dir: string) => {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(f)) texts.push(readFileSync(p, 'utf8'));
  }
};
walk(join(ROOT, 'scenarios'));
walk(join(ROOT, 'test/fixtures'));

/** Equal data, keys in the same order, numbers by Object.is (so -0, NaN and Infinity count). */
function same(a: unknown, b: unknown, at = '$'): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) return `${at}: ${String(a)} vs ${String(b)}`;
  if (a && typeof a === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b as object);
    if (ka.join('\u0000') !== kb.join('\u0000')) return `${at}: keys ${ka.join(',')} vs ${kb.join(',')}`;
    for (const k of ka) {
      const d = same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return Object.getPrototypeOf(a) === Object.getPrototypeOf(b) ? null : `${at}: prototypes differ`;
  }
  return Object.is(a, b) ? null : `${at}: ${JSON.stringify(a)} (${typeof a}) vs ${JSON.stringify(b)} (${typeof b})`;
}

/** When the fast path takes a text, the full path finds no problem and the same data. */
function agree(text: string): boolean {
  const fast = parseFast(text, MAX_NESTING);
  if (!fast) return false;
  const full = parseFully(text, 'x.yaml');
  expect(full.problems.map((p) => p.message), `the fast path took a text the full path rejects:\n${text.slice(0, 2000)}`).toEqual([]);
  expect(same(fast.data, full.data), text.slice(0, 2000)).toBeNull();
  return true;
}

const PLAIN = ['0', '-0', '+12', '017', '0o17', '0o8', '0x1F', '0xg', '0b101', '1_000', '.5', '5.', '+.5', '-.5', '1e3', '1E+3', '1e999', '-1e999', '.inf', '-.Inf', '+.INF', '.NaN', '.nan', 'NaN', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'yes', 'on', 'y', 'n', '2001-12-14', '12:30', '1:20:30', '10.0.0.1', '10.0.0.0/24', 'a b', "it's", 'x#y', 'x #y', '9007199254740993', '-', '--', '@x', '`x', '%x', '>x', '|x', '=', '__proto__', 'constructor'];

describe('fast parsing path', () => {
  it('takes every bundled scenario and gives the full path\'s data', () => {
    let taken = 0;
    for (const t of texts) if (agree(t)) taken++;
    expect(taken).toBeGreaterThan(20);
  });

  it('resolves plain scalars exactly as yaml\'s core schema does', () => {
    let taken = 0;
    for (const v of PLAIN) {
      // Block and flow context; reserved indicators (@, `, %) are left to the full path.
      if (agree(`k: ${v}\n`)) taken++;
      agree(`l: [${v}]\nm: { n: ${v} }\n`);
    }
    expect(taken).toBeGreaterThan(PLAIN.length - 8);
  });

  it('agrees on mutated scenario texts (or leaves them to the full path)', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(textMutationArb, { minLength: 1, maxLength: 3 }), (t, ms) => {
        if (agree(mutateText(t, ms))) taken++;
      }),
      { seed: 7, numRuns: Number(process.env.NSX_TWIN_FUZZ_RUNS ?? 0) || 600 },
    );
    expect(taken).toBeGreaterThan(50);
  });

  it('agrees on generated data written as YAML', () => {
    const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'a b', 'x:y', '-', '?'));
    const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(...PLAIN));
    const tree = fc.letrec((tie) => ({ node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })) })).node;
    fc.assert(
      fc.property(tree, fc.boolean(), (data, flow) => {
        agree(stringify(data, null, { collectionStyle: flow ? 'flow' : 'any' }));
      }),
      { seed: 11, numRuns: Number(process.env.NSX_TWIN_FUZZ_RUNS ?? 0) || 600 },
    );
  });

  it('leaves anchors, aliases, tags, duplicate keys, several documents and deep nesting to the full path', () => {
    for (const t of ['a: &x 1\nb: *x\n', 'a: !!binary aGk=\n', 'a: 1\na: 2\n', 'a: 1\n---\nb: 2\n', '%YAML 1.2\n---\na: 1\n', '? [a]\n: 1\n', '[a]: 1\n', 'a:\tb\n', '\uFEFFa: 1\n', `${'['.repeat(MAX_NESTING + 1)}${']'.repeat(MAX_NESTING + 1)}`]) {
      expect(parseFast(t, MAX_NESTING), JSON.stringify(t)).toBeUndefined();
    }
  });

  it('is used for texts of every size, whose problems still get their lines', () => {
    const small = 'name: lab\nworkloads:\n  vm-1: { host: esx-01, ip: 10.0.0.1 }\n';
    const parsedSmall = parseScenarioText(small, 'small.yaml');
    expect(parsedSmall.data).toEqual(parseFast(small, MAX_NESTING)!.data);
    expect(parsedSmall.lineOf(['workloads', 'vm-1', 'ip'])).toBe(3);
    expect(parsedSmall.lineOf(['workloads', 'vm-1'], true)).toBe(3);
    const big = ['workloads:', ...Array.from({ length: 12000 }, (_, i) => `  vm-${i}: { host: esx-01, segment: web, ip: 10.${i >> 16}.${(i >> 8) & 255}.${i & 255} }`)].join('\n');
    const parsed = parseScenarioText(big, 'big.yaml');
    expect(parsed.problems).toEqual([]);
    expect(Object.keys((parsed.data as { workloads: object }).workloads)).toHaveLength(12000);
    expect(parsed.lineOf(['workloads', 'vm-11999', 'ip'])).toBe(12001);
  });
});
