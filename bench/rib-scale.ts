// Section g of the benchmark suite: the routing tables (RIBs) at scale. On generated fabrics of
// the realistic shape (generateSize: ACTIVE_ACTIVE Tier-0 on 8 edges, 8 ToRs peering by eBGP with
// every SR, 10 segments and 25 virtual services per Tier-1) of growing size, prints the time of
// computeRoutes and installRoutes (the BGP routes: next-hop resolution) and the retained heap per
// RIB route, beside the same figures for the code before the scale rework (bench/old/routes.ts,
// run in the same process on the same input). The old installRoutes is quadratic (every next hop
// scanned the whole RIB); past `--rib-old-max` Tier-1s it is not run and the line says so.
// Sizes: `--rib-tier1s=60,250,1000` (default), `--rib-old-max=60` (default). Run with
// `NODE_OPTIONS=--expose-gc npm run bench -- g` for the memory figures.
import { expand } from '../src/engine/model/expand.js';
import { computeRoutes, installRoutes, type RoutingState } from '../src/engine/ribs/routes.js';
import { bgpRibRoutes, runBgp } from '../src/engine/bgp/control-plane.js';
import { injectedRoutes } from '../src/engine/fib/load-balancer.js';
import { realize } from '../src/topology/realize/index.js';
import { generateSize } from '../src/topology/generate.js';
import { computeRoutes as oldComputeRoutes, installRoutes as oldInstallRoutes } from './old/routes.js';
import { argNumbers, int, line, ms, timed } from './util.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap in use after a full collection (null without --expose-gc). */
function heapUsed(): number | null {
  if (!gc) return null;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Runs `fn`, keeping its result alive, and returns it with its time and the heap it retains. */
function measured<T>(fn: () => T): { value: T; ms: number; retained: number | null } {
  const before = heapUsed();
  const r = timed(fn);
  const after = heapUsed();
  return { value: r.value, ms: r.ms, retained: before === null || after === null ? null : after - before };
}

function perRoute(retained: number | null, routes: number): string {
  return retained === null ? 'n/a (run with NODE_OPTIONS=--expose-gc)' : `${Math.round(retained / routes)} B/route`;
}

export function ribScaleSection(header: (title: string) => void): void {
  const sizes = argNumbers('rib-tier1s', [60, 250, 1000], 0);
  const oldMax = argNumbers('rib-old-max', [60], 0)[0];
  header(`g. RIBs at scale: generateSize('M') shape with N Tier-1s × 10 segments, 25 VSes per Tier-1, 64 eBGP sessions`);
  console.log(`  old = bench/old/routes.ts (before the rework), same process, same input; retained heap after gc()`);
  for (const n of sizes) {
    const s = generateSize('M', { tier1s: n, virtualServices: n * 25 });
    const rz = realize(s);
    const rs = rz.scenario;
    const net = expand(rs);
    const injected = injectedRoutes(rz.avi);
    console.log(`  -- ${int(n)} Tier-1s, ${int(injected.length)} VIP routes`);

    const cr = measured(() => computeRoutes(rs, net, injected));
    const base: RoutingState = cr.value;
    const bgp = timed(() => runBgp(rs, net, base));
    const extra = bgpRibRoutes(bgp.value, net);
    const ir = measured(() => installRoutes(base, extra));
    const routes = ir.value.routes.length;
    line('computeRoutes (new)', `${ms(cr.ms)}, ${int(base.routes.length)} routes, ${perRoute(cr.retained, base.routes.length)}`);
    line('installRoutes (new)', `${ms(ir.ms)}, +${int(extra.length)} BGP routes → ${int(routes)}, ${perRoute(ir.retained, extra.length)} added`);
    line('runBgp (for reference)', ms(bgp.ms));

    const ocr = measured(() => oldComputeRoutes(rs, net, injected));
    line('computeRoutes (old)', `${ms(ocr.ms)}, ${int(ocr.value.routes.length)} routes, ${perRoute(ocr.retained, ocr.value.routes.length)}`);
    if (n <= oldMax) {
      const oir = measured(() => oldInstallRoutes(ocr.value, extra));
      line('installRoutes (old)', `${ms(oir.ms)}, ${perRoute(oir.retained, extra.length)} added`);
    } else line('installRoutes (old)', `not run (quadratic; --rib-old-max=${oldMax})`);
  }
}
