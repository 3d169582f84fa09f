// Determinism of every CLI command: the same command prints the same bytes on every run, in two
// processes with different locales and time zones (LANG/LC_ALL=C, TZ=UTC vs de_DE.UTF-8,
// Pacific/Kiritimati at UTC+14), and twice within one process. Each child process runs every
// command in-process through the golden harness (test/golden/run-cli.ts), so the test costs two
// process spawns.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './golden/run-cli.js';

const COMMANDS: string[][] = [
  ['validate', 'scenarios/tkgi-byot.yaml'],
  ['validate', 'test/fixtures/invalid/avi-kubernetes.yaml'],
  ['trace', 'scenarios/tkgi-byot.yaml', '--from', 'ubuntu02', '--to', 'yelb-ui.yelb.this-is-a.domain.net', '--proto', 'tcp', '--dport', '80', '--return'],
  ['routes', 'scenarios/tkgi-byot.yaml', '--gateway', 't0-lhr'],
  ['bgp', 'scenarios/tkgi-byot.yaml', '--router', 'tor-01', '--rejected'],
  ['avi', 'scenarios/tkgi-byot.yaml'],
  ['topology', 'scenarios/tkgi-byot.yaml'],
].flatMap((args) => [args, [...args, '--json']]);

const CHILD = fileURLToPath(new URL('./cli-determinism.child.ts', import.meta.url));

interface Run {
  args: string[];
  exit: number;
  stdout: string;
  stderr: string;
}

function runAll(env: Record<string, string>): Run[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(COMMANDS)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  expect(child.error, child.stderr).toBeUndefined();
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as Run[];
}

describe('CLI output is byte-identical across runs, locales and time zones', () => {
  it('validate, trace, routes, bgp, avi and topology, with and without --json', () => {
    const a = runAll({ LANG: 'C', LC_ALL: 'C', TZ: 'UTC' });
    const b = runAll({ LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', TZ: 'Pacific/Kiritimati' });
    expect(a.map((r) => r.args)).toEqual([...COMMANDS, ...COMMANDS]);
    for (let i = 0; i < a.length; i++) {
      const what = `nsx-twin ${a[i].args.join(' ')}`;
      expect(a[i].exit, what).toBe(a[i].args.includes('test/fixtures/invalid/avi-kubernetes.yaml') ? 1 : 0);
      expect(a[i].stdout.length + a[i].stderr.length, what).toBeGreaterThan(0);
      // Second run in the same process, then the other locale and time zone.
      const again = a[(i + COMMANDS.length) % a.length];
      expect(`${again.stdout}${again.stderr}`, `${what}: run twice in one process`).toBe(`${a[i].stdout}${a[i].stderr}`);
      expect(`${b[i].stdout}${b[i].stderr}`, `${what}: LANG=de_DE.UTF-8 TZ=Pacific/Kiritimati vs LANG=C TZ=UTC`).toBe(`${a[i].stdout}${a[i].stderr}`);
      expect(b[i].exit, what).toBe(a[i].exit);
    }
    // graphology's own edge keys (`geid_<random>_<n>`) made topology --json differ on every run.
    const topo = a.find((r) => r.args[0] === 'topology' && r.args.includes('--json'))!;
    const edges = (JSON.parse(topo.stdout) as { edges: { key: string; source: string; target: string; attributes: { relation: string } }[] }).edges;
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect(e.key).toBe(`${e.attributes.relation}:${e.source}--${e.target}`);
  }, 240_000);
});
