// BGP scenarios checked against real FRRouting: every topology in test/frr/topologies runs on FRR
// (one network namespace per router, see frr-lab.ts) and through nsx-twin's BGP engine, and the
// two BGP tables and FIBs must agree. Needs root and FRR (/usr/lib/frr); otherwise the suite is
// reported as skipped with the reason. Labs run one after another.
// One topology: NTW_FRR_TOPOLOGY=ebgp-basic npx vitest run test/frr/frr.test.ts
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import type { Scenario } from '../../src/topology/scenario.js';
import { checkExpectations, compareBgp, compareFib, type TwinBgpEntry, type TwinRoute } from './compare.js';
import { EXPECTATIONS } from './expectations.js';
import { frrBgpRib, frrFib, frrLabAvailability, startLab, stopAllLabs, type FrrBgpEntry, type FrrFibRoute, type Lab } from './frr-lab.js';

const DIR = fileURLToPath(new URL('./topologies', import.meta.url));
const only = (process.env.NTW_FRR_TOPOLOGY ?? '').split(',').map((s) => s.trim().replace(/\.yaml$/, '')).filter(Boolean);
const TOPOLOGIES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => basename(f, '.yaml'))
  .filter((t) => !only.length || only.includes(t))
  .sort();
const CONVERGE_TIMEOUT_MS = Number(process.env.NTW_FRR_TIMEOUT_MS ?? 30000);

const lab = frrLabAvailability();
if (!lab.ok) console.warn(`[frr] FRR comparison tests skipped: ${lab.reason}`);

interface TwinLike {
  bgp(q: { router: string }): { router: string; asn: number; routerId: string; routes: TwinBgpEntry[] };
  routes(q: { router: string }): { routes: TwinRoute[] };
}
type Engine = { ok: true; build: (s: Scenario) => TwinLike } | { ok: false; reason: string };

async function probeEngine(): Promise<Engine> {
  const unavailable = 'nsx-twin BGP engine not available';
  try {
    const mod = (await import('../../src/engine/twin.js')) as unknown as { buildTwin?: (s: Scenario) => unknown; Twin?: { prototype: Record<string, unknown> } };
    if (typeof mod.buildTwin !== 'function') return { ok: false, reason: `${unavailable} (no buildTwin)` };
    let hasBgp = typeof mod.Twin?.prototype?.bgp === 'function';
    try {
      hasBgp = typeof (mod.buildTwin({ transportNodes: {} }) as { bgp?: unknown }).bgp === 'function';
    } catch {
      /* an empty scenario may be refused; the prototype check stands */
    }
    if (!hasBgp) return { ok: false, reason: unavailable };
    return { ok: true, build: mod.buildTwin as (s: Scenario) => TwinLike };
  } catch (e) {
    return { ok: false, reason: `${unavailable} (${(e as Error).message.split('\n')[0]})` };
  }
}

const engine = await probeEngine();
const engineNote = engine.ok ? '' : ` — skipped: ${engine.reason}`;
if (lab.ok && !engine.ok) console.warn(`[frr] nsx-twin comparison skipped: ${engine.reason}`);

const timings: { topology: string; ms: number; polls: number }[] = [];

describe.skipIf(!lab.ok)(`FRR BGP labs${lab.ok ? '' : ` — skipped: ${lab.reason}`}`, () => {
  afterAll(async () => {
    await stopAllLabs();
    if (timings.length) console.log(`[frr] convergence (ms): ${timings.map((t) => `${t.topology} ${t.ms}`).join(', ')}`);
  });

  for (const topology of TOPOLOGIES) {
    describe(topology, () => {
      const file = join(DIR, `${topology}.yaml`);
      let scenario: Scenario;
      let running: Lab | undefined;
      const ribs = new Map<string, FrrBgpEntry[]>();
      const fibs = new Map<string, FrrFibRoute[]>();

      beforeAll(async () => {
        scenario = loadScenarioFile(file).scenario;
        running = await startLab(scenario, { name: topology });
        try {
          const c = await running.waitConverged(CONVERGE_TIMEOUT_MS);
          timings.push({ topology, ...c });
          for (const router of running.routers.keys()) {
            ribs.set(router, await frrBgpRib(running, router));
            fibs.set(router, await frrFib(running, router));
          }
        } finally {
          await running.stop();
        }
      }, CONVERGE_TIMEOUT_MS + 30000);

      afterAll(async () => {
        await running?.stop();
      });

      it('FRR converges and selects what the topology describes', () => {
        expect(ribs.size).toBeGreaterThan(0);
        const exp = EXPECTATIONS[topology];
        expect(exp, `no entry for ${topology} in test/frr/expectations.ts`).toBeDefined();
        expect(checkExpectations(exp, ribs, fibs)).toEqual([]);
      });

      it.skipIf(!engine.ok)(`nsx-twin BGP tables match FRR${engineNote}`, () => {
        if (!engine.ok) return;
        const twin = engine.build(scenario);
        const problems: string[] = [];
        for (const [router, frr] of ribs) problems.push(...compareBgp(router, frr, twin.bgp({ router }).routes));
        if (problems.length) console.log(`[frr] ${topology}: BGP table differences\n  ${problems.join('\n  ')}`);
        expect(problems).toEqual([]);
      });

      it.skipIf(!engine.ok)(`nsx-twin FIB BGP routes match FRR${engineNote}`, () => {
        if (!engine.ok) return;
        const twin = engine.build(scenario);
        const problems: string[] = [];
        for (const [router, frr] of fibs) problems.push(...compareFib(router, frr, twin.routes({ router }).routes));
        if (problems.length) console.log(`[frr] ${topology}: FIB differences\n  ${problems.join('\n  ')}`);
        expect(problems).toEqual([]);
      });
    });
  }
});
