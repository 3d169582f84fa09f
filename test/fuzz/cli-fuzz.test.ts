// Fuzz suite for the command line: random commands, files (bundled, missing, a directory) and
// options (names that exist, misspelled ones, prototype names, bad addresses and ports, --set and
// --fail edits) run in-process. Every run ends with a documented exit code (0 ok, 1 invalid
// scenario, 2 bad request, 3 expectation not met) and never an internal error; the same
// arguments give the same output twice. Seeded; NSX_TWIN_FUZZ_RUNS=N for a long run.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../golden/run-cli.js';
import { PROTOTYPE_NAMES } from './mutations.js';

const RUNS = Number(process.env.NSX_TWIN_FUZZ_RUNS ?? 0) || 0;

const FILES = ['scenarios/reference-lab.yaml', 'scenarios/tkgi-byot.yaml', 'scenarios/tkgi-byot-nat.yaml', 'scenarios/tkgi-antrea.yaml', 'scenarios/bgp/prefix-list-forgot-any.yaml', 'scenarios/edge-cases/nat.yaml', 'scenarios/avi/n-plus-m.yaml', 'scenarios/no-such-file.yaml', 'scenarios', 'test/fixtures/invalid/duplicate-ips.yaml', 'test/fixtures/invalid/proto-keys.yaml'];
const NAMES = ['ubuntu02', 'ops-manager', 'se-generic-01', 'tkgi-cluster-1-worker-2', 'yelb/yelb-ui-0', 'yelb-ui-0', 't0-lhr', 'The-Tier-1', 'tor-01', 'edge-01', 'edge-02', 'esx-01', 'tkgi-cluster-1--yelb-yelb-ui', 'yelb-ui.yelb.this-is-a.domain.net', '10.146.102.100', '10.146.40.10', '999.1.1.1', '10.0.0.-1', '', ' ', 'a\nb', ...PROTOTYPE_NAMES];
const VALUES = ['0', '1', '80', '65535', '65536', '-1', '1e999', 'x', '443', 'tcp', 'udp', 'icmp', 'sctp', 'DELIVERED', 'NO_ROUTE', 'dr', 'sr', '10.146.102.0/24', '10.146.102.100/32'];
const SETS = [
  'tier1s.The-Tier-1.advertise=[TIER1_CONNECTED]',
  'tier1s.The-Tier-1.advertise.x=1',
  'physicalRouters.tor-01.staticRoutes[5]={ network: 10.9.0.0/16, nextHops: [10.146.10.11] }',
  'physicalRouters.tor-01.staticRoutes[1000000]=1',
  'tier0s.t0-lhr.redistribution=null',
  'x=&a [*a]',
  'tier1s.constructor.tier0=t0-lhr',
  '__proto__.x=1',
  'workloads.ubuntu02.ip=10.146.40.300',
  'avi.virtualServices={}',
  'kubernetes=null',
  'settings.ttl=1e999',
  'tier0s=[]',
  'noequals',
];

const argArb = fc.oneof(
  fc.tuple(fc.constantFrom('--from', '--to', '--gateway', '--router', '--node', '--edge', '--vs', '--neighbor', '--host', '--prefix', '--fail'), fc.constantFrom(...NAMES)),
  fc.tuple(fc.constantFrom('--dport', '--sport', '--proto', '--expect', '--component', '--prefix'), fc.constantFrom(...VALUES)),
  fc.tuple(fc.constant('--set'), fc.constantFrom(...SETS)),
  fc.constantFrom(['--json'], ['--return'], ['--rejected'], ['--advertised'], ['--received'], ['--help'], ['--bogus'], ['-x']),
);

/** The options a command needs, so most runs get past option parsing and reach the engine. */
const required: Record<string, fc.Arbitrary<string[]>> = {
  trace: fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES), fc.constantFrom([], ['--proto', 'tcp', '--dport', '80'], ['--proto', 'udp', '--dport', '53'])).map(([f, t, p]) => ['--from', f, '--to', t, ...p]),
  routes: fc.oneof(fc.constantFrom(...NAMES).map((g) => ['--gateway', g]), fc.constantFrom(...NAMES).map((r) => ['--router', r])),
  bgp: fc.constantFrom(...NAMES).map((r) => ['--router', r]),
};
const none = fc.constant([] as string[]);

const argvArb = fc
  .tuple(
    fc.constantFrom('validate', 'trace', 'trace', 'trace', 'routes', 'routes', 'bgp', 'bgp', 'avi', 'topology', 'demo', 'tracee', '--help', ''),
    fc.option(fc.constantFrom(...FILES), { nil: undefined, freq: 8 }),
    fc.boolean(),
    fc.array(argArb, { maxLength: 4 }),
  )
  .chain(([cmd, file, withRequired, opts]) =>
    (withRequired ? (required[cmd] ?? none) : none).map((req) => [cmd, ...(file !== undefined ? [file] : []), ...req, ...opts.flat()].filter((a, i) => i > 0 || a !== '')),
  );

describe('fuzz: the command line', () => {
  beforeAll(() => {
    if (process.cwd() !== REPO_ROOT) process.chdir(REPO_ROOT);
  });

  it('every run exits 0-3 with no internal error, and twice gives the same output', async () => {
    const exits = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(argvArb, async (argv) => {
        const a = await runCli(argv);
        expect([0, 1, 2, 3], `nsx-twin ${JSON.stringify(argv)} exit ${a.exit}\n${a.stderr}`).toContain(a.exit);
        expect(a.stderr, `nsx-twin ${JSON.stringify(argv)}`).not.toMatch(/internal error|    at |Maximum call stack/);
        const b = await runCli(argv);
        expect(b, `nsx-twin ${JSON.stringify(argv)} run twice`).toEqual(a);
        exits.set(a.exit, (exits.get(a.exit) ?? 0) + 1);
      }),
      { seed: 2611, numRuns: RUNS || 500 },
    );
    console.log(`fuzz cli: ${[...exits].sort((x, y) => x[0] - y[0]).map(([code, n]) => `exit ${code} × ${n}`).join(', ')}`);
    expect(exits.size).toBeGreaterThan(2);
  }, 600_000);
});
