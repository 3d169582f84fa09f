// The nsx-twin command line: validate | trace | routes | bgp | avi | topology | demo | generate.
// Loads a scenario (every problem reported as FILE: path: message, exit 1), answers the question,
// prints a table or the JSON contract. Exit codes: 0 ok, 1 invalid scenario, 2 bad request, 3
// --expect not met. Start-up cost: only commander and a few small modules load up front; the
// loader, the engine and the generator are imported by the commands that use them (`--help`
// never loads them, `validate` never loads the engine).
import { Command, Option, InvalidArgumentError } from 'commander';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import type { LoadedScenario } from '../topology/load.js';
import type { Overrides } from '../topology/overrides.js';
import { ScenarioError, QueryError, formatProblem } from '../topology/errors.js';
import type { Twin } from '../engine/twin.js';
import { DISPOSITIONS, type Disposition } from '../engine/walk/dispositions.js';
import type { Protocol } from '../engine/queries/trace-report.js';
import { formatAvi, formatBgp, formatRoutes, formatTopology, formatTrace } from './format.js';
import { GENERATE_INT_OPTIONS, runGenerate, type GenerateCliOptions } from './generate.js';
import { useCommandBudget } from './jit-budget.js';

const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
const EXIT_EXPECT = 3;

class ExitError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

async function load(file: string, o: Overrides = {}): Promise<Twin> {
  const loaded = await loadOrExit(file);
  const variants = !!(o.set?.length || o.fail?.length);
  const [{ buildTwin }, overrides] = await Promise.all([import('../engine/twin.js'), variants ? import('../topology/overrides.js') : null]);
  try {
    if (!overrides) return buildTwin(loaded.scenario);
    // The edited scenario is derived from the file's twin by the engine's incremental update.
    const variant = overrides.applyOverrides(loaded, o).scenario;
    return buildTwin(loaded.scenario).update(variant);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    // The file was valid: a name --fail does not know is a bad request (with its did-you-mean);
    // a --set that makes the scenario invalid is an invalid scenario.
    const badRequest = e.problems.some((p) => p.file === '--fail');
    throw new ExitError(badRequest ? EXIT_USAGE : EXIT_INVALID, e.problems.map(formatProblem).join('\n'));
  }
}

async function loadOrExit(file: string): Promise<LoadedScenario> {
  await useCommandBudget();
  const { loadScenarioFile } = await import('../topology/load-file.js');
  try {
    return loadScenarioFile(file);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ExitError(EXIT_INVALID, e.problems.map(formatProblem).join('\n'));
    throw e;
  }
}

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : text + '\n');
const json = (v: unknown) => print(JSON.stringify(v, null, 2));

/** `--fail a,b` and repeatable `--set path=value` on every command that loads a scenario. */
function withVariants(cmd: Command): Command {
  return cmd
    .option('--fail <names>', 'mark edges, hosts, physical routers/hosts, workloads, SEs or Kubernetes nodes as failed (comma separated)', (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)])
    .option('--set <path=value>', 'override a scenario value for this run, e.g. tier1s.t1.advertise=[TIER1_CONNECTED] (repeatable; YAML value, null removes)', (v: string, prev: string[] = []) => [...prev, v]);
}

function port(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new InvalidArgumentError('expected a port 1-65535');
  return Number(v);
}

export const DEFAULT_SCENARIO = relative(process.cwd(), fileURLToPath(new URL('../../scenarios/tkgi-byot.yaml', import.meta.url)));

export function program(): Command {
  const cli = new Command('nsx-twin')
    .description('Digital twin of an NSX + NSX Advanced Load Balancer network: routing tables and traceflows from a scenario file')
    .showHelpAfterError()
    .exitOverride();

  cli
    .command('validate')
    .description('check a scenario file and report every problem')
    .argument('<file>', 'scenario (YAML or JSON)')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { json?: boolean }) => {
      await useCommandBudget();
      const { loadScenarioFile } = await import('../topology/load-file.js');
      try {
        const { scenario, files } = loadScenarioFile(file);
        const count = (m: object | undefined) => (m ? Object.keys(m).length : 0);
        const summary = {
          valid: true,
          files,
          transportNodes: count(scenario.transportNodes),
          tier0s: count(scenario.tier0s),
          tier1s: count(scenario.tier1s),
          segments: count(scenario.segments),
          workloads: count(scenario.workloads),
          physicalRouters: count(scenario.physicalRouters),
          physicalHosts: count(scenario.physicalHosts),
        };
        // What NCP, AKO and the Avi controller add (only for scenarios that declare them).
        const r = scenario.avi || scenario.kubernetes ? (await import('../topology/realize/index.js')).realize(scenario) : null;
        const created = r && {
          tier1s: count(r.scenario.tier1s) - summary.tier1s,
          segments: count(r.scenario.segments) - summary.segments,
          workloads: count(r.scenario.workloads) - summary.workloads,
          virtualServices: r.avi?.virtualServices.length ?? 0,
        };
        if (o.json) json(created ? { ...summary, created } : summary);
        else {
          const extra = created ? `; the controllers add ${created.tier1s} Tier-1, ${created.segments} segments, ${created.workloads} workloads (SEs, nodes, pods) and ${created.virtualServices} virtual services` : '';
          print(`${file}: valid (${summary.transportNodes} transport nodes, ${summary.tier0s} Tier-0, ${summary.tier1s} Tier-1, ${summary.segments} segments, ${summary.workloads} workloads${extra})`);
        }
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        if (o.json) {
          json({ valid: false, problems: e.problems });
          throw new ExitError(EXIT_INVALID, '');
        }
        throw new ExitError(EXIT_INVALID, e.problems.map(formatProblem).join('\n'));
      }
    });

  withVariants(cli.command('trace'))
    .description('trace a flow hop by hop (every ECMP path)')
    .argument('<file>', 'scenario (YAML or JSON)')
    .requiredOption('--from <src>', 'source: workload, physical host, or an address one owns')
    .requiredOption('--to <dst>', 'destination: address, workload, physical host, or an FQDN the Avi DNS virtual service resolves')
    .addOption(new Option('--proto <proto>', 'protocol').choices(['tcp', 'udp', 'icmp']).default('icmp'))
    .option('--dport <port>', 'destination port (tcp/udp)', port)
    .option('--sport <port>', 'source port (tcp/udp, default 49152)', port)
    .option('--host <host>', 'HTTP host for L7 virtual services (default: the FQDN given to --to)')
    .addOption(new Option('--expect <disposition>', 'exit 3 unless every path ends in this disposition').choices([...DISPOSITIONS]))
    .option('--return', 'also trace the reply of every delivered path (NAT reversed, stateful firewalls)')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: Overrides & { from: string; to: string; proto: Protocol; dport?: number; sport?: number; host?: string; expect?: Disposition; json?: boolean; return?: boolean }) => {
      const result = (await load(file, o)).trace({ from: o.from, to: o.to, proto: o.proto, dport: o.dport, sport: o.sport, host: o.host }, { withReturn: !!o.return });
      if (o.json) json(result);
      else print(formatTrace(result));
      if (o.expect && !(result.paths.length > 0 && result.paths.every((p) => p.disposition === o.expect))) {
        const got = [...new Set(result.paths.map((p) => p.disposition))].join(', ');
        throw new ExitError(EXIT_EXPECT, `expected every path to end in ${o.expect}, got ${got || 'no path'}`);
      }
    });

  withVariants(cli.command('routes'))
    .description("show a routing table: a gateway's DR or SR, or a physical router")
    .argument('<file>', 'scenario (YAML or JSON)')
    .option('--gateway <name>', 'Tier-0 or Tier-1 gateway')
    .addOption(new Option('--component <which>', 'dr or sr (default dr; sr when --node is one of its edges)').choices(['dr', 'sr']))
    .option('--node <node>', 'edge of the SR (default: the active SR)')
    .option('--router <name>', 'physical router')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: Overrides & { gateway?: string; component?: 'dr' | 'sr'; node?: string; router?: string; json?: boolean }) => {
      const t = (await load(file, o)).routes({ gateway: o.gateway, router: o.router, component: o.component, node: o.node });
      if (o.json) json(t);
      else print(formatRoutes(t));
    });

  withVariants(cli.command('bgp'))
    .description("show a BGP speaker's table (a physical router, or a Tier-0's SR on an edge) with the why")
    .argument('<file>', 'scenario (YAML or JSON)')
    .requiredOption('--router <name>', 'physical router or Tier-0 with bgp')
    .option('--edge <edge>', "the Tier-0 SR's edge (default: its first active SR)")
    .option('--prefix <prefix>', 'only this prefix')
    .option('--neighbor <ip>', 'with --advertised or --received: what goes to / comes from this neighbour')
    .option('--advertised', 'paths advertised to --neighbor (after outbound policy)')
    .option('--received', 'paths received from --neighbor (after inbound policy)')
    .option('--rejected', 'also list stopped paths and the filter, rule or check that stopped them')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: Overrides & { router: string; edge?: string; prefix?: string; neighbor?: string; advertised?: boolean; received?: boolean; rejected?: boolean; json?: boolean }) => {
      if (o.advertised && o.received) throw new QueryError('choose one of --advertised and --received');
      const direction = o.advertised ? 'advertised' : o.received ? 'received' : undefined;
      const v = (await load(file, o)).bgp({ router: o.router, edge: o.edge, prefix: o.prefix, neighbor: o.neighbor, direction, rejected: o.rejected });
      if (o.json) json(v);
      else print(formatBgp(v));
    });

  withVariants(cli.command('avi'))
    .description('list NSX Advanced Load Balancer virtual services: VIP, SEs, pool members, FQDNs and the NSX routes they caused')
    .argument('<file>', 'scenario (YAML or JSON)')
    .option('--vs <name>', 'one virtual service')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: Overrides & { vs?: string; json?: boolean }) => {
      const v = (await load(file, o)).avi({ vs: o.vs });
      if (o.json) json(v);
      else print(formatAvi(v));
    });

  withVariants(cli.command('topology'))
    .description('list the logical topology (gateways, segments, hosts, links)')
    .argument('<file>', 'scenario (YAML or JSON)')
    .option('--json', 'machine-readable output (graphology serialization)')
    .action(async (file: string, o: Overrides & { json?: boolean }) => {
      const g = (await load(file, o)).topology();
      if (o.json) json(g.export());
      else print(formatTopology(g));
    });

  withVariants(cli.command('demo'))
    .description('print a few traceflows of the TKGi BYOT lab (what `npm start` runs)')
    .argument('[file]', 'scenario', DEFAULT_SCENARIO)
    .action(async (file: string, o: Overrides) => {
      const twin = await load(file, o);
      print(`nsx-twin — ${twin.scenario.name ?? file}\n${twin.scenario.description ?? ''}`.trimEnd());
      const demos: [string, { from: string; to: string; proto?: Protocol; dport?: number }][] = [
        ['Client → yelb-ui by its FQDN: the Avi DNS VS resolves it, the ToR and Tier-0 follow the VIP/32 Avi injected on The-Tier-1 to each SE (ECMP), then each SE opens its own leg to the pod', { from: 'ubuntu02', to: 'yelb-ui.yelb.this-is-a.domain.net', proto: 'tcp', dport: 80 }],
        ["SE → BYOT worker: the NCP Tier-1 is centralized, so the SE's traffic crosses the Tier-0 and an edge", { from: 'se-generic-01', to: 'tkgi-cluster-1-worker-2', proto: 'tcp', dport: 80 }],
      ];
      const first = (r: ReturnType<Twin['trace']>) => ({ ...r, paths: r.paths.slice(0, 1) });
      for (const [title, req] of demos) {
        const shown = twin.trace(req);
        const more = shown.paths.length > 1 ? ` (path 1 of ${shown.paths.length}; \`trace\` prints them all)` : '';
        print(`\n=== ${title}${more}\n$ nsx-twin trace ${file} --from ${req.from} --to ${req.to}${req.proto && req.proto !== 'icmp' ? ` --proto ${req.proto} --dport ${req.dport}` : ''}\n`);
        print(formatTrace(first(shown)));
      }
      if (twin.bgpState.speakers.some((sp) => sp.owner === 'tor-01')) {
        print(`\n=== What the physical network learns by BGP: tor-01's table — without NAT the pod CIDRs leak (scenarios/tkgi-byot-route-map-fix.yaml is the fix)\n$ nsx-twin bgp ${file} --router tor-01\n`);
        print(formatBgp(twin.bgp({ router: 'tor-01' })));
      }
      print(`\nMore: nsx-twin avi ${file}\n      nsx-twin bgp scenarios/tkgi-byot-route-map-fix.yaml --router tor-01 --rejected\n      nsx-twin trace scenarios/tkgi-antrea.yaml --from se-generic-01 --to tkgi-antrea-worker-2\n      nsx-twin --help`);
    });

  const generate = cli
    .command('generate')
    .description('write a synthetic scenario of a preset size (S, M, L: the BGP fabric of a real deployment) as YAML, deterministic for a seed')
    .addOption(new Option('--size <size>', 'preset size: S (20 Tier-1s), M (200), L (4,000 Tier-1s, 40,000 segments, 100,000 virtual services)').choices(['S', 'M', 'L']).default('S'));
  for (const { flag, description } of GENERATE_INT_OPTIONS) generate.option(`${flag} <n>`, description, count);
  generate
    .option('--no-bgp', 'static routes instead of BGP between the ToRs and the Tier-0')
    .option('--route-policy', "an export route map on the Tier-0's sessions to the ToRs: the first Tier-1's segments held back, the rest permitted")
    .option('--ncp', 'the --kubernetes clusters are TKGi clusters with NCP (a Tier-1, node and pod segments each) instead of Antrea')
    .option('--json', 'write JSON instead of YAML')
    .option('-o, --output <file>', 'write to this file instead of stdout (an existing file only with --force)')
    .option('--force', 'overwrite the --output file')
    .action(async (o: GenerateCliOptions) => {
      const { text, summary } = await runGenerate(o);
      if (o.output === undefined) process.stdout.write(text);
      else print(summary);
    });

  return cli;
}

function count(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('expected a whole number');
  return Number(v);
}

/** Runs the command line; resolves to the exit code (0 ok, 1 invalid scenario, 2 bad request, 3 --expect not met). */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof ExitError) {
      if (e.message) process.stderr.write(e.message + '\n');
      return e.code;
    }
    if (e instanceof QueryError) {
      process.stderr.write(`nsx-twin: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const ce = e as { code?: string; exitCode?: number };
    if (typeof ce.code === 'string' && ce.code.startsWith('commander.')) {
      return ce.code === 'commander.helpDisplayed' || ce.code === 'commander.version' || ce.code === 'commander.help' ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`nsx-twin: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}
