// Runs one topology by hand: `npx tsx test/frr/run-topology.ts test/frr/topologies/ebgp-basic.yaml`
//   --config   print the generated frr.conf of every router and exit (no root needed)
//   --hold     keep the lab running after convergence until Enter or Ctrl-C, for vtysh by hand
// Otherwise: start the lab, wait for convergence, print FRR's BGP tables and BGP FIB routes, the
// differences from nsx-twin (when its BGP engine is available), and stop.
import { loadScenarioFile } from '../../src/topology/load-file.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { compareBgp, compareFib, type TwinBgpEntry, type TwinRoute } from './compare.js';
import { frrConfig } from './frr-config.js';
import { frrBgpRib, frrFib, frrLabAvailability, startLab } from './frr-lab.js';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: npx tsx test/frr/run-topology.ts FILE.yaml [--config] [--hold]');
  process.exit(2);
}
const scenario = loadScenarioFile(file).scenario;

if (args.includes('--config')) {
  for (const router of Object.keys(scenario.physicalRouters ?? {})) console.log(`##### ${router}\n${frrConfig(scenario, router).frrConf}`);
  process.exit(0);
}

const avail = frrLabAvailability();
if (!avail.ok) {
  console.error(`cannot run an FRR lab here: ${avail.reason}`);
  process.exit(1);
}

const lab = await startLab(scenario, { name: file });
try {
  const c = await lab.waitConverged();
  console.log(`converged in ${c.ms} ms (${c.polls} polls)`);
  type TwinLike = { bgp(q: { router: string }): { routes: TwinBgpEntry[] }; routes(q: { router: string }): { routes: TwinRoute[] } };
  let twin: TwinLike | null = null;
  try {
    const mod = (await import('../../src/engine/twin.js')) as unknown as { buildTwin(s: Scenario): unknown };
    const t = mod.buildTwin(scenario) as TwinLike;
    if (t && typeof (t as { bgp?: unknown }).bgp === 'function') twin = t;
  } catch (e) {
    console.log(`(nsx-twin not available: ${(e as Error).message.split('\n')[0]})`);
  }
  for (const [router, r] of lab.routers) {
    console.log(`\n===== ${router} (ip netns exec ${r.ns} vtysh -N ${r.ns} --vty_socket ${lab.dir} --config_dir ${lab.dir})`);
    const rib = await frrBgpRib(lab, router);
    const fib = await frrFib(lab, router);
    for (const e of rib) {
      const flags = `${e.valid ? '*' : ' '}${e.best ? '>' : e.multipath ? '=' : ' '}${e.suppressed ? 's' : ' '}`;
      const attrs = [`lp ${e.localPref ?? '-'}`, `med ${e.med ?? '-'}`, `w ${e.weight}`, e.origin, e.communities.join(' '), e.largeCommunities.join(' ')].filter(Boolean).join(' ');
      console.log(`${flags} ${e.prefix.padEnd(18)} ${e.nextHop.padEnd(15)} [${e.asPath.join(' ')}] ${attrs}${e.reason ? ` (${e.reason})` : ''}`);
    }
    for (const f of fib) console.log(`  FIB ${f.prefix} ${f.selected ? 'selected' : 'not selected'} via ${f.nextHops.map((h) => `${h.ip}@${h.interface}`).join(', ')}`);
    if (twin) {
      const diffs = [...compareBgp(router, rib, twin.bgp({ router }).routes), ...compareFib(router, fib, twin.routes({ router }).routes)];
      console.log(diffs.length ? `  nsx-twin differs:\n    ${diffs.join('\n    ')}` : '  nsx-twin agrees');
    }
  }
  if (args.includes('--hold')) {
    console.log(`\nlab running (configs and logs in ${lab.dir}); press Enter or Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      process.stdin.once('data', () => resolve());
      process.once('SIGINT', () => resolve());
    });
    process.stdin.pause();
  }
} finally {
  await lab.stop();
}
