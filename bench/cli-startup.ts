// Section j of the benchmark suite: the command line's start-up, as whole processes. Spawns
// `node bin/nsx-twin.js …` (lib/, rebuilt first) N times per command and prints the median wall
// time of `--help`, `validate` and `trace` on the reference lab, beside the same commands with
// every module the CLI imported before lazy loading preloaded (`node --import` of the old static
// import graph: loader, the full YAML parser with `yaml`, overrides, realize, engine, format) —
// about the old figure, measured in the same run on the same machine (the old loader also parsed
// every file under 256 KiB with yaml, which a preload cannot bring back) — and bare `node`. Then
// what each third-party package costs to import in a fresh process, to show where start-up time goes.
// Last, a build as a whole process: `nsx-twin routes` on generated files (`--cli-build-sizes=M`,
// the default; L too with `--cli-build-sizes=M,L`), the process's own CPU time (user + system, its
// compiler and GC threads included, written at exit by a preload), median of alternating runs with
// the CLI's interrupt budget (src/cli/jit-budget.ts) and with V8's default given to node.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { line, ms } from './util.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'nsx-twin.js');
const LAB = 'scenarios/reference-lab.yaml';
/** What src/cli/main.ts imported statically before the lazy loading (compiled, in lib/). */
const OLD_STATIC_IMPORTS = ['topology/load-file.js', 'topology/parse-full.js', 'topology/overrides.js', 'topology/realize/index.js', 'engine/twin.js', 'engine/walk/packet-walk.js', 'cli/format.js'];
const PACKAGES = ['commander', 'yaml', 'js-yaml', 'immer', 'graphology', 'ipaddr.js'];

/** Wall time (ms) of one `node ...args` process; fails on a non-zero exit. */
function once(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const t = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return t;
}

/** The median of some figures (the upper one of an even count). */
const median = (t: readonly number[]): number => [...t].sort((a, b) => a - b)[t.length >> 1];

/**
 * Median wall times of several commands, run interleaved (one of each per round, after a warm-up
 * round) so that a machine whose load changes during the run affects them alike.
 */
function walls(commands: string[][], runs: number): number[] {
  for (const c of commands) once(c);
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) commands.forEach((c, k) => times[k].push(once(c)));
  return times.map(median);
}

/** A preload that writes the process's CPU time (ms) to stderr as it exits. */
const CPU_AT_EXIT = 'data:text/javascript,process.on("exit",()=>{const c=process.cpuUsage();process.stderr.write("\\ncpu-ms "+(c.user+c.system)/1000+"\\n")})';
/** V8's own interrupt budget (node 20), given to node so that the command keeps it (cli/jit-budget.ts). */
const V8_DEFAULT_BUDGET = '--interrupt-budget=67584';

/** CPU ms of one whole `node ...args` process, as it measured itself at exit. */
function cpuOf(args: string[]): number {
  const r = spawnSync(process.execPath, ['--max-old-space-size=10000', '--import', CPU_AT_EXIT, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const m = /cpu-ms ([0-9.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return Number(m[1]);
}

/**
 * `nsx-twin routes` on a generated file per size, as whole processes: the median CPU of alternating
 * runs with the CLI's interrupt budget and with V8's default (the path before it).
 */
function buildProcesses(dir: string, runs: number): void {
  const sizes = (process.argv.find((a) => a.startsWith('--cli-build-sizes='))?.split('=')[1] ?? 'M').split(',').filter(Boolean);
  for (const size of sizes) {
    const file = join(dir, `${size}.yaml`);
    const gen = spawnSync(process.execPath, ['--max-old-space-size=10000', BIN, 'generate', '--size', size], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (gen.status !== 0) {
      line(`nsx-twin routes (${size})`, `not measured: generate --size ${size} exited ${gen.status}`);
      continue;
    }
    writeFileSync(file, gen.stdout);
    const n = size === 'L' ? Math.max(3, runs >> 2) : Math.max(5, runs >> 1);
    const args = [BIN, 'routes', file, '--router', 'tor-01'];
    const cli: number[] = [];
    const v8Default: number[] = [];
    for (let i = 0; i < n; i++) {
      cli.push(cpuOf(args));
      v8Default.push(cpuOf([V8_DEFAULT_BUDGET, ...args]));
    }
    line(`nsx-twin routes ${size}.yaml --router tor-01`, `${ms(median(cli))} CPU (whole process, median of ${n}); V8's default interrupt budget, as before: ${ms(median(v8Default))} (${(median(v8Default) / median(cli)).toFixed(2)}×)`);
  }
}

export function cliStartupSection(header: (title: string) => void, runs: number): void {
  header(`j. CLI start-up (whole processes, median of ${runs})`);
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) console.log(`  (npm run build:lib reported problems; lib/ was still written:)\n${build.stdout.split('\n').slice(0, 5).join('\n')}`);
  const dir = mkdtempSync(join(tmpdir(), 'nsx-twin-bench-'));
  try {
    const eager = join(dir, 'eager.mjs');
    writeFileSync(eager, OLD_STATIC_IMPORTS.map((m) => `import ${JSON.stringify(pathToFileURL(join(ROOT, 'lib', m)).href)};`).join('\n') + '\n');
    const preload = ['--import', pathToFileURL(eager).href];
    const cases: [string, string[], number | null][] = [
      ['nsx-twin --help', ['--help'], 150],
      [`nsx-twin validate ${LAB}`, ['validate', LAB], 300],
      [`nsx-twin trace ${LAB}`, ['trace', LAB, '--from', 'ubuntu02', '--to', 'se-generic-01'], null],
    ];
    const commands = [['-e', ''], ...cases.flatMap(([, args]) => [[BIN, ...args], [...preload, BIN, ...args]])];
    const [bare, ...t] = walls(commands, runs);
    line('node (no script)', ms(bare));
    cases.forEach(([label, , goal], k) => {
      const [now, old] = [t[2 * k], t[2 * k + 1]];
      const verdict = goal === null ? '' : `   [goal ≤ ${goal} ms: ${now <= goal ? 'meets goal' : 'misses goal'}]`;
      line(label, `${ms(now)} (+${ms(now - bare)} over node); eager imports, as before: ${ms(old)} (+${ms(old - bare)})${verdict}`);
    });
    buildProcesses(dir, runs);
    for (const p of PACKAGES) {
      const script = `const t=performance.now();await import(${JSON.stringify(p)});process.stdout.write(String(performance.now()-t))`;
      const t: number[] = [];
      for (let i = 0; i < Math.max(3, runs >> 2); i++) t.push(Number(spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }).stdout));
      t.sort((a, b) => a - b);
      line(`import('${p}') in a fresh process`, ms(t[t.length >> 1]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
